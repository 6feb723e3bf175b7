/**
 * ConvTranspose lowered by the dot-product chip: a small decoder (ConvTranspose with stride, pads,
 * output_padding and groups, then one with stride beyond its kernel so some outputs are bias only) is
 * bit-exact against the integer reference, passes MockProver, and single-cell tampering is caught.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, graph, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);
const rand = randoms(29);

test('ConvTranspose decoder: strides, pads, output_padding, groups, bias-only outputs; bit-exact, tampering caught', () => {
  const g = graph(
    'deconv',
    [1, 4, 2, 2],
    [1, 2, 11, 11],
    [
      {
        op: 'ConvTranspose',
        name: 'up1',
        inputs: ['x', 'w1', 'b1'],
        outputs: ['u'],
        attrs: { strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), output_padding: attr.ints([1, 1]), group: attr.int(2) },
      },
      { op: 'Relu', name: 'rl', inputs: ['u'], outputs: ['r'], attrs: {} },
      { op: 'ConvTranspose', name: 'up2', inputs: ['r', 'w2', 'b2'], outputs: ['y'], attrs: { strides: attr.ints([3, 3]), dilations: attr.ints([1, 1]) } },
    ],
    {
      w1: floatTensor([4, 2, 3, 3], rand(72)),
      b1: floatTensor([4], rand(4)),
      w2: floatTensor([4, 2, 2, 2], rand(32)),
      b2: floatTensor([2], [0.25, -0.5]),
    },
  );
  const { model, inputs } = quantizeSmall(g, [1, 4, 2, 2], -1, 1);
  assert.deepEqual(model.graph.valueInfo['u']?.shape, [1, 4, 4, 4]);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['dot/fixed/', 'rescale-act/']);
  const vals = c!.publicOutputs[0]!.values;
  // Row 2 of the last layer (stride 3, kernel 2) is reached by no input: the bias alone, rdiv(b_q, 2^s).
  assert.equal(vals[2 * 11], 32);
  assert.equal(vals[121 + 2 * 11], -64);
  assert.ok(tamperCaught(c!, 11) > 30);
});
