/**
 * Cost model: predicts prove/keygen time, peak memory, commitment count and proof size of a compiled
 * circuit from its stats and constraint-system shape, by counting the prover's and keygen's kernels
 * (PROTOCOL rounds as implemented in src/plonk/prover.ts and keygen.ts):
 *
 *  - full-width MSMs of size 2^k (coefficient-form commitments: permutation products z, logUp sums φ,
 *    the d−1 quotient pieces, SHPLONK's W and W′; in keygen the σ columns; r has 4 coefficients),
 *  - small-scalar MSMs over the Lagrange basis (phase-0 advice and multiplicity columns in the prover,
 *    fixed columns in keygen: quantized values need few Pippenger windows; later-phase advice, whose
 *    values come from challenges, is charged as full-width MSMs),
 *  - iFFTs of size 2^k (every committed column to coefficients) and, for the quotient, 2^e coset FFTs of
 *    size 2^k per column it reads (the extended domain is evaluated one n-point coset at a time); the
 *    quotient comes back by one coset iFFT of size 2^(k+e),
 *  - element-wise work on the extended domain (constraint evaluation), per column touched.
 *
 * Per-unit costs are constants for this machine (2 cores, Node 20, our WASM kernels in src/kernels),
 * measured once: full and small MSM and FFT are the project's kernel-bench figures (`npm run bench --
 * kernels`: msm_16 270 ms (see FULL_MSM_MS_2_16), msm_small_16 46 ms, fft_20 410 ms); the element-wise term, keygen overhead and
 * memory factor were fitted to `npm run bench -- model examples/mnist/model.onnx` (k = 14: prove 4.8 s,
 * keygen 4.9 s, 573 MB). Estimates, good to a factor of ~1.5, not promises.
 */
import type { ConstraintSystem } from '../plonk/cs.ts';
import { csShape } from '../plonk/cs.ts';
import { evaluationOrder } from '../plonk/openings.ts';
import { PIPELINE_MAX_BYTES } from '../plonk/quotient-memory.ts';

/**
 * Full-width (254-bit scalar) G1 MSM of 2^16 points, ms; scales as n / log2 n (Pippenger). The kernel bench
 * measures 270 ms with the FMA field, but at the prover's smaller sizes fixed costs (messages, digits,
 * window combination) weigh more, so the value that keeps the MNIST prediction on the measured prove time
 * (k = 14: 4.8 → 4.4 s when the FMA field landed) is used.
 */
export const FULL_MSM_MS_2_16 = 330;
/** Small-scalar (≤ 16-bit signed) G1 MSM of 2^16 points, ms; scales linearly. */
export const SMALL_MSM_MS_2_16 = 46;
/** Radix-2 FFT over Fr of 2^20 points, ms; scales as N log2 N. */
export const FFT_MS_2_20 = 410;
/** Element-wise Fr work on the extended domain per column touched by the quotient, ms per 2^20 points. */
export const ELEMENTWISE_MS_2_20 = 250;
/** The prover's largest split of a coset under a memory budget (src/plonk/prover.ts MAX_SPLIT). */
export const QUOTIENT_MAX_SPLIT = 64;
/** Resident baseline (Node, the CLI bundle, one kernel host per core with its WASM heaps, the compiled model), MB: measured `zkml prove` peaks of the peer MLP (k 10) 140–148 MB and MNIST (k 12) 192–207 MB on 2 cores. */
export const BASE_RSS_MB = 130;
/**
 * Live-bytes → RSS factor (allocator slack, the witness layout's own arrays, transient copies in the FFT and
 * MSM workers). Checked against `zkml prove` peaks (/usr/bin/time): MNIST 253 MB (predicted 280), peer MLP
 * 248 MB (240), CIFAR-10 1.52 GB (2.14), MobileNetV1 0.35/96 11.0 GB (13.0). An in-process benchmark that
 * also holds setup's key peaks higher (MNIST bench 424 MB).
 */
export const RSS_FACTOR = 1.9;
/**
 * Keygen work the kernel counts miss (σ construction from copies, selector checks, vk digest, the dev SRS's
 * Lagrange key), as a factor; fitted to the MNIST bench (k = 14: 2.07 s measured since the dev SRS runs on
 * our fixed-base batches; it was 4.9 s with ffjavascript's, when this factor was 3.2).
 */
export const KEYGEN_OVERHEAD = 1.6;

export interface CostStats {
  rows: number;
  advice: number;
  fixed: number;
  lookups: number;
  copies: number;
  k: number;
}

/** Constraint-system numbers beyond the stats; `costShapeOf` derives them exactly from a cs. */
export interface CostShape {
  /** Extension exponent e: the quotient lives on 2^(k+e) points. */
  extK: number;
  /** Degree bound d (the quotient has d−1 pieces). */
  d: number;
  instance: number;
  /** Columns in the permutation argument (σ polynomials). */
  equality: number;
  /** Permutation product polynomials z. */
  permutationChunks: number;
  /** logUp arguments (one multiplicity column each) and their running-sum columns φ. */
  lookupArgs: number;
  logupSums: number;
  /** Evaluations in the proof (32 bytes each). */
  evaluations: number;
  /**
   * Advice columns of later phases (values from challenges, e.g. Freivalds checks): full field elements,
   * so they are committed by full-width MSMs instead of small-scalar ones. Default 0.
   */
  laterPhaseAdvice?: number;
}

export interface CostPrediction {
  prove_ms: number;
  keygen_ms: number;
  /** Peak with the quotient evaluated on whole cosets (what prove takes when memory allows). */
  peak_rss_mb: number;
  /**
   * Peak with the quotient on its smallest pieces (prove --max-memory splits each coset into up to
   * QUOTIENT_MAX_SPLIT sub-cosets): below this no budget can bring the proof.
   */
  min_rss_mb: number;
  commitments: number;
  proof_bytes: number;
  /** The kernel counts behind the figures. */
  kernels: { full_msm: number; small_msm: number; ifft: number; coset_fft: number; extended_columns: number };
}

export function costShapeOf(cs: ConstraintSystem, k: number): CostShape {
  const shape = csShape(cs, k);
  return {
    extK: shape.extK,
    d: shape.d,
    instance: cs.numInstance,
    equality: cs.equality.length,
    permutationChunks: shape.chunks.length,
    lookupArgs: shape.lookupArgs.length,
    logupSums: shape.lookupArgs.reduce((s, a) => s + a.groups.length, 0),
    evaluations: evaluationOrder(cs, shape).length,
    laterPhaseAdvice: cs.advicePhases.filter((p) => p > 0).length,
  };
}

/** A shape guessed from the stats alone (degree-5 bound, every advice column under copy constraints). */
export function approximateShape(stats: CostStats): CostShape {
  const d = 5;
  const equality = stats.advice + 1;
  const lookupArgs = stats.lookups > 0 ? 1 : 0;
  const logupSums = Math.ceil(stats.lookups / Math.max(1, d - 3));
  return {
    extK: 2,
    d,
    instance: 1,
    equality,
    permutationChunks: Math.ceil(equality / (d - 2)),
    lookupArgs,
    logupSums,
    evaluations: stats.advice + stats.fixed + 2 * equality + 3 * (lookupArgs + logupSums) + 4,
  };
}

const fullMsm = (k: number): number => FULL_MSM_MS_2_16 * 2 ** (k - 16) * (16 / k);
const smallMsm = (k: number): number => SMALL_MSM_MS_2_16 * 2 ** (k - 16);
const fft = (k: number): number => FFT_MS_2_20 * 2 ** (k - 20) * (k / 20);

export function predictCost(stats: CostStats, shape: CostShape = approximateShape(stats)): CostPrediction {
  const { k } = stats;
  const K = k + shape.extK;
  const n = 2 ** k;
  const A = stats.advice;
  const F = stats.fixed;
  const { instance: I, equality: E, permutationChunks: Z, lookupArgs: L, logupSums: P, d } = shape;

  // Prover.
  const A1 = Math.min(A, shape.laterPhaseAdvice ?? 0);
  const proverSmall = A - A1 + L;
  const proverFull = A1 + Z + P + (d - 1) + 2;
  const proverCols = A + I + Z + L + P; // each: iFFT 2^k to coefficients
  const touched = proverCols + F + E + 4; // columns read by the quotient, each evaluated on 2^e cosets of size 2^k
  const cosets = 2 ** shape.extK;
  const proveMs =
    proverSmall * smallMsm(k) +
    proverFull * fullMsm(k) +
    proverCols * fft(k) +
    touched * cosets * fft(k) +
    fft(K) + // quotient coset iFFT
    touched * ELEMENTWISE_MS_2_20 * 2 ** (K - 20);

  // Keygen: fixed (small MSM over Lagrange), σ (full MSM), coefficient forms of both and of l0, llast, lblind.
  const keygenMs = KEYGEN_OVERHEAD * (F * smallMsm(k) + E * fullMsm(k) + (F + E + 4) * fft(k));

  // Memory at the quotient, the prover's peak: one form of each column — the key's coefficients (fixed, σ,
  // l0, llast, lblind, x) and the prover's (advice, instance, z, m, φ; their Lagrange forms are gone by
  // then) — the quotient's pieces accumulated so far, one piece of the extended domain's leaf values (every
  // column read, once: rotations are slices, the workers share them), and the SRS (powers, Lagrange basis).
  const baseVecs = F + E + 4 + proverCols + (d - 1) + 2;
  const cosetVecs = touched;
  const baseBytes = 32 * n * baseVecs + 64 * n * 2;
  const mb = (bytes: number) => BASE_RSS_MB + (RSS_FACTOR * bytes) / 2 ** 20;
  // Up to PIPELINE_MAX_BYTES the prover pipelines the cosets with a second set of leaf values.
  const leafBytes = 32 * n * cosetVecs;
  const peak = mb(baseBytes + leafBytes * (leafBytes <= PIPELINE_MAX_BYTES ? 2 : 1));
  const minPeak = mb(baseBytes + (32 * n * cosetVecs) / QUOTIENT_MAX_SPLIT);

  const commitments = A + L + Z + P + 1 + (d - 1) + 2;
  return {
    prove_ms: Math.round(proveMs),
    keygen_ms: Math.round(keygenMs),
    peak_rss_mb: Math.round(peak),
    min_rss_mb: Math.round(minPeak),
    commitments,
    proof_bytes: 8 + 64 * commitments + 32 * shape.evaluations,
    kernels: { full_msm: proverFull, small_msm: proverSmall, ifft: proverCols, coset_fft: touched * cosets + 1, extended_columns: touched },
  };
}
