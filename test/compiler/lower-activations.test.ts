/**
 * PRelu, Elu, Selu, Softplus, Mish and LogSoftmax lowered: public outputs equal the integer reference bit
 * for bit on inputs reaching both saturated tails, MockProver passes, and single-cell tampering is caught.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, graph, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);
const rand = randoms(17);

test('PRelu after a Conv (per-channel slopes, one negative): relu rows, slope affine rows, rescale; tampering caught', () => {
  const g = graph(
    'prelu',
    [1, 2, 3, 3],
    [1, 3, 3, 3],
    [
      { op: 'Conv', name: 'conv', inputs: ['x', 'w'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'PRelu', name: 'pr', inputs: ['c', 'k'], outputs: ['y'], attrs: {} },
    ],
    { w: floatTensor([3, 2, 3, 3], rand(54)), k: floatTensor([3, 1, 1], [0.2, -0.4, 0.9]) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 2, 3, 3], -2, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['relu-sign', 'affine', 'rescale-act/']);
  const vals = c!.publicOutputs[0]!.values;
  assert.ok(vals.some((v) => v < 0) && vals.some((v) => v > 0), 'both branches taken');
  assert.ok(tamperCaught(c!, 7) > 20);
});

for (const [op, opset, attrs, kinds] of [
  ['Elu', 13, { alpha: attr.float(0.7) }, ['relu-sign', 'Elu:h/', 'cmp-max']],
  ['Selu', 13, {}, ['relu-sign', 'Selu:h/', 'affine', 'rescale-act/']],
  ['Softplus', 13, {}, ['relu-sign', 'Softplus:h/']],
  ['Mish', 18, {}, ['relu-sign', 'Mish:h/']],
] as const) {
  test(`${op}: relu plus the clamped saturating table, inputs beyond both ends; bit-exact, tampering caught`, () => {
    const g = graph(op, [1, 24], [1, 24], [{ op, name: 'act', inputs: ['x'], outputs: ['y'], attrs: { ...attrs } }], {}, opset);
    const { model, inputs } = quantizeSmall(g, [1, 24], -14, 14);
    const spec = model.settings.tables['act']!['h']!;
    assert.equal(spec.outside, 'clamp');
    let c;
    let outside = 0;
    for (const q of inputs) {
      c = checkModel(model, q, [...kinds]);
      outside += Array.from(q.x!.data).filter((v) => v < spec.lo || v > spec.hi).length;
    }
    assert.ok(outside > 0, `some inputs beyond the table [${spec.lo}, ${spec.hi}]`);
    assert.ok(tamperCaught(c!, 5) > 20);
  });
}

test('LogSoftmax over rows of 6: max chain, exp and log lookups, differences; bit-exact, tampering caught', () => {
  const g = graph('logsoftmax', [3, 6], [3, 6], [{ op: 'LogSoftmax', name: 'ls', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model, inputs } = quantizeSmall(g, [3, 6], -4, 4);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['cmp-max', 'LogSoftmax:exp/', 'LogSoftmax:log/', 'difference']);
  assert.ok(tamperCaught(c!, 5) > 20);
});

test('LogSoftmax: the log table covers every sum a row can have, [2^s, n·2^s], and nothing at or below 0', () => {
  const g = graph('logsoftmax', [1, 4], [1, 4], [{ op: 'LogSoftmax', name: 'ls', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model } = quantizeSmall(g, [1, 4], -2, 2);
  const spec = model.settings.tables['ls']!['log']!;
  // Σ ∈ [2^s, n·2^s] always, inside the domain; the domain starts at 1, never at 0 or below.
  assert.ok(spec.lo >= 1 && spec.lo <= 128 && spec.hi >= 4 * 128, `log domain [${spec.lo}, ${spec.hi}]`);
  // A row of equal values sums to n·2^s exactly, a row with one far maximum to 2^s: both lay out.
  checkModel(model, { x: { shape: [1, 4], data: Float64Array.of(64, 64, 64, 64), bits: 7 } }, ['LogSoftmax:log/']);
  checkModel(model, { x: { shape: [1, 4], data: Float64Array.of(250, -250, -250, -250), bits: 7 } }, ['LogSoftmax:log/']);
});
