/**
 * Linear layers with C outputs per dot row (--dot-outputs): a Conv's output channels at one position
 * (plain, grouped with a channel count C does not divide, depthwise), Gemm outputs of one row (transB,
 * with and without a bias) and MatMul with a constant on either side share their inputs' copies. The
 * outputs equal the integer reference bit for bit and the C = 1 circuit's, the rows shrink, no cell is
 * left free, a tampered cell of one output's rows fails there, and a real proof verifies.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor, intTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit, estimateModelCost } from '../../src/compiler/index.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { checkModel, graph, quantizeSmall, randoms } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const rand = randoms(11);

/** Conv(2→6, 3×3, pad 1, stride 2) → Relu → Conv(6→6, group 3) → Conv(6→6, depthwise) → Flatten → Gemm(54→5, transB, bias) → Relu → Reshape [5,1] → MatMul(const [3,5] · x) → Reshape [1,3] → MatMul(x · const [3,7]). */
function net() {
  return graph(
    'dot-outputs',
    [1, 2, 6, 6],
    [1, 7],
    [
      { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['rc'], attrs: {} },
      { op: 'Conv', name: 'grouped', inputs: ['rc', 'gw'], outputs: ['g'], attrs: { kernel_shape: attr.ints([2, 2]), group: attr.int(3), pads: attr.ints([0, 0, 1, 1]) } },
      { op: 'Conv', name: 'depthwise', inputs: ['g', 'dw', 'db'], outputs: ['d'], attrs: { kernel_shape: attr.ints([3, 3]), group: attr.int(6), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Flatten', name: 'flat', inputs: ['d'], outputs: ['f'], attrs: {} },
      { op: 'Gemm', name: 'fc', inputs: ['f', 'w1', 'b1'], outputs: ['h'], attrs: { transB: attr.int(1) } },
      { op: 'Relu', name: 'relu2', inputs: ['h'], outputs: ['rh'], attrs: {} },
      { op: 'Reshape', name: 'col', inputs: ['rh', 'shpCol'], outputs: ['hc'], attrs: {} },
      { op: 'MatMul', name: 'left', inputs: ['a', 'hc'], outputs: ['z'], attrs: {} },
      { op: 'Reshape', name: 'row', inputs: ['z', 'shpRow'], outputs: ['zr'], attrs: {} },
      { op: 'MatMul', name: 'right', inputs: ['zr', 'w3'], outputs: ['y'], attrs: {} },
    ],
    {
      cw: floatTensor([6, 2, 3, 3], rand(108, -0.5, 0.5)),
      cb: floatTensor([6], rand(6)),
      gw: floatTensor([6, 2, 2, 2], rand(48, -0.5, 0.5)),
      dw: floatTensor([6, 1, 3, 3], rand(54, -0.5, 0.5)),
      db: floatTensor([6], rand(6)),
      w1: floatTensor([5, 54], rand(270, -0.3, 0.3)),
      b1: floatTensor([5], rand(5)),
      shpCol: intTensor([2], [5, 1]),
      a: floatTensor([3, 5], rand(15)),
      shpRow: intTensor([2], [1, 3]),
      w3: floatTensor([3, 7], rand(21)),
    },
  );
}

const { model, inputs } = quantizeSmall(net(), [1, 2, 6, 6], -1, 1, 5, 7);

test('C outputs per dot row: outputs equal the reference and the C = 1 circuit; fewer rows; no free cell', () => {
  for (const C of [2, 4]) {
    for (const q of inputs) {
      const c = checkModel(model, q, [`dot/fixed/4x${C}`], { width: 4, dotOutputs: C });
      const one = buildModelCircuit(model, q, { width: 4 });
      assert.deepEqual(c.publicOutputs, one.publicOutputs);
      assert.ok(c.stats.rows < one.stats.rows, `C=${C}: ${c.stats.rows} rows vs ${one.stats.rows}`);
      assert.ok(c.stats.copies < one.stats.copies, `C=${C}: ${c.stats.copies} copies vs ${one.stats.copies}`);
      assert.equal(estimateModelCost(model, { width: 4, dotOutputs: C }).rows, c.stats.rows);
    }
    const c = buildModelCircuit(model, inputs[0]!, { width: 4, dotOutputs: C });
    assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment).map((x) => `${x.column.type}[${x.column.index}]@${x.row}`), []);
  }
});

test('C outputs per dot row: the layout does not depend on the input', () => {
  const [a, b] = inputs.map((q) => buildModelCircuit(model, q, { width: 4, dotOutputs: 4 }));
  assert.deepEqual(a!.circuit.fixed, b!.circuit.fixed);
  assert.deepEqual(a!.circuit.copies, b!.circuit.copies);
});

test('C outputs per dot row: a tampered accumulator of one output fails that region only', () => {
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, dotOutputs: 4 });
  const regions = c.assignment.regions!;
  const W = 4;
  // Each accumulator column of the first Gemm dot row: row 1 (a running sum) changed by +1.
  const fcStart = regions.starts[regions.labels.findIndex((l) => l === "Gemm 'fc'")]!;
  for (let slot = 0; slot < 4; slot++) {
    const col = W + slot;
    const vals = frVecToBigints(c.assignment.advice[col]!);
    vals[fcStart + 1] = (vals[fcStart + 1]! + 1n) % FR_MODULUS;
    const advice = c.assignment.advice.map((a, j) => (j === col ? frVecFromBigints(vals) : a));
    const res = mockProve(c.cs, c.k, { ...c.assignment, advice });
    assert.equal(res.ok, false, `slot ${slot}`);
    for (const f of res.failures) {
      assert.equal(f.kind, 'gate', describe(f));
      assert.equal(f.name, 'dot/fixed/4x4', describe(f));
      assert.match(describe(f), /Gemm 'fc'/);
    }
  }
});

test('C outputs per dot row: a real proof verifies and a changed output is rejected', async () => {
  const c = buildModelCircuit(model, inputs[1]!, { width: 4, dotOutputs: 4 });
  const pk = await keygen(await devSrs(c.k), c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.equal((await verify(pk.vk, c.instances, proof)).valid, true);
  const bad = c.instances.map((col) => col.map((v, i) => (i === col.length - 1 ? (v + 1n) % FR_MODULUS : v)));
  assert.equal((await verify(pk.vk, bad, proof)).valid, false);
});
