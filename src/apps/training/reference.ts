/**
 * The integer SGD step that defines what a proof of training proves (the circuit, circuit.ts, must
 * reproduce it value for value). A two-layer MLP D → H → C with ReLU and softmax cross-entropy, in fixed
 * point with scale 2^s (a real v is the integer round(v·2^s)), one step on a batch of B samples:
 *
 *   z1[n][h] = rd(Σ_d x[n][d]·W1[d][h] + 2^s·b1[h], s)           (= rd(Σ x·W1, s) + b1: the bias is a multiple of 2^s)
 *   mask     = [z1 > 0],   a1 = mask·z1                          ReLU
 *   z2[n][c] = rd(Σ_h a1[n][h]·W2[h][c] + 2^s·b2[c], s)          logits
 *   m        = max_c z2[n][c]
 *   e[c]     = round(2^s·exp((z2[n][c] − m) / 2^s))              the exp table (float64 Math.exp, then Math.round), in [0, 2^s]
 *   p[c]     = div(2^s·e[c], Σ_c e[c])                           softmax, scale s
 *   δ2[n][c] = p[c] − [c = y_n]                                  ∂L/∂z2 per sample (L: the batch's mean cross-entropy, times B)
 *   δ1[n][h] = mask·rd(Σ_c δ2[n][c]·W2[h][c], s)                 back through W2 (the weights before the step) and ReLU
 *   W2' = W2 − rd(Σ_n a1[n][h]·δ2[n][c], s + u)       b2' = b2 − rd(Σ_n δ2[n][c], u)
 *   W1' = W1 − rd(Σ_n x[n][d]·δ1[n][h], s + u)        b1' = b1 − rd(Σ_n δ1[n][h], u)
 *
 * with u = log2(B) + lrShift: the mean over the batch (B a power of two) and the learning rate η = 2^−lrShift
 * are one shift. The roundings:
 *   rd(a, t)  = ⌊(2a + 2^t) / 2^(t+1)⌋ = ⌊a/2^t + 1/2⌋          round half up (toward +∞), every rescale
 *   div(a, d) = ⌊(2a + d) / 2d⌋ = ⌊a/d + 1/2⌋ for d > 0           round half up, the softmax division
 *   round     = Math.round (half up) of a float64, exp table entries and the quantization of real inputs
 *
 * Ranges (the circuit checks each; the reference throws {@link TrainingRangeError} naming the value):
 * weights, inputs, z1, z2, the back-propagated sums and every update lie in the signed actBits range
 * [−2^(A−1), 2^(A−1)); labels in [0, C). With A ≤ 16 every product and sum stays far below the field size,
 * so the circuit's field arithmetic is this integer arithmetic.
 */
import { InvalidArgumentError } from '../../errors.ts';

/** The shape and arithmetic of one training step (all of it is fixed in the verifying key). */
export interface TrainConfig {
  /** Layer sizes D → H → C. */
  readonly inputs: number;
  readonly hidden: number;
  readonly classes: number;
  /** Samples per step (a power of two). */
  readonly batch: number;
  /** Fixed-point scale 2^scaleBits. */
  readonly scaleBits: number;
  /** Learning rate η = 2^−lrShift. */
  readonly lrShift: number;
  /** Signed range of weights, inputs and activations: [−2^(actBits−1), 2^(actBits−1)). */
  readonly actBits: number;
}

/** A value outside the range the step circuit can prove (weights diverging, inputs too large, …). */
export class TrainingRangeError extends InvalidArgumentError {}

/** Weights (integers at scale 2^s, or the circuit's cells holding them): W1 is D×H (W1[d][h]), W2 is H×C. */
export interface Weights<T> {
  w1: T[][];
  b1: T[];
  w2: T[][];
  b2: T[];
}
export type IntWeights = Weights<number>;

/** One batch: B rows of D integer inputs (scale 2^s) and B labels in [0, C). */
export interface IntBatch {
  x: number[][];
  y: number[];
}

/** Scale 2^7 and 11-bit values (±8 at 1/128 steps): the 2^11-row tables let the 8 → 8 → 4 step fit k = 12. */
export const DEFAULT_TRAIN_CONFIG = { scaleBits: 7, lrShift: 2, actBits: 11 } as const;

/** Checks a configuration's numbers (InvalidArgumentError naming the field). */
export function checkConfig(c: TrainConfig): TrainConfig {
  const int = (name: keyof TrainConfig, lo: number, hi: number) => {
    const v = c[name];
    if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new InvalidArgumentError(`training config: ${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  };
  int('inputs', 1, 256);
  int('hidden', 1, 256);
  int('classes', 2, 64);
  int('batch', 1, 256);
  int('scaleBits', 1, 12);
  int('lrShift', 0, 16);
  int('actBits', 4, 16);
  if ((c.batch & (c.batch - 1)) !== 0) throw new InvalidArgumentError(`training config: batch must be a power of two (the mean is a shift), got ${c.batch}`);
  if (c.scaleBits + 1 > c.actBits) throw new InvalidArgumentError(`training config: actBits (${c.actBits}) must exceed scaleBits (${c.scaleBits}) so that 1.0 is representable`);
  // A label is committed as an A-bit digit like every value (commitment.ts): it must lie in the signed range too.
  if (c.classes > 2 ** (c.actBits - 1)) throw new InvalidArgumentError(`training config: ${c.classes} classes need actBits ≥ ${Math.ceil(Math.log2(c.classes)) + 1}`);
  return c;
}

/** log2 of the batch plus the learning-rate shift: the update's extra shift u. */
export const updateShift = (c: TrainConfig): number => Math.log2(c.batch) + c.lrShift;

/** Number of weight values (W1, b1, W2, b2). */
export const weightCount = (c: TrainConfig): number => c.inputs * c.hidden + c.hidden + c.hidden * c.classes + c.classes;

/** The weights in commitment order: W1 row by row (d, then h), b1, W2 row by row (h, then c), b2. */
export function flattenWeights<T>(w: Weights<T>): T[] {
  return [...w.w1.flat(), ...w.b1, ...w.w2.flat(), ...w.b2];
}

/** The inverse of {@link flattenWeights}. */
export function unflattenWeights<T>(c: TrainConfig, flat: readonly T[]): Weights<T> {
  let i = 0;
  const take = (n: number) => flat.slice(i, (i += n));
  const w1 = Array.from({ length: c.inputs }, () => take(c.hidden));
  const b1 = take(c.hidden);
  const w2 = Array.from({ length: c.hidden }, () => take(c.classes));
  const b2 = take(c.classes);
  return { w1, b1, w2, b2 };
}

/** The batch in commitment order: x row by row (sample, then feature), then the labels. */
export function flattenBatch(b: IntBatch): number[] {
  return [...b.x.flat(), ...b.y];
}

/** rd(a, t) = ⌊(2a + 2^t) / 2^(t+1)⌋: exact for |a| < 2^51 (division by a power of two). */
export function roundShift(a: number, t: number): number {
  return Math.floor((2 * a + 2 ** t) / 2 ** (t + 1));
}

/** div(a, d) = ⌊(2a + d) / 2d⌋ for d > 0, in exact integer steps. */
export function roundDiv(a: number, d: number): number {
  const n = 2 * a + d;
  const den = 2 * d;
  let q = Math.floor(n / den);
  while (q * den > n) q--;
  while ((q + 1) * den <= n) q++;
  return q;
}

/** The exp table's entry at u ≤ 0: round(2^s·exp(u/2^s)). */
export function expEntry(u: number, scaleBits: number): number {
  const S = 2 ** scaleBits;
  return Math.round(S * Math.exp(u / S));
}

/** The first index of the largest value. */
export function argmaxFirst(v: readonly number[]): number {
  let p = 0;
  for (let j = 1; j < v.length; j++) if (v[j]! > v[p]!) p = j;
  return p;
}

/** Everything one step computes, for the circuit's differential test and for error reports. */
export interface StepTrace {
  z1: number[][];
  mask: number[][];
  a1: number[][];
  z2: number[][];
  argmax: number[];
  exp: number[][];
  prob: number[][];
  delta2: number[][];
  delta1: number[][];
  after: IntWeights;
}

/**
 * One SGD step in the integer semantics above. Throws TrainingRangeError when any checked value leaves
 * its range (`where` prefixes the message, e.g. 'step 3').
 */
export function sgdStep(c: TrainConfig, w: IntWeights, batch: IntBatch, where = 'step'): StepTrace {
  const { inputs: D, hidden: H, classes: C, batch: B, scaleBits: s, actBits: A } = c;
  const half = 2 ** (A - 1);
  const inRange = (v: number, what: string): number => {
    if (!(v >= -half && v < half)) throw new TrainingRangeError(`${where}: ${what} = ${v} is outside the ${A}-bit range [${-half}, ${half}) the circuit proves (lower the learning rate or rescale the data)`);
    return v;
  };
  checkShapes(c, w, batch, where);
  flattenWeights(w).forEach((v, i) => inRange(v, `weight ${i} (before the step)`));
  batch.x.forEach((row, n) => row.forEach((v, d) => inRange(v, `input x[${n}][${d}]`)));
  const S = 2 ** s;
  const u = updateShift(c);
  const z1 = batch.x.map((x, n) =>
    Array.from({ length: H }, (_, h) => {
      let acc = S * w.b1[h]!;
      for (let d = 0; d < D; d++) acc += x[d]! * w.w1[d]![h]!;
      return inRange(roundShift(acc, s), `hidden pre-activation z1[${n}][${h}]`);
    }),
  );
  const mask = z1.map((r) => r.map((v) => (v > 0 ? 1 : 0)));
  const a1 = z1.map((r, n) => r.map((v, h) => (mask[n]![h]! ? v : 0)));
  const z2 = a1.map((a, n) =>
    Array.from({ length: C }, (_, k) => {
      let acc = S * w.b2[k]!;
      for (let h = 0; h < H; h++) acc += a[h]! * w.w2[h]![k]!;
      return inRange(roundShift(acc, s), `logit z2[${n}][${k}]`);
    }),
  );
  const argmax = z2.map(argmaxFirst);
  const exp = z2.map((z, n) => z.map((v) => expEntry(v - z[argmax[n]!]!, s)));
  const prob = exp.map((e) => {
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => roundDiv(S * v, sum));
  });
  const delta2 = prob.map((p, n) => p.map((v, k) => v - (k === batch.y[n] ? 1 : 0) * S));
  const delta1 = delta2.map((d2, n) =>
    Array.from({ length: H }, (_, h) => {
      let acc = 0;
      for (let k = 0; k < C; k++) acc += d2[k]! * w.w2[h]![k]!;
      const g = inRange(roundShift(acc, s), `back-propagated gradient at z1[${n}][${h}]`);
      return mask[n]![h]! ? g : 0;
    }),
  );
  const update = (old: number, sum: number, t: number, what: string): number => {
    const step = inRange(roundShift(sum, t), `update of ${what}`);
    return inRange(old - step, `${what} after the step`);
  };
  const sumOver = (f: (n: number) => number) => {
    let acc = 0;
    for (let n = 0; n < B; n++) acc += f(n);
    return acc;
  };
  const after: IntWeights = {
    w1: w.w1.map((row, d) => row.map((v, h) => update(v, sumOver((n) => batch.x[n]![d]! * delta1[n]![h]!), s + u, `W1[${d}][${h}]`))),
    b1: w.b1.map((v, h) => update(v, sumOver((n) => delta1[n]![h]!), u, `b1[${h}]`)),
    w2: w.w2.map((row, h) => row.map((v, k) => update(v, sumOver((n) => a1[n]![h]! * delta2[n]![k]!), s + u, `W2[${h}][${k}]`))),
    b2: w.b2.map((v, k) => update(v, sumOver((n) => delta2[n]![k]!), u, `b2[${k}]`)),
  };
  return { z1, mask, a1, z2, argmax, exp, prob, delta2, delta1, after };
}

function checkShapes(c: TrainConfig, w: IntWeights, batch: IntBatch, where: string): void {
  const bad = (what: string) => {
    throw new InvalidArgumentError(`${where}: ${what} does not match the configuration ${c.inputs} → ${c.hidden} → ${c.classes}, batch ${c.batch}`);
  };
  const rows = (m: number[][], r: number, k: number) => m.length === r && m.every((x) => x.length === k);
  if (!rows(w.w1, c.inputs, c.hidden) || w.b1.length !== c.hidden || !rows(w.w2, c.hidden, c.classes) || w.b2.length !== c.classes) bad('the weights');
  if (!rows(batch.x, c.batch, c.inputs) || batch.y.length !== c.batch) bad('the batch');
  batch.y.forEach((y, n) => {
    if (!Number.isInteger(y) || y < 0 || y >= c.classes) throw new InvalidArgumentError(`${where}: label ${n} is ${y}, not in [0, ${c.classes})`);
  });
}
