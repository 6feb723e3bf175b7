/** Lagrange basis values at a point (verifier side; bigint). */
import { FR_MODULUS, frBatchInv, frMul, frPow, frSub, rootOfUnity } from '../scalar/fr.ts';

/**
 * L_i(x) = ω^i(x^n − 1) / (n(x − ω^i)) for each requested i (n = 2^k), with one batch inversion.
 * If x ∈ H (x = ω^j) the result is the indicator [i = j].
 */
export function lagrangeEvalsAt(k: number, x: bigint, indices: readonly number[]): bigint[] {
  const n = 2 ** k;
  const omega = rootOfUnity(k);
  const xr = ((x % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
  const zh = frSub(frPow(xr, BigInt(n)), 1n);
  const wi = indices.map((i) => frPow(omega, BigInt(((i % n) + n) % n)));
  if (zh === 0n) return wi.map((w) => (w === xr ? 1n : 0n));
  const nBig = BigInt(n) % FR_MODULUS;
  const dens = wi.map((w) => frMul(nBig, frSub(xr, w)));
  const inv = frBatchInv(dens);
  return wi.map((w, j) => frMul(frMul(w, zh), inv[j]!));
}
