/**
 * PRelu, Elu, Selu, Softplus, Mish and LogSoftmax: float vs onnxruntime on random inputs (including far
 * into both saturated tails), integer vs float within the bound the quantization implies (ulps of 2^-s).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr } from '../../src/graph/ir.ts';
import { checkCase, rng, type OpCase } from './harness.ts';
import { saturatingPart } from '../../src/layers/relu-plus-table.ts';

const r = rng(13);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

// Bounds: input rounding (½ ulp × slope ≤ 1.1), the table's own rounding (½), the saturation tolerance
// (¼); Selu adds the rounded gain on |x| ≤ 6 (≤ 3 ulps) and one rescale (½); PRelu the rounded slope on
// |x| ≤ 2 (≤ 1 ulp) and one rescale; LogSoftmax n = 7 exp rounding errors in Σ ≥ 1 (≤ 3.5) plus the log
// table's and the inputs' rounding.
const cases: OpCase[] = [
  { title: 'PRelu per-channel slope [C,1,1]', op: 'PRelu', inputs: [{ shape: [1, 3, 2, 2] }, { shape: [3, 1, 1], value: [0.1, -0.3, 0.75] }], ulps: 2 },
  { title: 'PRelu scalar slope', op: 'PRelu', inputs: [{ shape: [2, 5] }, { shape: [1], value: [0.25] }], ulps: 2 },
  { title: 'PRelu slope over the last axis', op: 'PRelu', inputs: [{ shape: [3, 4] }, { shape: [4], value: rand(4) }], ulps: 2 },
  { title: 'Elu default alpha', op: 'Elu', inputs: [{ shape: [40], range: [-12, 6] }], ulps: 2 },
  { title: 'Elu alpha 0.5', op: 'Elu', attrs: { alpha: attr.float(0.5) }, inputs: [{ shape: [40], range: [-12, 6] }], ulps: 2 },
  { title: 'Selu', op: 'Selu', inputs: [{ shape: [40], range: [-12, 6] }], ulps: 4 },
  { title: 'Selu custom alpha gamma', op: 'Selu', attrs: { alpha: attr.float(2), gamma: attr.float(0.5) }, inputs: [{ shape: [40], range: [-12, 6] }], ulps: 3 },
  { title: 'Softplus', op: 'Softplus', inputs: [{ shape: [40], range: [-16, 16] }], ulps: 2 },
  { title: 'Mish', op: 'Mish', opset: 18, inputs: [{ shape: [40], range: [-16, 16] }], ulps: 2 },
  { title: 'LogSoftmax last axis', op: 'LogSoftmax', inputs: [{ shape: [3, 7], range: [-3, 3] }], ulps: 6 },
  { title: 'LogSoftmax axis 1 of 3-D', op: 'LogSoftmax', attrs: { axis: attr.int(1) }, inputs: [{ shape: [2, 4, 3], range: [-3, 3] }], ulps: 6 },
  { title: 'LogSoftmax opset 11 (2-D coercion)', op: 'LogSoftmax', opset: 11, attrs: { axis: attr.int(1) }, inputs: [{ shape: [2, 3, 2], range: [-3, 3] }], ulps: 6 },
];

test('activations: float vs onnxruntime, integer vs float', async (t) => {
  for (const c of cases) for (const s of [7, 10]) await t.test(`${c.title} (s = ${s})`, async () => void (await checkCase({ ...c, scaleBits: s })));
});

test('the saturating part of Elu / Softplus / Mish is flat beyond its table domain', () => {
  const specs = [
    { f: (x: number) => (x >= 0 ? x : Math.expm1(x)), gain: 1, limLo: -1, limHi: 0 },
    { f: (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), gain: 1, limLo: 0, limHi: 0 },
    { f: (x: number) => x * Math.tanh(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))), gain: 1, limLo: 0, limHi: 0 },
  ];
  for (const s of [4, 7, 12])
    for (const spec of specs) {
      const t = saturatingPart(spec);
      const [lo, hi] = t.saturatesAt!(s);
      const S = 2 ** s;
      for (let x = lo - 40; x <= lo; x += 0.37) assert.equal(Math.floor(t.fn(x) * S + 0.5), Math.floor(t.fn(lo) * S + 0.5), `below ${lo} at s ${s}`);
      for (let x = hi; x <= hi + 40; x += 0.37) assert.equal(Math.floor(t.fn(x) * S + 0.5), Math.floor(t.fn(hi) * S + 0.5), `above ${hi} at s ${s}`);
    }
});
