/**
 * FFTs over H = ⟨ω⟩ (ω = 5^((r−1)/2^k)) and over cosets g·⟨ζ⟩ of extended domains. Natural order in and out.
 * All sizes run in our NTT (src/kernels/ntt): small ones synchronously on the calling thread (one in-cache
 * block, no worker round trip), larger ones as a four-step transform over the worker pool plus the main
 * thread. Coset powers and the 1/n of the inverse are folded into the kernel's passes.
 */
import { frVecLen, frVecResize, type FrVec } from '../field/frvec.ts';
import { NTT_SYNC_MAX_LOG, nttPooled, nttSync, type NttOptions } from '../kernels/ntt/index.ts';
import type { Coeffs, ExtendedEvals, LagrangeEvals } from './types.ts';

/**
 * Sizes up to 2^LOCAL_FFT_MAX_LOG run synchronously on the calling thread; larger ones use the pool.
 * 2^12 (the largest in-cache block) measured faster on the main thread than pooled on 2 shared cores.
 */
export let LOCAL_FFT_MAX_LOG = 12;
/** Sets the crossover (clamped to the kernel's in-cache limit); 0 sends every size above 1 to the pool. */
export function setLocalFftMaxLog(k: number): void {
  LOCAL_FFT_MAX_LOG = Math.min(k, NTT_SYNC_MAX_LOG);
}

function padTo(v: FrVec, k: number, what: string): FrVec {
  const n = 2 ** k;
  const len = frVecLen(v);
  if (len > n) throw new RangeError(`${what}: ${len} values do not fit a domain of size 2^${k}`);
  return len === n ? v : frVecResize(v, n);
}

async function anyFft(v: FrVec, k: number, opts: NttOptions): Promise<FrVec> {
  if (k <= LOCAL_FFT_MAX_LOG) return nttSync(v, k, opts);
  return nttPooled(v, k, opts);
}

/** Evaluations at ω^i (natural order) of a polynomial with ≤ 2^k coefficients (zero padded). */
export async function fft(coeffs: Coeffs, k: number): Promise<LagrangeEvals> {
  return anyFft(padTo(coeffs, k, 'fft'), k, {});
}

/** Coefficients (length 2^k) from evaluations at ω^i; k is the log of the input length. */
export async function ifft(evals: LagrangeEvals, k: number): Promise<Coeffs> {
  if (frVecLen(evals) !== 2 ** k) throw new RangeError(`ifft: expected 2^${k} evaluations, got ${frVecLen(evals)}`);
  return anyFft(evals, k, { inverse: true });
}

/**
 * Evaluations at g·ζ^i, i < 2^extK (ζ = rootOfUnity(extK)), of a polynomial with ≤ 2^extK coefficients;
 * written into `out` (2^extK elements) when given.
 */
export async function cosetFft(coeffs: Coeffs, extK: number, g: bigint, out?: FrVec): Promise<ExtendedEvals> {
  return anyFft(padTo(coeffs, extK, 'cosetFft'), extK, { coset: g, ...(out ? { out } : {}) });
}

/**
 * Inverse of cosetFft: coefficients (length N) from evaluations at g·ζ^i, N = input length (a power of 2);
 * written into `out` (N elements) when given.
 */
export async function cosetIfft(evals: ExtendedEvals, g: bigint, out?: FrVec): Promise<Coeffs> {
  const n = frVecLen(evals);
  const k = Math.log2(n);
  if (!Number.isInteger(k)) throw new RangeError(`cosetIfft: length ${n} is not a power of two`);
  return anyFft(evals, k, { inverse: true, coset: g, ...(out ? { out } : {}) });
}
