/** Softmax lowering: bit-exact vs the reference (clamped exp table, rounded division by the row sum), soundness. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr } from '../../src/graph/ir.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, fe, graph, quantizeSmall, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('Softmax (last axis, inner axis, opset-11 coercion): bit-exact incl. clamped differences, MockProver, tampering caught', () => {
  const g = graph(
    'softmax',
    [2, 3, 5],
    [2, 3, 5],
    [
      { op: 'Softmax', name: 'sm1', inputs: ['x'], outputs: ['a'], attrs: { axis: attr.int(-1) } },
      { op: 'Softmax', name: 'sm2', inputs: ['x'], outputs: ['b'], attrs: { axis: attr.int(1) } },
      { op: 'Add', name: 'ab', inputs: ['a', 'b'], outputs: ['y'], attrs: {} },
    ],
    {},
  );
  const { model, inputs } = quantizeSmall(g, [2, 3, 5], -8, 8);
  const lo = model.settings.tables['sm1']!['exp']!.lo;
  let c;
  let clamped = 0;
  for (const q of inputs) {
    c = checkModel(model, q, ['softmax-exp/', 'divvar/', 'cmp-max', 'difference']);
    const d = Array.from(q.x!.data);
    for (let r = 0; r < 6; r++) {
      const row = d.slice(r * 5, r * 5 + 5);
      clamped += row.filter((v) => v - Math.max(...row) < lo).length;
    }
  }
  assert.ok(clamped > 0, 'some differences fall below the exp table and are clamped');
  assert.ok(tamperCaught(c!, 11) > 30);
});

test('Softmax with opset < 13 (coerced to 2-D from axis 1): bit-exact', () => {
  const g = graph('softmax11', [2, 2, 3], [2, 2, 3], [{ op: 'Softmax', name: 'sm', inputs: ['x'], outputs: ['y'], attrs: { axis: attr.int(1) } }], {}, 11);
  const { model, inputs } = quantizeSmall(g, [2, 2, 3], -3, 3);
  checkModel(model, inputs[0]!, ['softmax-exp/', 'divvar/']);
});

test('Softmax: forged table output, max, quotient and remainder are rejected by the right gate or lookup; nothing under-constrained', () => {
  const g = graph('sm', [1, 4], [1, 4], [{ op: 'Softmax', name: 'sm', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model, inputs } = quantizeSmall(g, [1, 4], -1, 1, 5, 4);
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, tableBits: 5 });
  const adv = c.assignment.advice.map((a) => frVecToBigints(a));
  /** Rows where the selector of the gate (or lookup) whose name starts with `key` is 1. */
  const selectorRows = (key: string): number[] => frVecToBigints(c.circuit.fixed[fixedIndexOf(key)]!).flatMap((v, r) => (v === 1n ? [r] : []));
  const fixedIndexOf = (key: string): number => {
    const gate = [...c.cs.gates, ...c.cs.lookups.map((l) => ({ name: l.name, polys: [l.selector] }))].find((x) => x.name.startsWith(key))!;
    const e = gate.polys[0]!;
    const q = e.kind === 'mul' ? e.a : e;
    if (q.kind !== 'query') throw new Error('selector');
    return q.column.index;
  };
  const withCell = (col: number, row: number, v: bigint) => {
    const advice = adv.map((a, j) => (j === col ? frVecFromBigints(a.map((x, r) => (r === row ? fe(v) : x))) : c.assignment.advice[j]!));
    return mockProve(c.cs, c.k, { ...c.assignment, advice }).failures;
  };
  // Table output (column 1 of a lookup row) + 1: the (x, f(x)) lookup objects.
  const lk = selectorRows('softmax-exp/')[0]!;
  rejectedBy(withCell(1, lk, adv[1]![lk]! + 1n), 'softmax-exp/', 'exp output');
  // Max (column 3 of the last max row) + 1: its cmp gate objects.
  const mx = selectorRows('cmp-max')[2]!;
  rejectedBy(withCell(3, mx, adv[3]![mx]! + 1n), 'cmp-max', 'max');
  // Quotient (column 4) and remainder (column 5) of a divvar row.
  const dv = selectorRows('divvar/')[1]!;
  rejectedBy(withCell(4, dv, adv[4]![dv]! + 1n), 'divvar/', 'quotient');
  rejectedBy(withCell(5, dv, adv[5]![dv]! + 1n), 'divvar/', 'remainder');
  assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment), []);
});
