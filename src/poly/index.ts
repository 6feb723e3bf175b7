export type { Coeffs, LagrangeEvals, ExtendedEvals } from './types.ts';
export { Domain } from './domain.ts';
export { fft, ifft, cosetFft, cosetIfft, setLocalFftMaxLog } from './fft.ts';
export { lagrangeEvalsAt } from './lagrange.ts';
