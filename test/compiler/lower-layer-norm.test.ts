/** LayerNormalization lowering: bit-exact vs the reference (mean, variance, rsqrt table, γ/β), soundness. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { buildModelCircuit, type ModelCircuit } from '../../src/compiler/index.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, fe, graph, quantizeSmall, randoms, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const rand = randoms(21);

test('LayerNormalization (last axis with γ, β; two axes without β): bit-exact, MockProver, tampering caught', () => {
  const g = graph(
    'ln',
    [2, 3, 8],
    [2, 3, 8],
    [
      { op: 'LayerNormalization', name: 'ln1', inputs: ['x', 'g1', 'b1'], outputs: ['a'], attrs: { axis: attr.int(-1), epsilon: attr.float(1e-5) } },
      { op: 'LayerNormalization', name: 'ln2', inputs: ['a', 'g2'], outputs: ['y'], attrs: { axis: attr.int(1) } },
    ],
    { g1: floatTensor([8], rand(8, 0.5, 1.5)), b1: floatTensor([8], rand(8, -0.5, 0.5)), g2: floatTensor([3, 8], rand(24, -1, 1)) },
    17,
  );
  const { model, inputs } = quantizeSmall(g, [2, 3, 8], -3, 3);
  let c: ModelCircuit | undefined;
  for (const q of inputs) c = checkModel(model, q, ['rsqrt/', 'divround/', 'product', 'affine', 'difference', 'dot/advice']);
  assert.ok(tamperCaught(c!, 13) > 30);
});

/** Rows where the selector of the gate (or lookup) whose name starts with `key` is 1. */
function selectorRows(c: ModelCircuit, key: string): number[] {
  const gate = [...c.cs.gates, ...c.cs.lookups.map((l) => ({ name: l.name, polys: [l.selector] }))].find((x) => x.name.startsWith(key))!;
  const e = gate.polys[0]!;
  const q = e.kind === 'mul' ? e.a : e;
  if (q.kind !== 'query') throw new Error('selector');
  return frVecToBigints(c.circuit.fixed[q.column.index]!).flatMap((v, r) => (v === 1n ? [r] : []));
}

test('LayerNormalization: forged rsqrt output, mean, variance quotient, normalized value are rejected by name; nothing under-constrained', () => {
  const g = graph('ln', [1, 4], [1, 4], [{ op: 'LayerNormalization', name: 'ln', inputs: ['x', 'g', 'b'], outputs: ['y'], attrs: {} }], {
    g: floatTensor([4], [1, 0.5, -1, 2]),
    b: floatTensor([4], [0, 0.25, 0, -0.5]),
  }, 17);
  const { model, inputs } = quantizeSmall(g, [1, 4], -2, 2, 9, 4);
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, tableBits: 5 });
  const adv = c.assignment.advice.map((a) => frVecToBigints(a));
  const withCell = (col: number, row: number, v: bigint) => {
    const advice = adv.map((a, j) => (j === col ? frVecFromBigints(a.map((x, r) => (r === row ? fe(v) : x))) : c.assignment.advice[j]!));
    return mockProve(c.cs, c.k, { ...c.assignment, advice }).failures;
  };
  const lk = selectorRows(c, 'rsqrt/')[0]!;
  rejectedBy(withCell(1, lk, adv[1]![lk]! + 1n), 'rsqrt/', 'rsqrt table output');
  const meanRow = selectorRows(c, 'divround/4/')[0];
  const varRow = selectorRows(c, `divround/${4 * 16}/`)[0];
  rejectedBy(withCell(1, meanRow!, adv[1]![meanRow!]! + 1n), 'divround/', 'mean quotient');
  rejectedBy(withCell(1, varRow!, adv[1]![varRow!]! + 1n), 'divround/', 'variance quotient');
  rejectedBy(withCell(2, varRow!, adv[2]![varRow!]! + 1n), 'divround/', 'variance remainder');
  const p = selectorRows(c, 'product')[0]!;
  rejectedBy(withCell(2, p, adv[2]![p]! + 1n), 'product', 'd·r');
  assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment), []);
});
