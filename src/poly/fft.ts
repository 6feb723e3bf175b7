/**
 * FFTs over H = ⟨ω⟩ (ω = 5^((r−1)/2^k)) and over cosets g·⟨ζ⟩ of extended domains. Natural order in and out.
 * Small sizes run in our single-threaded WASM kernel (wasmcurves' radix-2 NTT, no worker round trip);
 * large ones use ffjavascript's multi-threaded `Fr.fft` (same roots, verified in test/poly).
 */
import { frInv } from '../field/fr.ts';
import { frVecLen, frVecMulPowers, frVecResize, type FrVec } from '../field/frvec.ts';
import { FFT_MAX_LOG, N8, frKernel } from '../kernels/fr-wasm.ts';
import { getFfjsCurve } from '../kernels/ffjs.ts';
import type { Coeffs, ExtendedEvals, LagrangeEvals } from './types.ts';

/** Sizes up to 2^LOCAL_FFT_MAX_LOG use the local kernel (no worker round trip; measured faster at 2^10, slower from 2^12 even on 2 cores); larger ones ffjavascript's worker pool. */
export let LOCAL_FFT_MAX_LOG = 10;
export function setLocalFftMaxLog(k: number): void {
  LOCAL_FFT_MAX_LOG = Math.min(k, FFT_MAX_LOG);
}

function padTo(v: FrVec, k: number, what: string): FrVec {
  const n = 2 ** k;
  const len = frVecLen(v);
  if (len > n) throw new RangeError(`${what}: ${len} values do not fit a domain of size 2^${k}`);
  return len === n ? v : frVecResize(v, n);
}

function localFft(v: FrVec, k: number, inverse: boolean): FrVec {
  const kern = frKernel();
  const n = 2 ** k;
  const m = new Uint8Array(kern.memory.buffer);
  m.set(v, kern.F);
  (inverse ? kern.x.frm_ifft! : kern.x.frm_fft!)(kern.F, n);
  return m.slice(kern.F, kern.F + n * N8);
}

async function anyFft(v: FrVec, k: number, inverse: boolean): Promise<FrVec> {
  if (k === 0) return v.slice();
  if (k <= LOCAL_FFT_MAX_LOG) return localFft(v, k, inverse);
  const curve = await getFfjsCurve();
  const out = await (inverse ? curve.Fr.ifft(v) : curve.Fr.fft(v));
  if (!(out instanceof Uint8Array)) throw new Error('ffjavascript returned a BigBuffer; FFT size too large');
  return out;
}

/** Evaluations at ω^i (natural order) of a polynomial with ≤ 2^k coefficients (zero padded). */
export async function fft(coeffs: Coeffs, k: number): Promise<LagrangeEvals> {
  return anyFft(padTo(coeffs, k, 'fft'), k, false);
}

/** Coefficients (length 2^k) from evaluations at ω^i; k is the log of the input length. */
export async function ifft(evals: LagrangeEvals, k: number): Promise<Coeffs> {
  if (frVecLen(evals) !== 2 ** k) throw new RangeError(`ifft: expected 2^${k} evaluations, got ${frVecLen(evals)}`);
  return anyFft(evals, k, true);
}

/** Evaluations at g·ζ^i, i < 2^extK (ζ = rootOfUnity(extK)), of a polynomial with ≤ 2^extK coefficients. */
export async function cosetFft(coeffs: Coeffs, extK: number, g: bigint): Promise<ExtendedEvals> {
  const padded = padTo(coeffs, extK, 'cosetFft');
  const scaled = frVecMulPowers(padded, g); // c_i·g^i, so p(g·X) at ζ^i
  return anyFft(scaled, extK, false);
}

/** Inverse of cosetFft: coefficients (length N) from evaluations at g·ζ^i, N = input length (a power of 2). */
export async function cosetIfft(evals: ExtendedEvals, g: bigint): Promise<Coeffs> {
  const n = frVecLen(evals);
  const k = Math.log2(n);
  if (!Number.isInteger(k)) throw new RangeError(`cosetIfft: length ${n} is not a power of two`);
  const c = await anyFft(evals, k, true);
  return frVecMulPowers(c, frInv(g), 1n, c);
}
