/**
 * The integer SGD step (src/apps/training/reference.ts): its roundings on hand-checked values, and the
 * whole step against an independent float64 computation of the same step on the same (dequantized)
 * weights and batch — the integer result stays within one unit of the last place (measured: 0.67 for probabilities, 0.55 for weights).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConfig, expEntry, roundDiv, roundShift, sgdStep, TrainingRangeError, type IntBatch, type IntWeights, type TrainConfig } from '../../src/apps/training/reference.ts';
import { SMALL, sample } from './training-helpers.ts';

test('rd rounds half up (toward +∞) and div rounds half up', () => {
  assert.deepEqual([3, -3, 5, -5, 4, -4, 1, -1].map((a) => roundShift(a, 1)), [2, -1, 3, -2, 2, -2, 1, 0]);
  assert.equal(roundShift(7, 0), 7);
  assert.deepEqual([[1, 3], [2, 3], [3, 2], [5, 2], [7, 7], [0, 5]].map(([a, d]) => roundDiv(a!, d!)), [0, 1, 2, 3, 1, 0]);
  assert.equal(expEntry(0, 8), 256);
  assert.equal(expEntry(-256, 8), Math.round(256 / Math.E));
});

/** The same step in float64: no rounding anywhere, weights and data read as v / 2^s. */
function floatStep(c: TrainConfig, w: IntWeights, batch: IntBatch) {
  const S = 2 ** c.scaleBits;
  const f = (m: number[][]) => m.map((r) => r.map((v) => v / S));
  const [W1, W2, X] = [f(w.w1), f(w.w2), f(batch.x)];
  const [b1, b2] = [w.b1.map((v) => v / S), w.b2.map((v) => v / S)];
  const eta = 2 ** -c.lrShift;
  const B = c.batch;
  const z1 = X.map((x) => b1.map((b, h) => b + x.reduce((a, v, d) => a + v * W1[d]![h]!, 0)));
  const a1 = z1.map((r) => r.map((v) => Math.max(v, 0)));
  const z2 = a1.map((a) => b2.map((b, k) => b + a.reduce((s, v, h) => s + v * W2[h]![k]!, 0)));
  const prob = z2.map((z) => {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / sum);
  });
  const d2 = prob.map((p, n) => p.map((v, k) => v - (k === batch.y[n] ? 1 : 0)));
  const d1 = d2.map((d, n) => b1.map((_, h) => (z1[n]![h]! > 0 ? d.reduce((s, v, k) => s + v * W2[h]![k]!, 0) : 0)));
  const sum = (g: (n: number) => number) => Array.from({ length: B }, (_, n) => g(n)).reduce((a, b) => a + b, 0) / B;
  return {
    prob,
    w1: W1.map((r, d) => r.map((v, h) => v - eta * sum((n) => X[n]![d]! * d1[n]![h]!))),
    b1: b1.map((v, h) => v - eta * sum((n) => d1[n]![h]!)),
    w2: W2.map((r, h) => r.map((v, k) => v - eta * sum((n) => a1[n]![h]! * d2[n]![k]!))),
    b2: b2.map((v, k) => v - eta * sum((n) => d2[n]![k]!)),
  };
}

test('the integer step is within one unit (2^-8) of the float64 step: probabilities and every updated weight', () => {
  let worstP = 0;
  let worstW = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { w, batch } = sample(SMALL, seed);
    const ref = sgdStep(SMALL, w, batch);
    const fl = floatStep(SMALL, w, batch);
    const S = 2 ** SMALL.scaleBits;
    ref.prob.forEach((r, n) => r.forEach((p, k) => (worstP = Math.max(worstP, Math.abs(p - S * fl.prob[n]![k]!)))));
    for (const key of ['w1', 'w2'] as const) ref.after[key].forEach((r, i) => r.forEach((v, j) => (worstW = Math.max(worstW, Math.abs(v - S * fl[key][i]![j]!)))));
    for (const key of ['b1', 'b2'] as const) ref.after[key].forEach((v, i) => (worstW = Math.max(worstW, Math.abs(v - S * fl[key][i]!))));
    // The step changes the weights (a test of closeness alone would pass for a step that does nothing).
    assert.notDeepEqual(ref.after, w, `seed ${seed}: the step changed nothing`);
  }
  assert.ok(worstP <= 1, `probabilities off by ${worstP} units`);
  assert.ok(worstW <= 1, `weights off by ${worstW} units`);
});

test('a value outside the proven range is a TrainingRangeError naming it', () => {
  const { w, batch } = sample(SMALL, 3);
  const big = { ...batch, x: batch.x.map((r) => r.map(() => 2047)) };
  const w2 = { ...w, w1: w.w1.map((r) => r.map(() => 2000)) };
  assert.throws(() => sgdStep(SMALL, w2, big, 'step 7'), (e: unknown) => e instanceof TrainingRangeError && /^step 7: hidden pre-activation z1\[0\]\[0\] = \d+ is outside the 12-bit range/.test((e as Error).message));
  assert.throws(() => sgdStep(SMALL, w, { ...batch, y: [0, 1, 2, 4] }), /label 3 is 4, not in \[0, 4\)/);
});

test('a configuration whose labels would not fit the committed digits, or whose batch is not a power of two, is refused', () => {
  assert.throws(() => checkConfig({ ...SMALL, classes: 64, actBits: 6, scaleBits: 4 }), /64 classes need actBits ≥ 7/);
  assert.throws(() => checkConfig({ ...SMALL, batch: 3 }), /batch must be a power of two/);
  assert.equal(checkConfig(SMALL), SMALL);
});
