/**
 * The audit head: a circuit appended to a model (compiler option `head`) that turns one sample's output
 * into an update of committed counts, so a chain of proofs accumulates a metric without revealing any
 * sample's prediction or label.
 *
 *   p      = argmax of the model's one output x (first maximum), P = one-hot(p) (chips/one-hot.ts), shown
 *            by m = Σ_j P_j·x_j and d_j = m − 1 − x_j + [j ≥ p] ≥ 0 for every j (x_p > x_j before p,
 *            x_p ≥ x_j from p on), each d_j ≥ 0 by a ReLU sign-bit row (compiler gadgets.ts reluSigned) of
 *            the model's activation width whose output is copied to its input — the Relu layers' gate
 *            and range lookups, so a model with ReLUs gets no new lookup argument
 *   l      = a private label cell, L = one-hot(l)                  (chips/one-hot.ts: proves l ∈ [0, C))
 *   after  = before + increment(P, L)                              (chips/mul-add.ts; metric.ts defines it)
 *   public = commit(l; s_l), commit(before; s_b), commit(after; s_a)    (chips/commitment.ts)
 *
 * with the counts `before`, the label and the three salts private. The increments are products of bits
 * P_p·L_l (accuracy: Σ_j P_j·L_j; per-class-rate: correct_j += P_j·L_j, total_j += L_j; confusion:
 * m_{l,p} += L_l·P_p), each a mul-add row with its operands copied in, so `after` is a function of
 * `before`, the model's output and the label. The layout depends only on the metric and C; the witness
 * (label, counts, salts) is the prover's.
 */
import type { Value } from '../../circuit/builder.ts';
import { commitCells } from '../../circuit/chips/commitment.ts';
import { mulAdd } from '../../circuit/chips/mul-add.ts';
import { oneHot } from '../../circuit/chips/one-hot.ts';
import { reluSigned, type ModelHead } from '../../compiler/index.ts';
import { CircuitError } from '../../errors.ts';
import { argmaxFirst, countsLength, type AuditMetric } from './metric.ts';

/** One sample's private part of the head's witness. */
export interface HeadWitness {
  label: number;
  labelSalt: bigint;
  /** The counts before this sample, and the salts of their commitment and of the counts after it. */
  before: readonly number[];
  beforeSalt: bigint;
  afterSalt: bigint;
  /** The prediction to lay out (default: the first maximum of the output; any other has no valid witness). */
  pred?: number;
}

/** Names of the head's public commitments, in order (they are part of the verifying key's layout). */
export function headNames(metric: AuditMetric, classes: number): { label: string; before: string; after: string } {
  const tag = `${metric}, ${classes} classes`;
  return { label: 'audit label', before: `audit counts before (${tag})`, after: `audit counts after (${tag})` };
}

/** What one layout of the head computed: the predicted class and the counts after the sample. */
export interface HeadOutcome {
  pred?: number;
  after?: number[];
}

/**
 * The head for `metric` over a model with one output of `classes` values; `w` is the sample's witness
 * (omitted: zeros, for laying out). `outcome` is filled in when the circuit is built.
 */
export function auditHead(metric: AuditMetric, classes: number, w?: HeadWitness, outcome: HeadOutcome = {}): ModelHead {
  const m = countsLength(metric, classes);
  const wit: HeadWitness = w ?? { label: 0, labelSalt: 0n, before: new Array<number>(m).fill(0), beforeSalt: 0n, afterSalt: 0n };
  if (wit.before.length !== m) throw new CircuitError(`audit head: ${wit.before.length} counts, the metric has ${m}`);
  return (b, outputs, { params, publish }) => {
    if (outputs.size !== 1) throw new CircuitError(`an audit needs a model with one output, this one has ${outputs.size}`);
    const logits = [...outputs.values()][0]!.cells;
    if (logits.length !== classes) throw new CircuitError(`audit head: the output has ${logits.length} values, expected ${classes} classes`);
    const names = headNames(metric, classes);
    b.enterRegion('audit head');
    const pred = wit.pred ?? argmaxFirst(logits.map((c) => Number(c.value)));
    const [predCell, label, labelSalt, beforeSalt, afterSalt, ...before] = b.privateInputs([pred, wit.label, wit.labelSalt, wit.beforeSalt, wit.afterSalt, ...wit.before]);
    const { bits: P, atLeast } = oneHot(b, predCell!, classes);
    const one = b.constant(1);
    const minusOne = b.constant(-1);
    // p is the first maximum: with m = Σ_j P_j·x_j = x_p, every d_j = m − 1 − x_j + [j ≥ p] is ≥ 0, shown by
    // the ReLU sign-bit row of the model's own activation width with its output copied to its input.
    let m = b.constant(0);
    for (let j = 0; j < classes; j++) m = mulAdd(b, m, P[j]!, logits[j]!);
    const mMinusOne = mulAdd(b, m, one, minusOne);
    for (let j = 0; j < classes; j++) {
      const d = mulAdd(b, mulAdd(b, mMinusOne, logits[j]!, minusOne), atLeast[j]!, one);
      b.copy(reluSigned(b, d, params.actBits, params.tableBits).cell, d.cell);
    }
    const L = oneHot(b, label!, classes).bits;
    publish(names.label, commitCells(b, [label!], labelSalt!));
    publish(names.before, commitCells(b, before, beforeSalt!));
    let after: Value[];
    if (metric === 'accuracy') {
      let acc = before[0]!;
      for (let j = 0; j < classes; j++) acc = mulAdd(b, acc, P[j]!, L[j]!);
      after = [acc];
    } else if (metric === 'per-class-rate') {
      const correct = P.map((p, j) => mulAdd(b, before[j]!, p, L[j]!));
      const total = L.map((l, j) => mulAdd(b, before[classes + j]!, l, one));
      after = [...correct, ...total];
    } else after = before.map((c, i) => mulAdd(b, c, L[Math.floor(i / classes)]!, P[i % classes]!));
    publish(names.after, commitCells(b, after, afterSalt!));
    b.exitRegion();
    outcome.pred = pred;
    outcome.after = after.map((v) => Number(v.value));
  };
}
