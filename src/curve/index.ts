/**
 * BN254 G1/G2 on ffjavascript's WASM curve (multi-threaded MSM, pairing). Points travel as ffjavascript
 * affine buffers (x‖y, 32-byte LE Montgomery each; identity = all zeros). Encodings for the transcript
 * and files are 64-byte big-endian standard coordinates (EVM precompile convention), validated on read.
 */
export * from './g1.ts';
export * from './msm.ts';
export * from './pairing.ts';
