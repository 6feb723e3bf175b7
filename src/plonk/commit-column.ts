/**
 * Commitments to witness columns. Quantized witnesses are small signed integers on the usable rows and
 * random only on the blinding rows, so the commitment is split: a small-scalar MSM over [L_i(τ)]₁ for
 * rows < u (few Pippenger windows) plus a full MSM over the b+1 blinding rows.
 */
import type { Srs } from '../commit/index.ts';
import { g1Add, g1Msm, g1MsmAuto, type G1Affine } from '../curve/index.ts';
import type { FrVec } from '../field/frvec.ts';

export async function commitWitnessColumn(srs: Srs, k: number, u: number, evals: FrVec): Promise<G1Affine> {
  const basis = await srs.lagrange(k);
  // The usable rows go to the MSM threads; the few blinding rows are summed here meanwhile.
  const used = g1MsmAuto(basis.subarray(0, u * 64), evals.subarray(0, u * 32));
  used.catch(() => undefined); // awaited below, after the blinding rows
  const blind = await g1Msm(basis.subarray(u * 64), evals.subarray(u * 32));
  return g1Add(await used, blind);
}

/**
 * Commits columns (commitWitnessColumn) with up to `window` in flight, calling `absorb` with each commitment
 * in column order: this thread prepares the next columns' scalars and blinding rows while the MSM threads
 * work, and at most `window` columns' scalars are held at once.
 */
export async function commitWitnessColumns(srs: Srs, k: number, u: number, columns: readonly FrVec[], absorb: (c: G1Affine, i: number) => void, window = 4): Promise<G1Affine[]> {
  const out: G1Affine[] = new Array(columns.length);
  const jobs: Promise<G1Affine>[] = [];
  const launch = (i: number) => {
    const job = commitWitnessColumn(srs, k, u, columns[i]!);
    job.catch(() => undefined); // awaited in order below
    jobs[i] = job;
  };
  for (let i = 0; i < Math.min(window, columns.length); i++) launch(i);
  for (let i = 0; i < columns.length; i++) {
    out[i] = await jobs[i]!;
    if (i + window < columns.length) launch(i + window);
    absorb(out[i]!, i);
  }
  return out;
}
