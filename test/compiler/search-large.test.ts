/**
 * The layouts tried for a circuit too large to search (search.ts largeLayout, reached here by lowering the
 * row threshold on a small depthwise model): the default layout and three multi-output ones with range
 * tables of B − 1 bits, each laid out once; the cheapest prediction is kept; every candidate's rows and k
 * are those of the circuit it names; what the caller fixes, an EVM verifier's column limit and committed
 * weights' single output per row hold in every candidate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit, chooseLayout } from '../../src/compiler/index.ts';
import { graph, quantizeSmall, randoms } from './lowering-helpers.ts';

const rand = randoms(41);

/** Conv(3→8, 1×1) → Relu → depthwise 3×3 → Clip(0, 0.75) → Conv(8→4, 1×1). */
const g = graph(
  'large-search',
  [1, 3, 5, 5],
  [1, 4, 5, 5],
  [
    { op: 'Conv', name: 'expand', inputs: ['x', 'ew', 'eb'], outputs: ['e'], attrs: { kernel_shape: attr.ints([1, 1]) } },
    { op: 'Relu', name: 'relu', inputs: ['e'], outputs: ['re'], attrs: {} },
    { op: 'Conv', name: 'dw', inputs: ['re', 'dw', 'db'], outputs: ['d'], attrs: { kernel_shape: attr.ints([3, 3]), group: attr.int(8), pads: attr.ints([1, 1, 1, 1]) } },
    { op: 'Clip', name: 'relu6', inputs: ['d', 'lo', 'hi'], outputs: ['c'], attrs: {} },
    { op: 'Conv', name: 'project', inputs: ['c', 'pw'], outputs: ['y'], attrs: { kernel_shape: attr.ints([1, 1]) } },
  ],
  {
    ew: floatTensor([8, 3, 1, 1], rand(24, -0.6, 0.6)),
    eb: floatTensor([8], rand(8, -0.2, 0.2)),
    dw: floatTensor([8, 1, 3, 3], rand(72, -0.5, 0.5)),
    db: floatTensor([8], rand(8, -0.2, 0.2)),
    lo: floatTensor([], [0]),
    hi: floatTensor([], [0.75]),
    pw: floatTensor([4, 8, 1, 1], rand(32, -0.5, 0.5)),
  },
);
const { model, inputs } = quantizeSmall(g, [1, 3, 5, 5], -1, 1, 9, 7);

test('large circuits: the default layout and three multi-output ones, each laid out once; the cheapest kept; sizes exact', () => {
  const calls: [number, number][] = [];
  const r = chooseLayout(model, { searchMaxRows: 0, onLayout: (laid, planned) => void calls.push([laid, planned]) });
  // Told before each layout: the count so far and the plan (1 until the first layout shows the circuit is large).
  assert.deepEqual(calls, [
    [0, 1],
    [1, 4],
    [2, 4],
    [3, 4],
  ]);
  assert.deepEqual(
    r.choices.map((c) => [c.width, c.dotOutputs]),
    [
      [8, 1],
      [8, 8],
      [4, 8],
      [8, 4],
    ],
  );
  const B = r.layout.params.actBits;
  assert.ok(r.choices.slice(1).every((c) => c.tableBits === Math.min(16, Math.max(r.choices[0]!.tableBits, B - 1))));
  const best = Math.min(...r.choices.map((c) => c.predicted_prove_ms));
  const kept = r.choices.find((c) => c.width === r.layout.params.width && c.dotOutputs === r.layout.params.dotOutputs && c.tableBits === r.layout.params.tableBits)!;
  assert.equal(kept.predicted_prove_ms, best);
  assert.equal(r.width ?? 8, r.layout.params.width);
  assert.equal(r.dotOutputs ?? 1, r.layout.params.dotOutputs);
  for (const c of r.choices) {
    const built = buildModelCircuit(model, inputs[0]!, { width: c.width, dotOutputs: c.dotOutputs, tableBits: c.tableBits });
    assert.equal(c.rows, built.stats.rows, `${c.width}x${c.dotOutputs}/T${c.tableBits}`);
    assert.equal(c.k, built.k);
  }
});

test('large circuits: a given width, an EVM verifier and committed weights bound every candidate', () => {
  const w4 = chooseLayout(model, { searchMaxRows: 0, width: 4 });
  assert.deepEqual(
    w4.choices.map((c) => [c.width, c.dotOutputs]),
    [
      [4, 1],
      [4, 8],
      [4, 4],
    ],
  );
  assert.equal(w4.width, 4);
  const evm = chooseLayout(model, { searchMaxRows: 0, verifier: 'evm' });
  assert.ok(evm.choices.every((c) => c.width * c.dotOutputs <= 8), JSON.stringify(evm.choices));
  const cw = chooseLayout(model, { searchMaxRows: 0, committedWeights: true });
  assert.ok(cw.choices.every((c) => c.dotOutputs === 1), JSON.stringify(cw.choices));
});
