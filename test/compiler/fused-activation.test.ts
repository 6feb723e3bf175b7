/**
 * Activations fused into the rescale of the node that computes their input (build.ts, chips/rescale-act.ts):
 * a Relu or a Clip(0, hi) whose input has no other reader costs no row of its own; a tensor with two
 * readers, or a Clip with a negative lower bound, keeps the separate gadgets. Outputs equal the integer
 * reference bit for bit, no cell is free, every assigned cell of a fused row tampered breaks a
 * constraint, and a real proof verifies.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
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

const rand = randoms(21);

/**
 * Conv → Relu (fused); Flatten → Gemm → Clip(0, 0.75) (fused, ReLU6-like); → MatMul → {Relu, Add} (two
 * readers: not fused) → Add → Clip(−0.5, 0.5) (negative lower bound: not fused).
 */
function net() {
  return graph(
    'fused-activation',
    [1, 2, 5, 5],
    [1, 4],
    [
      { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Relu', name: 'relu', inputs: ['c'], outputs: ['rc'], attrs: {} },
      { op: 'Flatten', name: 'flat', inputs: ['rc'], outputs: ['f'], attrs: {} },
      { op: 'Gemm', name: 'fc', inputs: ['f', 'w1', 'b1'], outputs: ['h'], attrs: { transB: attr.int(1) } },
      { op: 'Clip', name: 'relu6', inputs: ['h', 'lo0', 'hi1'], outputs: ['rh'], attrs: {} },
      { op: 'MatMul', name: 'mm', inputs: ['rh', 'w2'], outputs: ['z'], attrs: {} },
      { op: 'Relu', name: 'relu2', inputs: ['z'], outputs: ['rz'], attrs: {} },
      { op: 'Add', name: 'skip', inputs: ['rz', 'z'], outputs: ['u'], attrs: {} },
      { op: 'Clip', name: 'clip', inputs: ['u', 'lo2', 'hi2'], outputs: ['y'], attrs: {} },
    ],
    {
      cw: floatTensor([3, 2, 3, 3], rand(54, -0.5, 0.5)),
      cb: floatTensor([3], rand(3)),
      w1: floatTensor([6, 75], rand(450, -0.3, 0.3)),
      b1: floatTensor([6], rand(6)),
      lo0: floatTensor([], [0]),
      hi1: floatTensor([], [0.75]),
      w2: floatTensor([6, 4], rand(24)),
      lo2: floatTensor([], [-0.5]),
      hi2: floatTensor([], [0.5]),
    },
  );
}

const { model, inputs } = quantizeSmall(net(), [1, 2, 5, 5], -1, 1, 9, 7);

const rowsOf = (c: ReturnType<typeof buildModelCircuit>, label: string): number => {
  const r = c.assignment.regions!;
  let n = 0;
  r.labels.forEach((l, i) => {
    if (l === label) n += (r.starts[i + 1] ?? r.end) - r.starts[i]!;
  });
  return n;
};

test('fused activations: outputs equal the reference; fused nodes take no rows, the others keep theirs; no free cell', () => {
  for (const opts of [{ width: 4 }, { width: 4, dotOutputs: 4 }, { width: 4, tableBits: 4 }]) {
    for (const q of inputs) {
      const c = checkModel(model, q, ['rescale-act/s7/', '/relu', `/clip${Math.round(0.75 * 128)}`, 'relu-sign/', 'cmp-max/', 'cmp-min/'], opts);
      assert.equal(rowsOf(c, "Relu 'relu'"), 0);
      assert.equal(rowsOf(c, "Clip 'relu6'"), 0);
      assert.ok(rowsOf(c, "Relu 'relu2'") > 0, 'a tensor with two readers keeps its own Relu rows');
      assert.ok(rowsOf(c, "Clip 'clip'") > 0, 'a clip with a negative bound keeps its comparisons');
    }
    const c = buildModelCircuit(model, inputs[0]!, opts);
    assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment).map((x) => `${x.column.type}[${x.column.index}]@${x.row}`), []);
  }
});

test('fused activations: every assigned cell of the Gemm rows, tampered, breaks a constraint', () => {
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, dotOutputs: 2 });
  const r = c.assignment.regions!;
  const i = r.labels.findIndex((l) => l === "Gemm 'fc'");
  const [from, to] = [r.starts[i]!, r.starts[i + 1] ?? r.end];
  let tried = 0;
  for (let col = 0; col < c.assignment.advice.length; col++) {
    const vals = frVecToBigints(c.assignment.advice[col]!);
    for (let row = to - 12; row < to; row++) {
      if (row < from || vals[row] === undefined) continue;
      const t = [...vals];
      t[row] = (t[row]! + 1n) % FR_MODULUS;
      const advice = c.assignment.advice.map((a, j) => (j === col ? frVecFromBigints(t) : a));
      const res = mockProve(c.cs, c.k, { ...c.assignment, advice }, { maxFailures: 1 });
      // Unassigned cells (zero, outside every gate's reach) are free by design; assigned ones are not.
      if (vals[row] !== 0n) assert.equal(res.ok, false, `advice ${col} row ${row}`);
      if (!res.ok) tried++;
    }
  }
  assert.ok(tried > 40, `${tried} cells caught`);
  assert.ok(mockProve(c.cs, c.k, c.assignment).ok, 'the untampered assignment passes');
});

test('fused activations: a real proof verifies and a changed output is rejected', async () => {
  const c = buildModelCircuit(model, inputs[1]!, { width: 4, dotOutputs: 2 });
  const pk = await keygen(await devSrs(c.k), c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.equal((await verify(pk.vk, c.instances, proof)).valid, true);
  const bad = c.instances.map((col) => col.map((v, i) => (i === 0 ? (v + 1n) % FR_MODULUS : v)));
  assert.equal((await verify(pk.vk, bad, proof)).valid, false);
});

test('a Clip bound that is not one number is refused with its name, fused or not', () => {
  const g = graph('clip-bad', [1, 4], [1, 4], [{ op: 'Clip', name: 'clip', inputs: ['x', 'lo', 'hi'], outputs: ['y'], attrs: {} }], {
    lo: floatTensor([2], [0, 1]),
    hi: floatTensor([], [1]),
  });
  // The reference takes the first value; the circuit refuses a malformed bound rather than guess.
  const q = quantizeSmall(g, [1, 4], -1, 1, 3, 7);
  assert.throws(() => buildModelCircuit(q.model, q.inputs[0]!, { width: 4 }), /Clip min must be one number/);
});
