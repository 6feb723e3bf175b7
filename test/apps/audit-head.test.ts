/**
 * The audit head on a small model: its public values are the input, label and counts commitments the
 * reference gives (counts after = counts before + the sample's increment, with the prediction the integer
 * reference's argmax), MockProver accepts it, every cell is pinned (tampering sweep, freedom finder), and a
 * label outside the classes or a prediction other than the first maximum has no witness.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { findFreedoms } from '../../src/circuit/underconstrained.ts';
import { commitTensor } from '../../src/commit/tensor-commitment.ts';
import { evaluateIntQ } from '../../src/model/int-eval.ts';
import { CircuitError } from '../../src/errors.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
import { auditHead, headNames, type HeadOutcome } from '../../src/apps/audit/head.ts';
import { addSample, AUDIT_METRICS, argmaxFirst, countsLength, type AuditMetric } from '../../src/apps/audit/metric.ts';
import { checkModel, graph, quantizeSmall, tamperCaught } from '../compiler/lowering-helpers.ts';

/** Gemm(6 → 3, bias): three class scores. */
function model() {
  const w = Array.from({ length: 18 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
  const g = graph('scores', [1, 6], [1, 3], [{ op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB: attr.int(1) } }], {
    w: floatTensor([3, 6], w),
    b: floatTensor([3], [0.1, -0.2, 0.3]),
  });
  return quantizeSmall(g, [1, 6], -1, 1);
}

const S = { x: 11n, label: 22n, before: 33n, after: 44n };

function build(metric: AuditMetric, label: number, before: number[]) {
  const { model: m, inputs } = model();
  const outcome: HeadOutcome = {};
  const head = auditHead(metric, 3, { label, labelSalt: S.label, before, beforeSalt: S.before, afterSalt: S.after }, outcome);
  const opts = { width: 4, visibility: { x: 'committed' as const, y: 'private' as const }, salts: { x: S.x }, head };
  return { m, q: inputs[0]!, opts, outcome };
}

for (const metric of AUDIT_METRICS) {
  test(`${metric}: the public values are the commitments of the input, the label and the counts before and after`, () => {
    const before = Array.from({ length: countsLength(metric, 3) }, (_, i) => (i * 5) % 7);
    const { m, q, opts, outcome } = build(metric, 2, before);
    const c = checkModel(m, q, ['relu-sign', 'one-hot', 'mul-add', 'poseidon9/sbox'], opts);
    const pred = argmaxFirst(evaluateIntQ(m, q).y!.data);
    const after = addSample(metric, 3, before, 2, pred);
    assert.equal(outcome.pred, pred);
    assert.deepEqual(outcome.after, after);
    const n = headNames(metric, 3);
    assert.deepEqual(c.publicLayout.map((t) => [t.name, t.kind]), [['x', 'commitment'], [n.label, 'commitment'], [n.before, 'commitment'], [n.after, 'commitment']]);
    assert.deepEqual(c.instances[0], [commitTensor(Array.from(q.x!.data, BigInt), S.x), commitTensor([2], S.label), commitTensor(before, S.before), commitTensor(after, S.after)]);
  });
}

test('every cell of the audit circuit is pinned: a tampering sweep is rejected and the freedom finder reports nothing', () => {
  for (const metric of AUDIT_METRICS) {
    const { m, q, opts } = build(metric, 1, new Array(countsLength(metric, 3)).fill(1));
    const c = buildModelCircuit(m, q, opts);
    assert.ok(tamperCaught(c, 5) > 50);
    // The finder takes ~10 s a circuit; the metrics differ only in which mul-add rows they lay out.
    if (metric === 'accuracy') assert.deepEqual(findFreedoms(c.cs, c.k, c.assignment, {}), [], metric);
  }
});

test('a prediction other than the first maximum of the output is rejected', () => {
  const { model: m, inputs } = model();
  const q = inputs[0]!;
  const p = argmaxFirst(evaluateIntQ(m, q).y!.data);
  for (const pred of [0, 1, 2].filter((j) => j !== p)) {
    const head = auditHead('accuracy', 3, { label: 0, labelSalt: 1n, before: [0], beforeSalt: 2n, afterSalt: 3n, pred });
    const c = buildModelCircuit(m, q, { width: 4, visibility: { x: 'committed', y: 'private' }, salts: { x: 5n }, head });
    const r = mockProve(c.cs, c.k, c.assignment, { maxFailures: 3 });
    assert.equal(r.ok, false, `prediction ${pred} instead of ${p} accepted`);
  }
});

test('the layout does not depend on the label, counts or salts; a label outside the classes has no witness', () => {
  const a = build('confusion', 0, new Array(9).fill(0));
  const b = build('confusion', 2, new Array(9).fill(4));
  const [ca, cb] = [buildModelCircuit(a.m, a.q, a.opts), buildModelCircuit(b.m, b.q, b.opts)];
  assert.deepEqual(ca.circuit.fixed, cb.circuit.fixed);
  assert.deepEqual(ca.circuit.copies, cb.circuit.copies);
  assert.equal(ca.k, cb.k);
  const bad = build('accuracy', 3, [0]);
  assert.throws(() => buildModelCircuit(bad.m, bad.q, bad.opts), (e: unknown) => e instanceof CircuitError && /one-hot: 3 is not in \[0, 3\)/.test(e.message));
});
