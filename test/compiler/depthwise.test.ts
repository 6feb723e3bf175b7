/**
 * Depthwise convolutions lowered to one row per output (lower/conv.ts, chips/depthwise.ts): a 3×3 with
 * a fused Clip(0, hi) (ReLU6-like), a strided 3×3 with a fused Relu, a 2×2 whose output has two readers
 * (rescale only); a grouped conv with two outputs per group and a 5×5 depthwise keep the dot rows, and so
 * does a depthwise conv with committed weights. Outputs equal the integer reference bit for bit, each
 * depthwise output takes exactly one row and its fused activation none, the layout does not depend on the
 * input, no cell is free, tampering anywhere is caught, and a real proof verifies (a changed output does
 * not).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit, chooseLayout } from '../../src/compiler/index.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import type { ModelCircuit } from '../../src/compiler/index.ts';
import { checkModel, graph, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const rand = randoms(31);

/**
 * Conv(4→8, 1×1) → Relu → dw1: depthwise 3×3 pad 1 → Clip(0, 0.75) → dw2: depthwise 3×3 stride 2 pad 1 →
 * Relu → dw3: depthwise 2×2 (no bias) → {grouped: Conv(8→8, 3×3 pad 1, group 4), Add} → Add.
 */
function net() {
  const dwAttrs = (k: number, extra: Record<string, ReturnType<typeof attr.ints>> = {}) => ({ kernel_shape: attr.ints([k, k]), group: attr.int(8), ...extra });
  return graph(
    'depthwise',
    [1, 4, 6, 6],
    [1, 8, 2, 2],
    [
      { op: 'Conv', name: 'expand', inputs: ['x', 'ew', 'eb'], outputs: ['e'], attrs: { kernel_shape: attr.ints([1, 1]) } },
      { op: 'Relu', name: 'relu0', inputs: ['e'], outputs: ['re'], attrs: {} },
      { op: 'Conv', name: 'dw1', inputs: ['re', 'w1', 'b1'], outputs: ['d1'], attrs: dwAttrs(3, { pads: attr.ints([1, 1, 1, 1]) }) },
      { op: 'Clip', name: 'relu6', inputs: ['d1', 'lo', 'hi'], outputs: ['c1'], attrs: {} },
      { op: 'Conv', name: 'dw2', inputs: ['c1', 'w2', 'b2'], outputs: ['d2'], attrs: dwAttrs(3, { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }) },
      { op: 'Relu', name: 'relu2', inputs: ['d2'], outputs: ['r2'], attrs: {} },
      { op: 'Conv', name: 'dw3', inputs: ['r2', 'w3'], outputs: ['d3'], attrs: dwAttrs(2) },
      { op: 'Conv', name: 'grouped', inputs: ['d3', 'gw', 'gb'], outputs: ['g'], attrs: { kernel_shape: attr.ints([3, 3]), group: attr.int(4), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Add', name: 'add', inputs: ['g', 'd3'], outputs: ['y'], attrs: {} },
    ],
    {
      ew: floatTensor([8, 4, 1, 1], rand(32, -0.6, 0.6)),
      eb: floatTensor([8], rand(8, -0.2, 0.2)),
      w1: floatTensor([8, 1, 3, 3], rand(72, -0.5, 0.5)),
      b1: floatTensor([8], rand(8, -0.3, 0.3)),
      lo: floatTensor([], [0]),
      hi: floatTensor([], [0.75]),
      w2: floatTensor([8, 1, 3, 3], rand(72, -0.6, 0.6)),
      b2: floatTensor([8], rand(8, -0.2, 0.2)),
      w3: floatTensor([8, 1, 2, 2], rand(32, -0.8, 0.8)),
      gw: floatTensor([8, 2, 3, 3], rand(144, -0.4, 0.4)),
      gb: floatTensor([8], rand(8)),
    },
  );
}

const { model, inputs } = quantizeSmall(net(), [1, 4, 6, 6], -1, 1, 7, 7);

const rowsOf = (c: ModelCircuit, label: string): number => {
  const r = c.assignment.regions!;
  let n = 0;
  r.labels.forEach((l, i) => {
    if (l === label) n += (r.starts[i + 1] ?? r.end) - r.starts[i]!;
  });
  return n;
};

const OPTS = [{ width: 4 }, { width: 4, dotOutputs: 4 }, { width: 8, dotOutputs: 2, tableBits: 4 }];

test('depthwise: outputs equal the reference; one row per output, fused activations none; other convs keep dot rows; no free cell', () => {
  for (const opts of OPTS) {
    for (const q of inputs) {
      const c = checkModel(model, q, ['depthwise/K9/s7/', `/clip${Math.round(0.75 * 128)}`, 'depthwise/K4/s7/', '/relu', '/none'], opts);
      assert.equal(rowsOf(c, "Conv 'dw1'"), 8 * 6 * 6);
      assert.equal(rowsOf(c, "Conv 'dw2'"), 8 * 3 * 3);
      assert.equal(rowsOf(c, "Conv 'dw3'"), 8 * 2 * 2);
      assert.equal(rowsOf(c, "Clip 'relu6'"), 0);
      assert.equal(rowsOf(c, "Relu 'relu2'"), 0);
      const gates = c.cs.gates.map((g) => g.name);
      assert.deepEqual(gates.filter((g) => g.startsWith('depthwise/')).length, 3, gates.join(' '));
      assert.ok(rowsOf(c, "Conv 'grouped'") >= 2 * 8 * 2 * 2, 'two outputs per group: dot rows and a rescale per output');
    }
    const c = buildModelCircuit(model, inputs[0]!, opts);
    assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment).map((x) => `${x.column.type}[${x.column.index}]@${x.row}`), []);
  }
});

test('depthwise: the layout does not depend on the input; compile reports its size', () => {
  const [a, b] = inputs.map((q) => buildModelCircuit(model, q, { width: 4, dotOutputs: 4 }));
  assert.deepEqual(a!.cs, b!.cs);
  assert.deepEqual(a!.circuit.fixed, b!.circuit.fixed);
  assert.deepEqual(a!.circuit.copies, b!.circuit.copies);
  assert.equal(a!.k, b!.k);
  // The search measures each candidate by laying it out, so what compile reports is the circuit's size.
  const choice = chooseLayout(model, { width: 4, dotOutputs: 4, tableBits: a!.params.tableBits });
  assert.equal(choice.layout.stats.rows, a!.stats.rows);
  assert.equal(choice.layout.stats.k, a!.k);
});

test('depthwise: tampering with any assigned cell is caught', () => {
  const c = buildModelCircuit(model, inputs[1]!, { width: 4, dotOutputs: 2 });
  assert.ok(tamperCaught(c, 7) > 200);
});

test('depthwise: a 5×5 kernel and committed weights keep the dot rows', () => {
  const g = graph('dw5', [1, 2, 5, 5], [1, 2, 5, 5], [{ op: 'Conv', name: 'dw', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { kernel_shape: attr.ints([5, 5]), group: attr.int(2), pads: attr.ints([2, 2, 2, 2]) } }], {
    w: floatTensor([2, 1, 5, 5], rand(50, -0.3, 0.3)),
    b: floatTensor([2], rand(2)),
  });
  const small = quantizeSmall(g, [1, 2, 5, 5], -1, 1, 3, 7);
  const c5 = checkModel(small.model, small.inputs[0]!, ['dot/fixed/4'], { width: 4 });
  assert.ok(!c5.cs.gates.some((x) => x.name.startsWith('depthwise/')));
  const cw = buildModelCircuit(model, inputs[0]!, { width: 4, committedWeights: true });
  const gates = cw.cs.gates.map((x) => x.name);
  assert.ok(!gates.some((x) => x.startsWith('depthwise/')) && gates.includes('dot/advice/4'), gates.join(' '));
});

test('depthwise: a real proof verifies; a changed output is rejected', async () => {
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, dotOutputs: 4 });
  const pk = await keygen(await devSrs(c.k), c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.equal((await verify(pk.vk, c.instances, proof)).valid, true);
  const bad = c.instances.map((col) => col.map((v, i) => (i === 3 ? (v + 1n) % FR_MODULUS : v)));
  assert.equal((await verify(pk.vk, bad, proof)).valid, false);
});
