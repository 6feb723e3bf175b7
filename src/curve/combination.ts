/**
 * G1 linear combinations for verifiers, on the single-threaded BN254 WASM module (bn254-wasm.ts): no MSM
 * engine, no worker threads and no Node built-ins, so the verifier loads fast and also runs in a browser. A
 * verifier combines one point per commitment (a few hundred at most), where starting the multi-threaded MSM
 * engine costs more than the work (0.7 s for its first call) and noble's BigInt Pippenger ~6× more than the
 * WASM one (100 points: ~38 ms against ~6 ms). Provers' long MSMs use msm.ts.
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { G1_BYTES, type G1Affine } from './g1.ts';
import { g1CombineWasm } from './bn254-wasm.ts';

type Combination = (points: readonly G1Affine[], scalars: readonly bigint[]) => Promise<G1Affine>;

/** A running MSM engine this process already paid to start (set by msm.ts after its first MSM), if any. */
let warmEngine: Combination | null = null;
/**
 * Fewer points than this stay on the in-thread WASM even with the engine running: a verifier's few hundred
 * points take a few ms there, and the engine's message round trips cost more (MNIST verify ~15 ms in-thread
 * against 17–28 ms through the engine).
 */
const WARM_ENGINE_MIN_POINTS = 1024;

/**
 * Lets verifiers in a process that already runs the WASM MSM engine (a prover that also verifies, a
 * benchmark) combine on it: with its start-up paid, a long combination is split over its threads. Called by
 * the engine's owner; nothing here imports it.
 */
export function useWarmCombination(engine: Combination): void {
  warmEngine = engine;
}

/** Σ s_i·P_i (scalars any integers, taken mod r); the identity for no points. */
export async function g1Combine(points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
  if (points.length !== scalars.length) throw new RangeError('g1Combine: length mismatch');
  if (points.length === 0) return new Uint8Array(G1_BYTES);
  for (const p of points) if (p.length !== G1_BYTES) throw new RangeError('g1Combine: point must be 64 bytes');
  const reduced = scalars.map((s) => ((s % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
  if (warmEngine && points.length >= WARM_ENGINE_MIN_POINTS) return warmEngine(points, reduced);
  return g1CombineWasm(points, reduced);
}
