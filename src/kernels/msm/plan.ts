/**
 * Pippenger plan: window width c, batch size K and how the (points × windows) grid is split into tasks, one
 * per thread, from a cost model in f29 multiplication units (CPU time measured on this machine; with the f51
 * field an addition and an inversion both cost ~0.7× as much, so the ratios — and the plans — barely move:
 * c = 12 / 13 / 15 at 2^14 / 2^16 / 2^18, each within ~2 % of its timed neighbours):
 * a batch-affine bucket addition ≈ 7.5 (5 mul + 1 square + the additions/copies around them) plus its share
 * of one inversion (≈ 450; f29: wasmcurves' binary extended Euclid, f51: Fermat on both lanes); a digit that waits for a later batch because
 * its bucket is taken costs little; reducing a bucket by running sums costs two more batch-affine additions. Splitting by windows does not repeat the bucket reduction; splitting by points does, but
 * is the only split when there are fewer windows than threads.
 */
export interface MsmTask {
  p0: number;
  p1: number;
  w0: number;
  w1: number;
}
export interface MsmPlan {
  c: number;
  /** Windows in total: ceil((bits + 1) / c) (signed digits need one spare bit for the final carry). */
  W: number;
  /** Additions per batch inversion. */
  K: number;
  tasks: MsmTask[];
  /** Model cost of the slowest task. */
  cost: number;
}

const INV_COST = 450;
const ADD_COST = 7.5;
const DEFER_COST = 0.5;
const REDUCE_COST = 15; // two batch-affine additions per bucket (segmented running sums, engine.mjs)
const DIGIT_COST = 0.3;

/** Additions per batch: at most half the buckets of a window (more would mostly wait), at most 2048. */
function batchSize(buckets: number, ops: number): number {
  let K = 4;
  while (K * 2 <= 2048 && K * 2 * 2 <= buckets && K * 2 <= ops) K *= 2;
  return K;
}

/** Plan for n points with scalars of at most `bits` bits, on `threads` threads. */
export function planMsm(n: number, bits: number, threads: number): MsmPlan {
  let best: MsmPlan | null = null;
  for (let c = 2; c <= 16; c++) {
    const W = Math.ceil((bits + 1) / c);
    const half = 1 << (c - 1);
    for (let gW = 1; gW <= Math.min(threads, W); gW++) {
      const gP = Math.max(1, Math.min(Math.floor(threads / gW), n));
      const Wt = Math.ceil(W / gW);
      const np = Math.ceil(n / gP);
      const B = Wt * half;
      const ops = np * Wt;
      const K = batchSize(half, ops); // windows are accumulated one at a time
      const conflict = Math.min(1, K / (2 * half));
      const add = ADD_COST + DEFER_COST * conflict + INV_COST / K;
      const reduce = REDUCE_COST + (2 * INV_COST) / Math.min(1024, B);
      const cost = ops * add + B * reduce + np * W * DIGIT_COST;
      if (!best || cost < best.cost * 0.98) best = { c, W, K, tasks: grid(n, W, gW, gP), cost };
    }
  }
  return best!;
}

function grid(n: number, W: number, gW: number, gP: number): MsmTask[] {
  const tasks: MsmTask[] = [];
  for (let a = 0; a < gW; a++) {
    const w0 = Math.floor((a * W) / gW);
    const w1 = Math.floor(((a + 1) * W) / gW);
    for (let b = 0; b < gP; b++) {
      const p0 = Math.floor((b * n) / gP);
      const p1 = Math.floor(((b + 1) * n) / gP);
      if (w1 > w0 && p1 > p0) tasks.push({ p0, p1, w0, w1 });
    }
  }
  return tasks;
}
