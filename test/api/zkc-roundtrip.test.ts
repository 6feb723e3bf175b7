/**
 * `.zkc` version 2 stores the simplified graph itself (IR as JSON): compile → serialize → parse gives the
 * same circuit (the MNIST digest pinned in test/compiler/mnist-digest.test.ts) and the same integer
 * outputs, reading runs no simplification, and a hostile file is refused field by field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseZkc, serializeZkc, circuitOptions, type CompiledModel } from '../../src/api/zkc.ts';
import { FormatError } from '../../src/errors.ts';
import { loadModelFile } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { parseInputs } from '../../src/model/inputs.ts';
import { evaluateInt } from '../../src/model/int-eval.ts';
import { buildModelCircuit, layoutInputs } from '../../src/compiler/index.ts';
import { circuitColumns } from '../../src/plonk/keygen.ts';
import { MNIST_DIR } from '../../examples/mnist/test-split.ts';

const MNIST_CIRCUIT_DIGEST = '7c35e09354f4bbab219775db1a45c918dba9c6c6d9fddf4815615669c7cbe4be';

function mnist(): { compiled: CompiledModel; sample: ReturnType<typeof parseInputs>[number] } {
  const g = loadModelFile(join(MNIST_DIR, 'model.onnx'));
  const sample = (k: number) => parseInputs(g, readFileSync(join(MNIST_DIR, 'samples', `digit-${k}.json`), 'utf8'))[0]!;
  const model = quantizeModel(g, Array.from({ length: 8 }, (_, k) => sample(k)));
  const k = buildModelCircuit(model, layoutInputs(model)).k;
  return { compiled: { model, k, source: 'model.onnx' }, sample: sample(7) };
}

const digestOf = (c: CompiledModel): string => {
  const mc = buildModelCircuit(c.model, layoutInputs(c.model), circuitOptions(c));
  return Buffer.from(circuitColumns(mc.circuit, { checkSelectors: false }).digest).toString('hex');
};

test('MNIST: compile → serialize → parse keeps the circuit digest, the integer outputs and the text', () => {
  const { compiled, sample } = mnist();
  const text = serializeZkc(compiled);
  assert.doesNotMatch(text, /"onnx"/);
  const again = parseZkc(text, 'model.zkc');
  assert.equal(serializeZkc(again), text, 'the parsed model serializes to the same text');
  assert.equal(digestOf(compiled), MNIST_CIRCUIT_DIGEST);
  assert.equal(digestOf(again), MNIST_CIRCUIT_DIGEST);
  const a = evaluateInt(compiled.model, sample).outputs;
  const b = evaluateInt(again.model, sample).outputs;
  assert.deepEqual(Object.keys(b), Object.keys(a));
  for (const name of Object.keys(a)) assert.deepEqual([...b[name]!.data], [...a[name]!.data], name);
});

/** A .zkc of a one-node graph, as an object to tamper with. */
function tinyZkc(): Record<string, any> {
  const graph = {
    name: 'g',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
    // Identity is removed by simplification: it survives parsing only because nothing re-simplifies.
    nodes: [{ op: 'Identity', name: 'id', inputs: ['x'], outputs: ['y'], attrs: {} }],
    initializers: { w: { dtype: 'float32', shape: [2], data: Buffer.from(Float32Array.of(1.5, -2).buffer).toString('base64') } },
    valueInfo: { y: { name: 'y', dtype: 'float32', shape: [1, 2] } },
  };
  const settings = { version: 1, scaleBits: 7, rounding: 'half-up', tables: {}, calibration: {}, bounds: {}, inputRangeSlack: 1, samples: 1 };
  return { format: 'zkml-compiled-model', version: 2, source: 't.onnx', k: 6, settings, graph };
}

const parse = (o: unknown) => parseZkc(typeof o === 'string' ? o : JSON.stringify(o), 'm.zkc');

test('reading a .zkc runs no simplification: the stored graph is the graph', () => {
  const c = parse(tinyZkc());
  assert.deepEqual(c.model.graph.nodes.map((n) => n.op), ['Identity']);
  assert.deepEqual([...(c.model.graph.initializers.w!.data as Float32Array)], [1.5, -2]);
});

test('hostile .zkc files are refused with a FormatError naming the field', () => {
  const bad = (mutate: (o: Record<string, any>) => void, re: RegExp) => {
    const o = tinyZkc();
    mutate(o);
    assert.throws(() => parse(o), (e: unknown) => e instanceof FormatError && re.test(e.message));
  };
  bad((o) => (o.version = 1), /older version.*run zkml compile again/);
  bad((o) => (o.graph.nodes[0].op = 'Launch'), /unsupported op "Launch"/);
  bad((o) => (o.graph.nodes[0].domain = 'com.example'), /unsupported op/);
  bad((o) => (o.graph.initializers.w.shape = [3]), /base64 of 12 bytes/);
  bad((o) => (o.graph.initializers.w.shape = [65536, 65536, 4]), /more than 2\^31/);
  bad((o) => (o.graph.initializers.w.dtype = 'float16'), /dtype/);
  bad((o) => (o.graph.nodes[0].inputs = [7]), /inputs\[0\]: must be a string/);
  bad((o) => (o.graph.nodes[0].attrs = { alpha: { type: 'float', value: 'x' } }), /alpha: must be a number/);
  bad((o) => (o.graph.opset = 1.5), /opset/);
  bad((o) => (o.k = 99), /k must be/);
  bad((o) => (o.dot_outputs = 0), /dot_outputs must be/);
  bad((o) => (o.dot_outputs = 1e9), /dot_outputs must be/);
  bad((o) => (o.settings.tables = { n: { f: { lo: 0 } } }), /tables/);
  // Structure and shapes are checked against the op registry: a dangling input or a stated shape the op
  // does not give is refused on read.
  bad((o) => (o.graph.nodes[0].inputs = ['z']), /input 'z' is not produced/);
  bad((o) => (o.graph.valueInfo.y.shape = [1, 3]), /stored shape \[1,3\]/);
  bad((o) => (o.graph.outputs[0].shape = [2]), /graph output 'y'/);
  // Names from the file are plain keys: __proto__ becomes an initializer, not a prototype.
  const text = JSON.stringify(tinyZkc()).replace('"initializers":{', '"initializers":{"__proto__":{"dtype":"int64","shape":[],"data":"AAAAAAAA8D8="},');
  const c = parse(text);
  assert.equal(Object.getPrototypeOf(c.model.graph.initializers), null);
  assert.deepEqual([...c.model.graph.initializers['__proto__']!.data], [1]);
  assert.equal(({} as Record<string, unknown>).dtype, undefined);
});

test('float attributes JSON cannot hold as numbers (NaN, ±Infinity, −0) round-trip exactly', () => {
  const o = tinyZkc();
  o.graph.nodes[0].attrs = { v: { type: 'floats', value: ['NaN', 'Infinity', '-Infinity', '-0', 0.1] } };
  const c = parse(o);
  const v = c.model.graph.nodes[0]!.attrs.v!.value as number[];
  assert.ok(Number.isNaN(v[0]) && v[1] === Infinity && v[2] === -Infinity && Object.is(v[3], -0) && v[4] === 0.1);
  assert.equal(serializeZkc(parse(serializeZkc(c))), serializeZkc(c));
});
