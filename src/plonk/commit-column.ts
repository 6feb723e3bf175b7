/**
 * Commitments to witness columns. Quantized witnesses are small signed integers on the usable rows and
 * random only on the blinding rows, so the commitment is split: a small-scalar MSM over [L_i(τ)]₁ for
 * rows < u (few Pippenger windows) plus a full MSM over the b+1 blinding rows.
 */
import type { Srs } from '../commit/index.ts';
import { frVecToStandard, type FrVec } from '../field/frvec.ts';
import { g1Add, g1Msm, g1MsmAuto, g1MsmSmallSignedMany, smallSignedScalars, type G1Affine } from '../curve/index.ts';
import { yieldToThreads } from '../kernels/platform.ts';

/**
 * Up to this many usable-row values in all, a phase's columns are committed as one batch of MSMs, each
 * whole on one MSM thread. At these sizes a small-scalar MSM is too short to split over the threads (it
 * would run on this thread, one column after another, while they idle); above it each is split as usual,
 * and the columns' scalars are not all held at once.
 */
const BATCH_MAX_VALUES = 1 << 18;

export async function commitWitnessColumn(srs: Srs, k: number, u: number, evals: FrVec): Promise<G1Affine> {
  const basis = await srs.lagrange(k);
  // The usable rows go to the MSM threads; the few blinding rows are summed here meanwhile.
  const used = g1MsmAuto(basis.subarray(0, u * 64), evals.subarray(0, u * 32));
  used.catch(() => undefined); // awaited below, after the blinding rows
  const blind = await g1Msm(basis.subarray(u * 64), evals.subarray(u * 32));
  return g1Add(await used, blind);
}

/**
 * Commits columns, calling `absorb` with each commitment in column order. Small circuits: the usable rows
 * of every column whose values there are small signed integers go to the MSM threads as one batch (one
 * column per thread at a time) while this thread sums the blinding rows. Otherwise (or for a column with
 * a full-width value) commitWitnessColumn with up to `window` columns in flight: this thread prepares the
 * next columns' scalars and blinding rows while the MSM threads work, and at most `window` columns'
 * scalars are held at once.
 */
export async function commitWitnessColumns(srs: Srs, k: number, u: number, columns: readonly FrVec[], absorb: (c: G1Affine, i: number) => void, window = 4): Promise<G1Affine[]> {
  if (columns.length >= 2 && u * columns.length <= BATCH_MAX_VALUES) return commitBatch(srs, k, u, columns, absorb);
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

async function commitBatch(srs: Srs, k: number, u: number, columns: readonly FrVec[], absorb: (c: G1Affine, i: number) => void): Promise<G1Affine[]> {
  const basis = await srs.lagrange(k);
  const usedBases = basis.subarray(0, u * 64);
  const small = columns.map((c) => smallSignedScalars(frVecToStandard(c.subarray(0, u * 32))));
  const batch = g1MsmSmallSignedMany(
    usedBases,
    small.filter((s): s is Int32Array => s !== null),
  );
  batch.catch(() => undefined); // awaited below, after the blinding rows
  // The batch is posted a few promise steps on (and after any reply the MSM queue waits for): let it go
  // before the blinding rows, which never yield.
  await yieldToThreads();
  const blind: G1Affine[] = [];
  for (const c of columns) blind.push(await g1Msm(basis.subarray(u * 64), c.subarray(u * 32)));
  const sums = await batch;
  const out: G1Affine[] = new Array(columns.length);
  let j = 0;
  for (let i = 0; i < columns.length; i++) {
    const used = small[i] ? sums[j++]! : await g1MsmAuto(usedBases, columns[i]!.subarray(0, u * 32));
    out[i] = await g1Add(used, blind[i]!);
    absorb(out[i]!, i);
  }
  return out;
}
