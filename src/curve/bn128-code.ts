/**
 * The BN254 WASM module bn254-wasm.ts runs: wasmcurves' prebuilt code (base64) and the addresses its
 * generator allocated, read from its CommonJS file. scripts/build.mjs replaces the compiled
 * dist/curve/bn128-code.js with an ES module holding the same values, because Node takes ~10 ms longer to
 * load the 116 KB CommonJS file (export detection scans it) — time every `zkml verify` would pay.
 */
import bn128 from 'wasmcurves/build/bn128_wasm.js';

export const { code, pOneT, prePSize, preQSize, q, r } = bn128;
