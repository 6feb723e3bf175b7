/**
 * Every op: float evaluator vs onnxruntime-node on random inputs (one-node models built by our writer and
 * read back by our reader), integer evaluator vs float within the bound its quantization implies
 * (ulps = units of 2^-s; derivations inline), and shape rules on odd shapes.
 */
import { test } from 'node:test';
import { attr } from '../../src/graph/ir.ts';
import { checkCase, rng, type OpCase } from './harness.ts';

const r = rng(7);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

// Bounds: inputs quantized with ≤ 1/2 ulp error, constants too; a dot product of K terms with |x|, |w| ≤ 2
// then has error ≤ K·(|w| + |x|)/2 ulps + 1/2 for the final rescale.
const cases: OpCase[] = [
  // Elementwise arithmetic with broadcasting.
  { title: 'Add broadcast [2,3,4]+[3,1]', op: 'Add', inputs: [{ shape: [2, 3, 4] }, { shape: [3, 1] }], ulps: 1 },
  { title: 'Add const', op: 'Add', inputs: [{ shape: [2, 3] }, { shape: [3], value: rand(3) }], ulps: 1 },
  { title: 'Sub broadcast [4]-[2,1]', op: 'Sub', inputs: [{ shape: [4] }, { shape: [2, 1] }], ulps: 1 },
  { title: 'Mul tensor*tensor', op: 'Mul', inputs: [{ shape: [2, 5] }, { shape: [2, 5] }], ulps: 3 },
  { title: 'Mul by const', op: 'Mul', inputs: [{ shape: [3, 4] }, { shape: [1, 4], value: rand(4) }], ulps: 2 },
  { title: 'Div by integer const', op: 'Div', inputs: [{ shape: [6] }, { shape: [], value: [3] }], ulps: 1 },
  { title: 'Div by fractional const', op: 'Div', inputs: [{ shape: [6] }, { shape: [], value: [0.7] }], ulps: 3 },
  { title: 'Div by tensor', op: 'Div', inputs: [{ shape: [2, 4] }, { shape: [2, 4], range: [0.5, 2] }], ulps: 8 },
  { title: 'Neg', op: 'Neg', inputs: [{ shape: [5] }], ulps: 1 },
  { title: 'Pow 2', op: 'Pow', inputs: [{ shape: [7] }, { shape: [], value: [2] }], ulps: 4 },
  { title: 'Pow 3', op: 'Pow', inputs: [{ shape: [7] }, { shape: [], value: [3] }], ulps: 12 },
  { title: 'Pow 0.5 (table)', op: 'Pow', inputs: [{ shape: [7], range: [0.1, 3] }, { shape: [], value: [0.5] }], ulps: 2 },
  // Activations.
  { title: 'Relu', op: 'Relu', inputs: [{ shape: [2, 3] }], ulps: 1 },
  { title: 'LeakyRelu', op: 'LeakyRelu', attrs: { alpha: attr.float(0.1) }, inputs: [{ shape: [9] }], ulps: 1 },
  { title: 'Clip (Relu6 shape) with const bounds', op: 'Clip', inputs: [{ shape: [10], range: [-8, 8] }, { shape: [], value: [0] }, { shape: [], value: [6] }], ulps: 1 },
  { title: 'Clip with only max', op: 'Clip', inputs: [{ shape: [10] }, { shape: [], empty: true }, { shape: [], value: [0.5] }], ulps: 1 },
  { title: 'Sigmoid', op: 'Sigmoid', inputs: [{ shape: [20], range: [-12, 12] }], ulps: 1 },
  { title: 'HardSigmoid', op: 'HardSigmoid', inputs: [{ shape: [20], range: [-5, 5] }], ulps: 1 },
  { title: 'HardSwish', op: 'HardSwish', opset: 14, inputs: [{ shape: [20], range: [-5, 5] }], ulps: 4 },
  { title: 'Tanh', op: 'Tanh', inputs: [{ shape: [20], range: [-6, 6] }], ulps: 2 },
  { title: 'Exp', op: 'Exp', inputs: [{ shape: [20] }], ulps: 6 },
  { title: 'Log', op: 'Log', inputs: [{ shape: [20], range: [0.05, 4] }], ulps: 22 },
  { title: 'Sqrt', op: 'Sqrt', inputs: [{ shape: [20], range: [0, 4] }], ulps: 12 },
  { title: 'Reciprocal', op: 'Reciprocal', inputs: [{ shape: [20], range: [0.5, 3] }], ulps: 4 },
  { title: 'Erf', op: 'Erf', inputs: [{ shape: [20], range: [-4, 4] }], ulps: 2 },
  { title: 'Gelu (opset 20)', op: 'Gelu', opset: 20, inputs: [{ shape: [20], range: [-4, 4] }], ulps: 3 },
  { title: 'Softmax last axis', op: 'Softmax', inputs: [{ shape: [3, 7] }], ulps: 4 },
  { title: 'Softmax axis 1 of 3-D', op: 'Softmax', attrs: { axis: attr.int(1) }, inputs: [{ shape: [2, 4, 3] }], ulps: 4 },
  { title: 'Softmax opset 11 (2-D coercion)', op: 'Softmax', opset: 11, attrs: { axis: attr.int(1) }, inputs: [{ shape: [2, 3, 2] }], ulps: 4 },
  // Linear layers.
  { title: 'Conv 3x3 pads 1 stride 2 odd input', op: 'Conv', attrs: { pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }, inputs: [{ shape: [1, 2, 7, 6] }, { shape: [3, 2, 3, 3], value: rand(54) }, { shape: [3], value: rand(3) }], shapes: [[1, 3, 4, 3]], ulps: 40 },
  { title: 'Conv dilation 2 asymmetric pads', op: 'Conv', attrs: { dilations: attr.ints([2, 2]), pads: attr.ints([0, 1, 2, 0]) }, inputs: [{ shape: [2, 1, 6, 6] }, { shape: [2, 1, 2, 2], value: rand(8) }], shapes: [[2, 2, 6, 5]], ulps: 10 },
  { title: 'Conv groups 2', op: 'Conv', attrs: { group: attr.int(2) }, inputs: [{ shape: [1, 4, 5, 5] }, { shape: [4, 2, 3, 3], value: rand(72) }, { shape: [4], value: rand(4) }], ulps: 40 },
  { title: 'Conv depthwise SAME_UPPER stride 2', op: 'Conv', attrs: { group: attr.int(3), auto_pad: attr.string('SAME_UPPER'), strides: attr.ints([2, 2]), kernel_shape: attr.ints([3, 3]) }, inputs: [{ shape: [1, 3, 5, 4] }, { shape: [3, 1, 3, 3], value: rand(27) }], shapes: [[1, 3, 3, 2]], ulps: 20 },
  { title: 'Conv 1-D', op: 'Conv', attrs: { pads: attr.ints([2, 0]) }, inputs: [{ shape: [1, 2, 9] }, { shape: [4, 2, 3], value: rand(24) }], ulps: 14 },
  { title: 'Gemm transB with bias', op: 'Gemm', attrs: { transB: attr.int(1) }, inputs: [{ shape: [3, 5] }, { shape: [4, 5], value: rand(20) }, { shape: [4], value: rand(4) }], ulps: 12 },
  { title: 'Gemm alpha beta transA', op: 'Gemm', attrs: { transA: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) }, inputs: [{ shape: [5, 3] }, { shape: [5, 2], value: rand(10) }, { shape: [3, 2], value: rand(6) }], ulps: 12 },
  { title: 'MatMul batched broadcast', op: 'MatMul', inputs: [{ shape: [2, 1, 3, 4] }, { shape: [3, 4, 2] }], ulps: 12 },
  { title: 'MatMul const weight', op: 'MatMul', inputs: [{ shape: [2, 6] }, { shape: [6, 3], value: rand(18) }], ulps: 12 },
  { title: 'MatMul 1-D x 2-D', op: 'MatMul', inputs: [{ shape: [4] }, { shape: [4, 3] }], ulps: 12 },
  // Pooling and reductions.
  { title: 'MaxPool 3x3 stride 2 pads', op: 'MaxPool', attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) }, inputs: [{ shape: [1, 2, 7, 8] }], shapes: [[1, 2, 4, 4]], ulps: 1 },
  { title: 'MaxPool ceil_mode dilation', op: 'MaxPool', attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]), ceil_mode: attr.int(1), dilations: attr.ints([1, 2]) }, opset: 12, inputs: [{ shape: [1, 1, 5, 7] }], ulps: 1 },
  { title: 'AveragePool exclude pad', op: 'AveragePool', attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, inputs: [{ shape: [1, 2, 4, 5] }], ulps: 2 },
  { title: 'AveragePool include pad stride 2', op: 'AveragePool', attrs: { kernel_shape: attr.ints([2, 3]), strides: attr.ints([2, 2]), pads: attr.ints([0, 1, 1, 1]), count_include_pad: attr.int(1) }, inputs: [{ shape: [1, 1, 5, 5] }], ulps: 2 },
  { title: 'GlobalAveragePool', op: 'GlobalAveragePool', inputs: [{ shape: [2, 3, 4, 5] }], ulps: 2 },
  { title: 'ReduceMean axes attr', op: 'ReduceMean', attrs: { axes: attr.ints([-1]), keepdims: attr.int(0) }, inputs: [{ shape: [3, 5] }], ulps: 2 },
  { title: 'ReduceSum axes input', op: 'ReduceSum', inputs: [{ shape: [2, 3, 4] }, { shape: [2], value: [0, 2], dtype: 'int64' }], ulps: 13 },
  { title: 'ReduceMax all', op: 'ReduceMax', attrs: { keepdims: attr.int(1) }, inputs: [{ shape: [3, 4] }], ulps: 1 },
  { title: 'ReduceMean opset 18 axes input', op: 'ReduceMean', opset: 18, inputs: [{ shape: [2, 3, 4] }, { shape: [1], value: [1], dtype: 'int64' }], ulps: 2 },
  { title: 'ReduceMax opset 18 keepdims 0', op: 'ReduceMax', opset: 18, attrs: { keepdims: attr.int(0) }, inputs: [{ shape: [2, 3, 4] }, { shape: [2], value: [0, -1], dtype: 'int64' }], ulps: 1 },
  { title: 'ArgMax axis 1', op: 'ArgMax', attrs: { axis: attr.int(1), keepdims: attr.int(0) }, inputs: [{ shape: [4, 10] }], ulps: 0 },
  { title: 'LayerNormalization', op: 'LayerNormalization', opset: 17, inputs: [{ shape: [3, 16] }, { shape: [16], value: rand(16, 0.5, 1.5) }, { shape: [16], value: rand(16) }], ulps: 24 },
  { title: 'BatchNormalization standalone', op: 'BatchNormalization', inputs: [{ shape: [1, 3, 2, 2] }, { shape: [3], value: rand(3) }, { shape: [3], value: rand(3) }, { shape: [3], value: rand(3) }, { shape: [3], value: rand(3, 0.5, 2) }], ulps: 4 },
  // Data movement (index maps): exact up to input rounding.
  { title: 'Flatten axis 2', op: 'Flatten', attrs: { axis: attr.int(2) }, inputs: [{ shape: [2, 3, 4, 5] }], shapes: [[6, 20]], ulps: 1 },
  { title: 'Reshape with 0 and -1', op: 'Reshape', inputs: [{ shape: [2, 3, 4] }, { shape: [3], value: [0, -1, 2], dtype: 'int64' }], shapes: [[2, 6, 2]], ulps: 1 },
  { title: 'Transpose perm', op: 'Transpose', attrs: { perm: attr.ints([2, 0, 1]) }, inputs: [{ shape: [2, 3, 4] }], ulps: 1 },
  { title: 'Concat axis 1', op: 'Concat', attrs: { axis: attr.int(1) }, inputs: [{ shape: [2, 3] }, { shape: [2, 1], value: rand(2) }, { shape: [2, 2] }], ulps: 1 },
  { title: 'Split uneven', op: 'Split', attrs: { axis: attr.int(1) }, outputs: 2, inputs: [{ shape: [2, 5] }, { shape: [2], value: [2, 3], dtype: 'int64' }], ulps: 1 },
  { title: 'Split opset 18 num_outputs uneven', op: 'Split', opset: 18, attrs: { axis: attr.int(0), num_outputs: attr.int(3) }, outputs: 3, inputs: [{ shape: [7, 2] }], shapes: [[3, 2], [3, 2], [1, 2]], ulps: 1 },
  { title: 'Pad opset 18 with axes', op: 'Pad', opset: 18, inputs: [{ shape: [2, 3, 4] }, { shape: [2], value: [1, 2], dtype: 'int64' }, { shape: [], empty: true }, { shape: [1], value: [-1], dtype: 'int64' }], shapes: [[2, 3, 7]], ulps: 1 },
  { title: 'Softmax opset 21', op: 'Softmax', opset: 21, inputs: [{ shape: [2, 6] }], ulps: 4 },
  { title: 'Slice negative step', op: 'Slice', inputs: [{ shape: [5, 6] }, { shape: [2], value: [4, 1], dtype: 'int64' }, { shape: [2], value: [0, 100], dtype: 'int64' }, { shape: [2], value: [0, 1], dtype: 'int64' }, { shape: [2], value: [-2, 2], dtype: 'int64' }], ulps: 1 },
  { title: 'Gather const indices axis 1', op: 'Gather', attrs: { axis: attr.int(1) }, inputs: [{ shape: [3, 4] }, { shape: [2, 2], value: [0, -1, 2, 2], dtype: 'int64' }], shapes: [[3, 2, 2]], ulps: 1 },
  { title: 'Pad constant', op: 'Pad', inputs: [{ shape: [2, 3] }, { shape: [4], value: [1, 0, 0, 2], dtype: 'int64' }, { shape: [], value: [0.5] }], ulps: 1 },
  { title: 'Pad reflect', op: 'Pad', attrs: { mode: attr.string('reflect') }, inputs: [{ shape: [1, 4, 5] }, { shape: [6], value: [0, 2, 1, 0, 1, 3], dtype: 'int64' }], ulps: 1 },
  { title: 'Pad edge', op: 'Pad', attrs: { mode: attr.string('edge') }, inputs: [{ shape: [3, 3] }, { shape: [4], value: [2, 1, 0, 2], dtype: 'int64' }], ulps: 1 },
  { title: 'Squeeze', op: 'Squeeze', inputs: [{ shape: [1, 3, 1, 2] }, { shape: [1], value: [2], dtype: 'int64' }], shapes: [[1, 3, 2]], ulps: 1 },
  { title: 'Unsqueeze', op: 'Unsqueeze', inputs: [{ shape: [3, 2] }, { shape: [2], value: [0, 3], dtype: 'int64' }], shapes: [[1, 3, 2, 1]], ulps: 1 },
  { title: 'Expand', op: 'Expand', inputs: [{ shape: [3, 1] }, { shape: [3], value: [2, 3, 4], dtype: 'int64' }], ulps: 1 },
  { title: 'Resize nearest scales x2', op: 'Resize', inputs: [{ shape: [1, 1, 3, 4] }, { shape: [0], value: [] }, { shape: [4], value: [1, 1, 2, 2] }], ulps: 1 },
  { title: 'Resize nearest sizes asymmetric floor', op: 'Resize', attrs: { coordinate_transformation_mode: attr.string('asymmetric'), nearest_mode: attr.string('floor') }, inputs: [{ shape: [1, 2, 4, 4] }, { shape: [0], value: [] }, { shape: [0], value: [] }, { shape: [4], value: [1, 2, 3, 6], dtype: 'int64' }], ulps: 1 },
  { title: 'Where constant mask', op: 'Where', inputs: [{ shape: [2, 3], value: [1, 0, 1, 0, 0, 1], dtype: 'bool' }, { shape: [2, 3] }, { shape: [], value: [-100] }], ulps: 1 },
  { title: 'Equal const', op: 'Equal', inputs: [{ shape: [6], value: [0, 1, 0, 2, 0, 1] }, { shape: [], value: [0] }], ulps: 0 },
  { title: 'Less tensor', op: 'Less', inputs: [{ shape: [2, 3] }, { shape: [3] }], ulps: 0 },
];

test('op semantics: float vs onnxruntime, integer vs float, shape rules', async (t) => {
  for (const c of cases) {
    await t.test(c.title, async () => {
      await checkCase(c);
    });
  }
});

test('index maps are exposed for every pure data-movement op', async () => {
  const { OPS } = await import('../../src/layers/registry.ts');
  const movement = ['Reshape', 'Flatten', 'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'Pad', 'Squeeze', 'Unsqueeze', 'Expand', 'Resize', 'Where', 'Identity'];
  for (const op of movement) if (!OPS.get(op)?.indexMap) throw new Error(`${op} has no index map`);
});
