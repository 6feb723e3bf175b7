/**
 * BN254 G1/G2: MSMs on our WASM engine (multi-threaded), single-point arithmetic and the pairing check on
 * @noble/curves. Points travel as ffjavascript affine buffers (x‖y, 32-byte LE Montgomery each; identity =
 * all zeros). Encodings for the transcript and files are 64-byte big-endian standard coordinates (EVM
 * precompile convention), validated on read.
 */
export * from './g1.ts';
export * from './g2.ts';
export * from './msm.ts';
export * from './pairing.ts';
export * from './pairing-ffjs.ts';
export { g1Combine } from './combination.ts';
