/**
 * G1 linear combinations for verifiers, on @noble/curves only: no WASM engine, no worker threads and no Node
 * built-ins, so the verifier loads fast and also runs in a browser. A verifier combines one point per
 * commitment (a few hundred at most), where starting the WASM MSM engine costs more than the work (257 points:
 * 0.2 s here against 0.7 s for the engine's first call). Provers' long MSMs use msm.ts.
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { G1_BYTES, type G1Affine } from './g1.ts';
import { g1LinearCombinationNoble } from './noble.ts';

/** Σ s_i·P_i (scalars any integers, taken mod r); the identity for no points. */
export async function g1Combine(points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
  if (points.length !== scalars.length) throw new RangeError('g1Combine: length mismatch');
  if (points.length === 0) return new Uint8Array(G1_BYTES);
  for (const p of points) if (p.length !== G1_BYTES) throw new RangeError('g1Combine: point must be 64 bytes');
  return g1LinearCombinationNoble(points, scalars.map((s) => ((s % FR_MODULUS) + FR_MODULUS) % FR_MODULUS));
}
