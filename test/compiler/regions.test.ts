/**
 * MockProver failures of a compiled model name the node and op whose lowering laid out the failing row:
 * the graph walk labels each node's rows `Op 'name'` (CircuitBuilder.enterRegion), in graph order, and a
 * tampered cell in a node's rows is reported in that node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { describe, mockProve, regionAt } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { checkModel, graph, quantizeSmall, randoms } from './lowering-helpers.ts';

const rand = randoms(21);

/** Conv → Relu → Flatten → Gemm → Sigmoid: a dot-chip op, a gadget op, a movement op, a table op. */
function compiled() {
  const g = graph(
    'labelled',
    [1, 1, 4, 4],
    [1, 3],
    [
      { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) } },
      { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['r'], attrs: {} },
      { op: 'Flatten', name: 'flat', inputs: ['r'], outputs: ['f'], attrs: {} },
      { op: 'Gemm', name: 'fc', inputs: ['f', 'w', 'wb'], outputs: ['z'], attrs: { transB: attr.int(1) } },
      { op: 'Sigmoid', name: 'sig', inputs: ['z'], outputs: ['y'], attrs: {} },
    ],
    { cw: floatTensor([2, 1, 3, 3], rand(18)), cb: floatTensor([2], rand(2)), w: floatTensor([3, 8], rand(24)), wb: floatTensor([3], rand(3)) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 1, 4, 4], -2, 2);
  return checkModel(model, inputs[0]!, ['dot', 'relu']);
}

test("each node's rows are labelled Op 'name', in graph order; a movement op takes no rows", () => {
  const c = compiled();
  const regions = c.assignment.regions!;
  // The Relu is fused into the Conv's rescale rows (build.ts): no rows of its own.
  assert.deepEqual([...new Set(regions.labels)], ["input 'x'", "Conv 'conv'", "Gemm 'fc'", "Sigmoid 'sig'"]);
  // One span per node: labels change only between nodes.
  assert.equal(regions.labels.length, 4);
  assert.equal(regions.end, c.stats.rows);
  assert.equal(regionAt(regions, regions.end), undefined);
});

test('a tampered cell in a node’s rows fails with the node and op named (Failure.region and describe)', () => {
  const c = compiled();
  const regions = c.assignment.regions!;
  for (let i = 1; i < regions.labels.length; i++) {
    const label = regions.labels[i]!;
    const [from, to] = [regions.starts[i]!, regions.starts[i + 1] ?? regions.end];
    // The first nonzero cell of the span's middle row: +1 there must break a constraint laid out by this node.
    const row = Math.floor((from + to - 1) / 2);
    const col = c.assignment.advice.findIndex((a) => (frVecToBigints(a)[row] ?? 0n) !== 0n);
    assert.ok(col >= 0, `${label}: no assigned cell on row ${row}`);
    const vals = frVecToBigints(c.assignment.advice[col]!);
    vals[row] = (vals[row]! + 1n) % FR_MODULUS;
    const advice = c.assignment.advice.map((a, j) => (j === col ? frVecFromBigints(vals) : a));
    const m = mockProve(c.cs, c.k, { ...c.assignment, advice });
    assert.equal(m.ok, false, `${label}: tampering accepted`);
    const own = m.failures.filter((f) => f.region === label);
    assert.ok(own.length > 0, `${label}: no failure names it:\n${m.failures.map(describe).join('\n')}`);
    assert.match(describe(own[0]!), new RegExp(` in ${label}|\\(${label}\\)`));
  }
});
