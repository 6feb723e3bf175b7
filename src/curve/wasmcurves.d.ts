// The prebuilt BN254 module wasmcurves ships (CommonJS, no declarations): WASM bytes as base64 and the
// addresses its generator allocated.
declare module 'wasmcurves/build/bn128_wasm.js' {
  const bn128: {
    readonly code: string;
    readonly pOneT: number;
    readonly prePSize: number;
    readonly preQSize: number;
    readonly q: string;
    readonly r: string;
  };
  export default bn128;
}
// Its generator (test/curve/bn254-wasm.test.ts checks that the prebuilt module is what it generates).
declare module 'wasmcurves/src/bn128/build_bn128.js' {
  const build: unknown;
  export default build;
}
