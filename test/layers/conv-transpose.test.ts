/**
 * ConvTranspose: float vs onnxruntime across strides, pads, output_padding, dilations, groups, 1-D,
 * output_shape and auto_pad (shape rule checked), integer vs float within the dot-product bound.
 */
import { test } from 'node:test';
import { attr } from '../../src/graph/ir.ts';
import { checkCase, rng, type OpCase } from './harness.ts';

const r = rng(23);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

// K products with |x| ≤ 2, |w| ≤ 1 each off by ≤ (|w| + |x|)/2 ulps, plus ½ for the rescale: K ≤ 18 here.
const cases: OpCase[] = [
  { title: 'ConvTranspose 3x3 stride 1', op: 'ConvTranspose', inputs: [{ shape: [1, 2, 3, 3] }, { shape: [2, 3, 3, 3], value: rand(54) }], shapes: [[1, 3, 5, 5]], ulps: 30 },
  { title: 'ConvTranspose stride 2 pads 1 output_padding 1 with bias', op: 'ConvTranspose', attrs: { strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), output_padding: attr.ints([1, 1]) }, inputs: [{ shape: [1, 2, 3, 4] }, { shape: [2, 2, 3, 3], value: rand(36) }, { shape: [2], value: rand(2) }], shapes: [[1, 2, 6, 8]], ulps: 30 },
  { title: 'ConvTranspose dilation 2 asymmetric pads', op: 'ConvTranspose', attrs: { dilations: attr.ints([2, 1]), pads: attr.ints([0, 1, 2, 0]) }, inputs: [{ shape: [2, 1, 4, 4] }, { shape: [1, 2, 2, 3], value: rand(12) }], shapes: [[2, 2, 4, 5]], ulps: 20 },
  { title: 'ConvTranspose groups 2', op: 'ConvTranspose', attrs: { group: attr.int(2), strides: attr.ints([2, 1]) }, inputs: [{ shape: [1, 4, 3, 3] }, { shape: [4, 3, 2, 2], value: rand(48) }, { shape: [6], value: rand(6) }], shapes: [[1, 6, 6, 4]], ulps: 20 },
  { title: 'ConvTranspose stride 3 kernel 2 (outputs no input reaches)', op: 'ConvTranspose', attrs: { strides: attr.ints([3, 3]) }, inputs: [{ shape: [1, 1, 2, 2] }, { shape: [1, 1, 2, 2], value: rand(4) }, { shape: [1], value: [0.3] }], shapes: [[1, 1, 5, 5]], ulps: 4 },
  { title: 'ConvTranspose 1-D stride 2 output_padding', op: 'ConvTranspose', attrs: { strides: attr.ints([2]), output_padding: attr.ints([1]), pads: attr.ints([1, 0]) }, inputs: [{ shape: [1, 3, 5] }, { shape: [3, 2, 3], value: rand(18) }], ulps: 20 },
  { title: 'ConvTranspose output_shape (even total padding)', op: 'ConvTranspose', attrs: { strides: attr.ints([2, 2]), output_shape: attr.ints([6, 6]) }, inputs: [{ shape: [1, 1, 3, 3] }, { shape: [1, 1, 4, 4], value: rand(16) }], shapes: [[1, 1, 6, 6]], ulps: 12 },
  { title: 'ConvTranspose output_shape (odd total padding)', op: 'ConvTranspose', attrs: { strides: attr.ints([2, 2]), output_shape: attr.ints([7, 6]) }, inputs: [{ shape: [1, 1, 3, 3] }, { shape: [1, 1, 4, 4], value: rand(16) }], shapes: [[1, 1, 7, 6]], ulps: 12 },
  { title: 'ConvTranspose SAME_UPPER stride 2', op: 'ConvTranspose', attrs: { strides: attr.ints([2, 2]), auto_pad: attr.string('SAME_UPPER') }, inputs: [{ shape: [1, 1, 3, 3] }, { shape: [1, 2, 3, 3], value: rand(18) }], shapes: [[1, 2, 6, 6]], ulps: 12 },
  { title: 'ConvTranspose SAME_LOWER stride 2', op: 'ConvTranspose', attrs: { strides: attr.ints([2, 2]), auto_pad: attr.string('SAME_LOWER') }, inputs: [{ shape: [1, 1, 3, 3] }, { shape: [1, 2, 3, 3], value: rand(18) }], shapes: [[1, 2, 6, 6]], ulps: 12 },
];

test('ConvTranspose: float vs onnxruntime, shape rule, integer vs float', async (t) => {
  for (const c of cases) await t.test(c.title, async () => void (await checkCase(c)));
});
