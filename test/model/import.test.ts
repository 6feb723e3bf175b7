/** ONNX import: writer → reader round trips, constant folding, Identity/Dropout removal, BN folding, dynamic dims. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { readOnnx } from '../../src/graph/onnx/reader.ts';
import { importOnnx } from '../../src/model/load.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { ortSession, runOrt } from '../../src/model/ort.ts';
import { attr, floatTensor, intTensor, type Graph } from '../../src/graph/ir.ts';
import { rng } from '../layers/harness.ts';
import type { Arr } from '../../src/layers/types.ts';

const r = rng(3);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
const arr = (shape: number[]): Arr => ({ shape, data: Float64Array.from(rand(shape.reduce((a, b) => a * b, 1))) });

async function sameAsOrt(g: Graph, inputs: Record<string, Arr>, tol = 1e-5): Promise<Graph> {
  const bytes = writeOnnx(g);
  const ref = await runOrt(await ortSession(bytes), inputs);
  const imported = importOnnx(bytes, 'test.onnx');
  const got = evaluateFloat(imported, inputs);
  for (const [k, v] of Object.entries(ref)) {
    assert.deepEqual(got[k]!.shape, v.shape);
    for (let i = 0; i < v.data.length; i++) assert.ok(Math.abs(got[k]!.data[i]! - v.data[i]!) <= tol * (1 + Math.abs(v.data[i]!)), `${k}[${i}]`);
  }
  return imported;
}

test('writer → reader round trip keeps nodes, attributes, initializers (raw and typed fields) and opset', () => {
  const g: Graph = {
    name: 'rt',
    opset: 17,
    inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 2] }],
    initializers: { w: floatTensor([4, 2], [1.5, -2, 3.25, 4, 5, 6, 7, -8]), s: intTensor([2], [-1, 2 ** 40]), b: intTensor([2], [1, 0], 'bool') },
    nodes: [{ op: 'MatMul', name: 'mm', inputs: ['x', 'w'], outputs: ['y'], attrs: { a: attr.int(-3), f: attr.float(0.5), s: attr.string('hé'), is: attr.ints([1, -2]), fs: attr.floats([0.25]), ss: attr.strings(['a', 'b']), t: attr.tensor(floatTensor([1], [2])) } }],
    valueInfo: {},
  };
  for (const floatAsTypedField of [false, true]) {
    const back = readOnnx(writeOnnx(g, { floatAsTypedField }), 'rt.onnx');
    assert.equal(back.opset, 17);
    assert.deepEqual(back.inputs, g.inputs);
    assert.deepEqual(back.outputs, g.outputs);
    assert.deepEqual(back.nodes, g.nodes);
    assert.deepEqual(back.initializers, g.initializers);
  }
});

test('Shape/Gather/Unsqueeze/Concat/Cast/Constant chains fold to constants; Identity and Dropout disappear', async () => {
  const g: Graph = {
    name: 'fold',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [2, 3, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [2, 12] }],
    initializers: { idx0: intTensor([], [0]), ax: intTensor([1], [0]) },
    nodes: [
      { op: 'Identity', name: 'id', inputs: ['x'], outputs: ['xi'], attrs: {} },
      { op: 'Dropout', name: 'drop', inputs: ['xi'], outputs: ['xd'], attrs: {} },
      { op: 'Shape', name: 'shape', inputs: ['xd'], outputs: ['sh'], attrs: {} },
      { op: 'Gather', name: 'g0', inputs: ['sh', 'idx0'], outputs: ['n'], attrs: { axis: attr.int(0) } },
      { op: 'Unsqueeze', name: 'u', inputs: ['n', 'ax'], outputs: ['n1'], attrs: {} },
      { op: 'Constant', name: 'minus1', inputs: [], outputs: ['m1'], attrs: { value: attr.tensor(intTensor([1], [-1])) } },
      { op: 'Concat', name: 'cat', inputs: ['n1', 'm1'], outputs: ['tgt'], attrs: { axis: attr.int(0) } },
      { op: 'Cast', name: 'cast', inputs: ['tgt'], outputs: ['tgt64'], attrs: { to: attr.int(7) } },
      { op: 'Reshape', name: 'reshape', inputs: ['xd', 'tgt64'], outputs: ['y'], attrs: {} },
    ],
    valueInfo: {},
  };
  const imported = await sameAsOrt(g, { x: arr([2, 3, 4]) });
  assert.deepEqual(imported.nodes.map((n) => n.op), ['Reshape']);
  assert.deepEqual(Array.from(imported.initializers[imported.nodes[0]!.inputs[1]!]!.data), [2, -1]);
  assert.deepEqual(imported.outputs[0]!.shape, [2, 12]);
});

test('BatchNormalization folds into the preceding Conv and Gemm with the same outputs', async () => {
  const bn = (c: number): Record<string, ReturnType<typeof floatTensor>> => ({
    [`g${c}`]: floatTensor([c], rand(c, 0.5, 1.5)),
    [`b${c}`]: floatTensor([c], rand(c)),
    [`m${c}`]: floatTensor([c], rand(c)),
    [`v${c}`]: floatTensor([c], rand(c, 0.2, 2)),
  });
  const g: Graph = {
    name: 'bn',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 5, 5] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
    initializers: { w: floatTensor([3, 2, 3, 3], rand(54)), cb: floatTensor([3], rand(3)), fw: floatTensor([4, 27], rand(108)), ...bn(3), ...bn(4) },
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['x', 'w', 'cb'], outputs: ['c'], attrs: {} },
      { op: 'BatchNormalization', name: 'bn1', inputs: ['c', 'g3', 'b3', 'm3', 'v3'], outputs: ['cn'], attrs: { epsilon: attr.float(1e-3) } },
      { op: 'Flatten', name: 'flat', inputs: ['cn'], outputs: ['f'], attrs: {} },
      { op: 'Gemm', name: 'fc', inputs: ['f', 'fw'], outputs: ['h'], attrs: { transB: attr.int(1) } },
      { op: 'Unsqueeze', name: 'u1', inputs: ['h', 'ax23'], outputs: ['h4'], attrs: {} },
      { op: 'BatchNormalization', name: 'bn2', inputs: ['h4', 'g4', 'b4', 'm4', 'v4'], outputs: ['hn'], attrs: {} },
      { op: 'Flatten', name: 'flat2', inputs: ['hn'], outputs: ['y'], attrs: {} },
    ],
    valueInfo: {},
  };
  g.initializers.ax23 = intTensor([2], [2, 3]);
  const imported = await sameAsOrt(g, { x: arr([1, 2, 5, 5]) }, 1e-4);
  const ops = imported.nodes.map((n) => n.op);
  assert.equal(ops[0], 'Conv');
  assert.equal(ops[1], 'Flatten', 'the BN after Conv is folded');
  // The BN after Unsqueeze is not after a Conv/Gemm: it stays and is evaluated as an op.
  assert.equal(ops.filter((o) => o === 'BatchNormalization').length, 1);
});

test('dynamic dims take the inputShapes override (default 1)', () => {
  const g: Graph = {
    name: 'dyn',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 3] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 3] }],
    initializers: {},
    nodes: [{ op: 'Relu', name: 'r', inputs: ['x'], outputs: ['y'], attrs: {} }],
    valueInfo: {},
  };
  const bytes = writeOnnx(g);
  assert.deepEqual(importOnnx(bytes).inputs[0]!.shape, [1, 3]);
  const big = importOnnx(bytes, 'dyn.onnx', { inputShapes: { x: [5, 3] } });
  assert.deepEqual(big.inputs[0]!.shape, [5, 3]);
  assert.deepEqual(big.outputs[0]!.shape, [5, 3]);
});
