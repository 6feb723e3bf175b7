/** Polynomial representations: the same FrVec buffers, branded so bases can't be mixed by accident. */
import type { FrVec } from '../field/frvec.ts';

/** Coefficients c_0..c_{len−1} (low degree first). */
export type Coeffs = FrVec & { readonly __basis?: 'coeff' };
/** Values at ω^0..ω^{n−1} of the size-n domain (natural order). */
export type LagrangeEvals = FrVec & { readonly __basis?: 'lagrange' };
/** Values at g·ζ^0..g·ζ^{N−1} of an extended coset (natural order). */
export type ExtendedEvals = FrVec & { readonly __basis?: 'extended' };
