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

/**
 * Shifted-base tables (engine.mjs buildShifted / run with a stride): with 2^(c·w)·P_i precomputed for the
 * windows w of a group, the group's windows share one bucket set, so an MSM costs about n·W digit additions
 * plus ONE bucket reduction (2^(c−1) buckets) per group instead of one per window — and the best c is
 * larger (2^12 points: 13 instead of 10). A table holds R rows (2^(c·r)·P_i, r < R); a scalar's W windows
 * form ceil(W / R) groups of R, group g's sum weighted by 2^(c·R·g) when combined. With one group per
 * thread (R = ceil(rows / threads)) each thread reduces one bucket set — as many reductions as one group
 * split by points — while the table, and its build (c·(R − 1) doublings per point), is 1/threads as large.
 */
export const TABLE_BITS = 254;
/**
 * Widths a table is built for. Below, the saving is small; above 12 the model still sees gains (2^13
 * buckets' reduction against ~10 % fewer digit additions) but the timed task does not: 2^12 and 2^13
 * points, one worker's task, c = 12 vs 13: 20 vs 24-33 ms and 33-38 vs 38 ms (plain 30 and 43 ms).
 */
const TABLE_C_MIN = 10;
const TABLE_C_MAX = 12;
/**
 * Measured: an addition over a table costs ~1.2× one over the plain bases (the rows stream from memory, the
 * bucket set is wider), and so does a doubling in the build. With it the model is conservative: 2^11..2^14
 * points on 2 workers save 32 / 30 / 25 / 9 % per MSM when timed (model 29 / 23 / 14 / 4 %), and builds
 * take 2.8 / 2.9 / 3.6 / 4.9 plain MSMs (model 3.0 / 3.5 / 4.1 / 4.7).
 */
const TABLE_PENALTY = 1.2;

/** Windows of a TABLE_BITS-bit scalar's signed digits at width c. */
export function tableWindows(c: number): number {
  return Math.ceil((TABLE_BITS + 1) / c);
}

/** Rows of a width-c table for `groups` groups: every window of a TABLE_BITS-bit scalar in some group. */
export function tableRows(c: number, groups: number): number {
  return Math.ceil(tableWindows(c) / groups);
}

/** A plan over a table: tasks never cross a group; each returns its group's one sum (see pool.ts). */
export interface StackedPlan extends MsmPlan {
  /** Table rows per group. */
  R: number;
  /** Groups: the combine step's windows, of c·R bits each. */
  G: number;
}

/**
 * Plan for n points, scalars of at most `bits` bits, over a width-c table of R rows: one task per group,
 * groups split by points too while there are more threads than groups.
 */
export function planStacked(n: number, bits: number, threads: number, c: number, R: number): StackedPlan {
  const W = Math.ceil((bits + 1) / c);
  const G = Math.ceil(W / R);
  const half = 1 << (c - 1);
  const gP = Math.max(1, Math.min(Math.floor(threads / G), n));
  const np = Math.ceil(n / gP);
  const ops = np * Math.min(R, W);
  const K = batchSize(half, ops);
  const conflict = Math.min(1, K / (2 * half));
  const add = (ADD_COST + DEFER_COST * conflict + INV_COST / K) * TABLE_PENALTY;
  const reduce = (REDUCE_COST + (2 * INV_COST) / Math.min(1024, half)) * TABLE_PENALTY;
  const perTask = ops * add + half * reduce + ops * DIGIT_COST;
  const tasks: MsmTask[] = [];
  for (let g = 0; g < G; g++)
    for (const t of grid(n, 1, 1, gP)) tasks.push({ p0: t.p0, p1: t.p1, w0: g * R, w1: Math.min(W, (g + 1) * R) });
  return { c, W, K, R, G, tasks, cost: Math.ceil(tasks.length / threads) * perTask };
}

/**
 * The table width that makes an n-point MSM (full-width scalars) cheapest, one group per thread: the
 * model's choice among the widths whose bucket set (2^(c−1)) holds at most half as many buckets as there
 * are points. Wider sets the model prefers lose when timed, their reduction and the buckets' cache
 * footprint costing more than it counts. One worker's task over a table of 2 workers' rows, ms, at c = 10 /
 * 11 / 12, with V8's optimizer off as in a small proof: 1025 points 8.7 / 9.2 / 11.6, 2049 points 16.1 /
 * 15.2 / 16.9, 4097 points 30.1 / 26.8 / 27.0 (the model had chosen 11, 12, 12; this rule 10, 11, 12).
 */
export function bestTableWidth(n: number, threads: number): number {
  let best = TABLE_C_MIN;
  let bestCost = Infinity;
  for (let c = TABLE_C_MIN; c <= TABLE_C_MAX && (c === TABLE_C_MIN || 2 ** (c - 1) <= n / 2); c++) {
    const cost = planStacked(n, TABLE_BITS, threads, c, tableRows(c, threads)).cost;
    if (cost < bestCost) {
      best = c;
      bestCost = cost;
    }
  }
  return best;
}

/** Model cost (slowest thread) of building a width-c table of R rows over N points, split by points. */
export function tableBuildCost(N: number, c: number, R: number, threads: number): number {
  return Math.ceil(N / threads) * (R - 1) * c * (ADD_COST + INV_COST / 4096) * TABLE_PENALTY;
}
