/**
 * The circuit of one SGD step (reference.ts defines the arithmetic). Private: the weights before, the
 * batch (inputs and labels), every intermediate, the weights after, three salts. Public, in this order:
 *
 *   commit(W_t; s_t),  commit(x, y; s_batch),  commit(W_{t+1}; s_{t+1})   (commitment.ts: packed words, chips/commitment.ts)
 *
 * so a proof says "the weights behind the third commitment are one step of SGD from those behind the first
 * on the batch behind the second" and nothing else. How each reference line is pinned:
 *   ranges        weights (before and after) and inputs: one range row each (chips/range.ts, actBits signed);
 *                 labels: one-hot (chips/one-hot.ts proves y ∈ [0, C) and gives its bits)
 *   Σ products    dot-product rows with advice weights (chips/dot.ts), the bias 2^s·b by an affine row
 *   rd(·, t)      rescale rows (chips/rescale.ts: remainder and quotient range-checked, limbs when wide)
 *   ReLU          mask = step(z1) by lookup in the table of [z > 0] over the actBits domain; a1 = mask·z1
 *   max           the one-hot P of the first argmax (a private hint), m = Σ P_c·z_c, and for every c
 *                 m − 1 − z_c + [c ≥ p] ∈ [0, 2^A): so m is the maximum and p its first index
 *   exp           lookup of (z_c − m, e_c) in the exp table over (−2^A, 0]
 *   div           chips/div-var.ts (quotient and both-sided remainder range-checked)
 *   δ, updates    mul-add / difference / product rows with their operands copied in
 * The layout depends only on the configuration; the witness only fills it.
 */
import { CircuitBuilder, type BuiltCircuit, type Value } from '../../circuit/builder.ts';
import { commitCells } from '../../circuit/chips/commitment.ts';
import { divRoundVar } from '../../circuit/chips/div-var.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { affine, difference, product } from '../../circuit/chips/elementwise.ts';
import { mulAdd } from '../../circuit/chips/mul-add.ts';
import { oneHot } from '../../circuit/chips/one-hot.ts';
import { rangeCheck } from '../../circuit/chips/range.ts';
import { rescale } from '../../circuit/chips/rescale.ts';
import { tableLookup, type FnTable } from '../../circuit/chips/table-lookup.ts';
import { CircuitError } from '../../errors.ts';
import { packWidth } from './commitment.ts';
import {
  argmaxFirst,
  expEntry,
  flattenWeights,
  unflattenWeights,
  updateShift,
  weightCount,
  type IntBatch,
  type IntWeights,
  type TrainConfig,
} from './reference.ts';

/** The private inputs of one step. */
export interface StepWitness {
  before: IntWeights;
  batch: IntBatch;
  /** Salts of the weights before, of the batch, of the weights after. */
  salts: { before: bigint; batch: bigint; after: bigint };
  /** Testing only: lay out this argmax hint instead of the first maximum (no valid witness then). */
  argmax?: number[];
}

/** A built step circuit and what it computed (for comparison with the reference). */
export interface StepCircuit {
  built: BuiltCircuit;
  /** The weights after the step, as the circuit's cells hold them. */
  after: IntWeights;
  /** Named cells of the intermediates, for tamper tests. */
  cells: StepCells;
}

export interface StepCells {
  z1: Value[][];
  mask: Value[][];
  exp: Value[][];
  prob: Value[][];
  delta2: Value[][];
  delta1: Value[][];
  /** The rescaled updates of the weights, in commitment order. */
  updates: Value[];
  after: Value[];
}

/** A witness of zeros (labels 0), for laying out and setup. */
export function placeholderWitness(c: TrainConfig): StepWitness {
  const zeros = (r: number, k: number) => Array.from({ length: r }, () => new Array<number>(k).fill(0));
  return {
    before: unflattenWeights(c, new Array<number>(weightCount(c)).fill(0)),
    batch: { x: zeros(c.batch, c.inputs), y: new Array<number>(c.batch).fill(0) },
    salts: { before: 0n, batch: 0n, after: 0n },
  };
}

/** The ReLU mask table [z > 0] and the exp table, one object each so the builder builds their rows once. */
function tables(c: TrainConfig): { step: FnTable; exp: FnTable } {
  const half = 2 ** (c.actBits - 1);
  return {
    step: { name: `train-step-mask/A${c.actBits}`, lo: -half, hi: half, f: (z) => (z > 0 ? 1 : 0) },
    exp: { name: `train-exp/s${c.scaleBits}/A${c.actBits}`, lo: -(2 ** c.actBits) + 1, hi: 1, f: (u) => expEntry(u, c.scaleBits) },
  };
}

/** Lays out one step with witness `w` (default: the placeholder) at domain size 2^k (default: the smallest). */
export function stepCircuit(c: TrainConfig, w: StepWitness = placeholderWitness(c), opts: { k?: number } = {}): StepCircuit {
  const { inputs: D, hidden: H, classes: C, batch: B, scaleBits: s, actBits: A } = c;
  const S = 2 ** s;
  const u = updateShift(c);
  const b = new CircuitBuilder();
  const T = tables(c);
  const half = 1n << BigInt(A - 1);
  const ranged = (v: Value): Value => {
    rangeCheck(b, v, A, { offset: half, limbBits: A });
    return v;
  };
  const rd = (v: Value, t: number): Value => rescale(b, v, t, A, { maxTableBits: A });
  // commitment.ts: the (range-checked) values packed ⌊252/A⌋ to a word by a dot product with fixed powers of
  // 2^A, the offsets 2^(A−1)·Σ 2^(A·i) as the bias; then the tensor commitment over the words.
  const perWord = packWidth(A);
  const commit = (what: string, values: Value[], salt: Value): Value => {
    b.enterRegion(`training step: packing ${what}`);
    const words: Value[] = [];
    for (let j = 0; j < values.length; j += perWord) {
      const chunk = values.slice(j, j + perWord);
      const powers = chunk.map((_, i) => 1n << BigInt(A * i));
      words.push(dotProduct(b, chunk, powers, b.constant(powers.reduce((a, x) => a + x, 0n) * half)));
    }
    b.enterRegion(`training step: Poseidon commitment to ${what}`);
    const c = commitCells(b, words, salt);
    b.exitRegion();
    return c;
  };

  b.enterRegion('training step: private inputs');
  const [sBefore, sBatch, sAfter] = b.privateInputs([w.salts.before, w.salts.batch, w.salts.after]) as [Value, Value, Value];
  const before = b.privateInputs(flattenWeights(w.before)).map(ranged);
  const xs = b.privateInputs(w.batch.x.flat()).map(ranged);
  const ys = b.privateInputs(w.batch.y);
  const W = unflattenWeights(c, before);
  const X = Array.from({ length: B }, (_, n) => xs.slice(n * D, (n + 1) * D));
  const labels = ys.map((y) => oneHot(b, y, C).bits);

  b.publicOutput(commit('the weights before', before, sBefore));
  b.publicOutput(commit('the batch', [...xs, ...ys], sBatch));

  const zero = b.constant(0);
  const one = b.constant(1);
  const minusOne = b.constant(-1);
  const minusS = b.constant(-S);

  b.enterRegion('training step: forward');
  const b1s = W.b1.map((v) => affine(b, v, S));
  const b2s = W.b2.map((v) => affine(b, v, S));
  const z1 = X.map((x) => Array.from({ length: H }, (_, h) => rd(dotProduct(b, x, W.w1.map((r) => r[h]!), b1s[h]!), s)));
  const mask = z1.map((r) => r.map((z) => tableLookup(b, z, T.step)));
  const a1 = z1.map((r, n) => r.map((z, h) => product(b, mask[n]![h]!, z)));
  const z2 = a1.map((a) => Array.from({ length: C }, (_, k) => rd(dotProduct(b, a, W.w2.map((r) => r[k]!), b2s[k]!), s)));

  b.enterRegion('training step: softmax');
  const exp: Value[][] = [];
  const prob: Value[][] = [];
  const delta2: Value[][] = [];
  z2.forEach((z, n) => {
    const hint = w.argmax?.[n] ?? argmaxFirst(z.map((v) => Number(v.value)));
    const { bits: P, atLeast } = oneHot(b, b.privateInputs([hint])[0]!, C);
    let m = zero;
    for (let k = 0; k < C; k++) m = mulAdd(b, m, P[k]!, z[k]!);
    const e = z.map((zk, k) => {
      const diff = difference(b, zk, m);
      // m − 1 − z_k + [k ≥ p] ≥ 0: z_k < m before the first argmax p, z_k ≤ m from it on.
      rangeCheck(b, mulAdd(b, mulAdd(b, atLeast[k]!, diff, minusOne), one, minusOne), A, { limbBits: A });
      return tableLookup(b, diff, T.exp);
    });
    const sum = dotProduct(b, e, e.map(() => 1), 0);
    const divisorBits = s + Math.ceil(Math.log2(C));
    const p = e.map((ek) => divRoundVar(b, ek, sum, S, { divisorBits, quotientBits: s + 2, tableBits: A }));
    exp.push(e);
    prob.push(p);
    delta2.push(p.map((pk, k) => mulAdd(b, pk, labels[n]![k]!, minusS)));
  });

  b.enterRegion('training step: backward');
  const delta1 = delta2.map((d2, n) => Array.from({ length: H }, (_, h) => product(b, mask[n]![h]!, rd(dotProduct(b, d2, W.w2[h]!, zero), s))));
  const column = (m: Value[][], j: number) => m.map((r) => r[j]!);
  const ones = new Array<number>(B).fill(1);
  const updates: Value[] = [
    ...W.w1.flatMap((row, d) => row.map((_, h) => rd(dotProduct(b, column(X, d), column(delta1, h), zero), s + u))),
    ...W.b1.map((_, h) => rd(dotProduct(b, column(delta1, h), ones, 0), u)),
    ...W.w2.flatMap((row, h) => row.map((_, k) => rd(dotProduct(b, column(a1, h), column(delta2, k), zero), s + u))),
    ...W.b2.map((_, k) => rd(dotProduct(b, column(delta2, k), ones, 0), u)),
  ];

  b.enterRegion('training step: update');
  const after = before.map((v, i) => ranged(difference(b, v, updates[i]!)));
  b.publicOutput(commit('the weights after', after, sAfter));

  const built = b.build(opts.k !== undefined ? { k: opts.k } : {});
  if (built.publicValues.length !== 3) throw new CircuitError(`internal: the step circuit has ${built.publicValues.length} public values, expected 3`);
  return {
    built,
    after: unflattenWeights(c, after.map((v) => Number(v.value))),
    cells: { z1, mask, exp, prob, delta2, delta1, updates, after },
  };
}
