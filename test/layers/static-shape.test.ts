/**
 * Static-shape ops: ConstantOfShape, Range, NonZero, Tile, Where and Expand on constants fold on import
 * (checked against onnxruntime); Tile and Expand of runtime data are index maps; Where with a runtime
 * condition selects. A GPT-style causal mask (Shape → Gather → Range → Unsqueeze → Greater → Expand →
 * Where, with ConstantOfShape and NonZero on the side) folds to one constant mask.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { importOnnx } from '../../src/model/load.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { evaluateInt } from '../../src/model/int-eval.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { ortSession, runOrt } from '../../src/model/ort.ts';
import { attr, floatTensor, intTensor, type Graph, type Node, type Tensor } from '../../src/graph/ir.ts';
import type { Arr } from '../../src/layers/types.ts';
import { checkCase, rng, type OpCase } from './harness.ts';
import { causalMaskGraph } from './causal-mask.ts';

const r = rng(5);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

/** A graph of constant initializers and nodes, outputs of the given dtypes. */
function constGraph(name: string, nodes: Node[], inits: Record<string, Tensor>, outputs: [string, Tensor['dtype']][], opset = 13): Graph {
  return { name, opset, inputs: [], outputs: outputs.map(([n, dtype]) => ({ name: n, dtype })), nodes, initializers: inits, valueInfo: {} };
}

async function agreesWithOrt(g: Graph, inputs: Record<string, Arr> = {}, tol = 1e-5): Promise<Graph> {
  const bytes = writeOnnx(g);
  const ref = await runOrt(await ortSession(bytes), inputs);
  const graph = importOnnx(bytes, g.name);
  const got = evaluateFloat(graph, inputs);
  for (const [k, want] of Object.entries(ref)) {
    assert.deepEqual(got[k]!.shape, want.shape, `${g.name}: ${k} shape`);
    for (let i = 0; i < want.data.length; i++) assert.ok(Math.abs(got[k]!.data[i]! - want.data[i]!) <= tol * (1 + Math.abs(want.data[i]!)), `${g.name}: ${k}[${i}] ${got[k]!.data[i]} vs ${want.data[i]}`);
  }
  return graph;
}

test('ConstantOfShape, Range, NonZero, Tile and Where on constants fold on import and agree with onnxruntime', async () => {
  const f16 = attr.tensor(floatTensor([1], [0.5]));
  const i7 = attr.tensor(intTensor([1], [7]));
  const g = constGraph(
    'consts',
    [
      { op: 'ConstantOfShape', name: 'cf', inputs: ['shp'], outputs: ['cf'], attrs: { value: f16 } },
      { op: 'ConstantOfShape', name: 'ci', inputs: ['shp'], outputs: ['ci'], attrs: { value: i7 } },
      { op: 'ConstantOfShape', name: 'c0', inputs: ['shp'], outputs: ['c0'], attrs: {} },
      { op: 'Range', name: 'ri', inputs: ['i0', 'i5', 'i2'], outputs: ['ri'], attrs: {} },
      { op: 'Range', name: 'rf', inputs: ['f0', 'f3', 'fd'], outputs: ['rf'], attrs: {} },
      { op: 'Range', name: 'rneg', inputs: ['i5', 'i0', 'im1'], outputs: ['rneg'], attrs: {} },
      { op: 'NonZero', name: 'nz', inputs: ['m'], outputs: ['nz'], attrs: {} },
      { op: 'Tile', name: 'tl', inputs: ['m', 'reps'], outputs: ['tl'], attrs: {} },
      { op: 'Where', name: 'wh', inputs: ['mb', 'cf', 'c0'], outputs: ['wh'], attrs: {} },
      { op: 'Expand', name: 'ex', inputs: ['ri', 'eshape'], outputs: ['ex'], attrs: {} },
    ],
    {
      shp: intTensor([2], [2, 3]),
      i0: intTensor([], [0]),
      i5: intTensor([], [5]),
      i2: intTensor([], [2]),
      im1: intTensor([], [-1]),
      f0: floatTensor([], [0.25]),
      f3: floatTensor([], [3]),
      fd: floatTensor([], [0.7]),
      m: floatTensor([2, 3], [0, 1.5, 0, -2, 0, 3]),
      mb: intTensor([2, 3], [1, 0, 1, 0, 0, 1], 'bool'),
      reps: intTensor([2], [2, 3]),
      eshape: intTensor([2], [2, 1]),
    },
    [['cf', 'float32'], ['ci', 'int64'], ['c0', 'float32'], ['ri', 'int64'], ['rf', 'float32'], ['rneg', 'int64'], ['nz', 'int64'], ['tl', 'float32'], ['wh', 'float32'], ['ex', 'int64']],
  );
  const graph = await agreesWithOrt(g);
  assert.equal(graph.nodes.length, 0, `every node folded (left: ${graph.nodes.map((n) => n.op)})`);
  assert.equal(graph.initializers['ci']!.dtype, 'int64');
  assert.equal(graph.initializers['cf']!.dtype, 'float32');
  assert.equal(graph.initializers['nz']!.dtype, 'int64');
  assert.deepEqual(Array.from(graph.initializers['nz']!.data), [0, 1, 1, 1, 0, 2]);
  assert.deepEqual(graph.initializers['rneg']!.shape, [5]);
});

const cases: OpCase[] = [
  { title: 'Tile runtime [2,3] by [2,1]', op: 'Tile', inputs: [{ shape: [2, 3] }, { shape: [2], value: [2, 1], dtype: 'int64' }], shapes: [[4, 3]], ulps: 1 },
  { title: 'Tile runtime [1,2,2] by [3,1,2]', op: 'Tile', inputs: [{ shape: [1, 2, 2] }, { shape: [3], value: [3, 1, 2], dtype: 'int64' }], shapes: [[3, 2, 4]], ulps: 1 },
  { title: 'Tile zero repeats', op: 'Tile', inputs: [{ shape: [2, 2] }, { shape: [2], value: [0, 2], dtype: 'int64' }], shapes: [[0, 4]], ulps: 1 },
  { title: 'Expand runtime [1,3] to [2,1,3]', op: 'Expand', inputs: [{ shape: [1, 3] }, { shape: [3], value: [2, 1, 3], dtype: 'int64' }], shapes: [[2, 1, 3]], ulps: 1 },
];

test('Tile and Expand of runtime data: float vs onnxruntime, index maps, integer vs float', async (t) => {
  for (const c of cases) await t.test(c.title, async () => void (await checkCase(c)));
});

test('Where with a runtime condition (Less of two inputs): float vs onnxruntime, integer vs float', async () => {
  const g: Graph = {
    name: 'where-runtime',
    opset: 13,
    inputs: [{ name: 'a', dtype: 'float32', shape: [2, 4] }, { name: 'b', dtype: 'float32', shape: [4] }],
    outputs: [{ name: 'y', dtype: 'float32' }],
    nodes: [
      { op: 'Less', name: 'lt', inputs: ['a', 'b'], outputs: ['c'], attrs: {} },
      { op: 'Where', name: 'wh', inputs: ['c', 'a', 'k'], outputs: ['y'], attrs: {} },
    ],
    initializers: { k: floatTensor([], [-0.75]) },
    valueInfo: {},
  };
  const inputs = { a: { shape: [2, 4], data: Float64Array.from(rand(8)) }, b: { shape: [4], data: Float64Array.from(rand(4)) } };
  const graph = await agreesWithOrt(g, inputs);
  const model = quantizeModel(graph, [inputs], { scaleBits: 8 });
  const res = evaluateInt(model, inputs);
  const f = evaluateFloat(graph, inputs)['y']!;
  for (let i = 0; i < 8; i++) assert.ok(Math.abs(res.dequantized['y']!.data[i]! - f.data[i]!) <= 2 ** -9 + 1e-9);
});

test('a GPT-style causal mask folds to constants; only the Where, Tile and Div on data remain', async () => {
  const T = 4;
  const inputs = { x: { shape: [1, T, T], data: Float64Array.from(rand(T * T, -2, 2)) } };
  const graph = await agreesWithOrt(causalMaskGraph(T), inputs);
  assert.deepEqual(graph.nodes.map((n) => n.op), ['Where', 'Tile', 'Div']);
  const mask = graph.initializers[graph.nodes[0]!.inputs[0]!]!;
  assert.equal(mask.dtype, 'bool');
  assert.deepEqual(Array.from(mask.data).slice(0, T), [0, 1, 1, 1]);
  const cnt = graph.initializers[graph.nodes[2]!.inputs[1]!]!;
  assert.deepEqual(Array.from(cnt.data), [(T * (T - 1)) / 2], 'NonZero counted the masked entries');
  const model = quantizeModel(graph, [inputs], { scaleBits: 8 });
  const res = evaluateInt(model, inputs).dequantized['y']!;
  const f = evaluateFloat(graph, inputs)['y']!;
  for (let i = 0; i < f.data.length; i++) assert.ok(Math.abs(res.data[i]! - f.data[i]!) <= 2 ** -8, `${i}: ${res.data[i]} vs ${f.data[i]}`);
});
