// wasmbuilder and wasmcurves ship no declarations; wasm-builders.ts gives their exports types.
declare module 'wasmbuilder' {
  export const ModuleBuilder: unknown;
}
declare module 'wasmcurves/src/build_f1m.js' {
  const build: unknown;
  export default build;
}
declare module 'wasmcurves/src/build_fft.js' {
  const build: unknown;
  export default build;
}
declare module 'wasmcurves/src/build_curve_jacobian_a0.js' {
  const build: unknown;
  export default build;
}
