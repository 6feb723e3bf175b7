/** Quantization: settings are JSON data that reproduce the integer semantics; input formats; MNIST accuracy after quantization. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx, loadModelFile } from '../../src/model/load.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { evaluateInt } from '../../src/model/int-eval.ts';
import { settingsFromJson, settingsToJson } from '../../src/model/settings.ts';
import { parseInputs } from '../../src/model/inputs.ts';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import { digitAsFloatInput, loadMnistTestSplit, MNIST_DIR } from '../../examples/mnist/test-split.ts';
import { rng } from '../layers/harness.ts';
import type { Arr } from '../../src/layers/types.ts';

const r = rng(11);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

function mlp(): Graph {
  return {
    name: 'mlp',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 8] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3] }],
    initializers: { w1: floatTensor([8, 16], rand(128)), b1: floatTensor([16], rand(16)), w2: floatTensor([16, 3], rand(48)) },
    nodes: [
      { op: 'Gemm', name: 'fc1', inputs: ['x', 'w1', 'b1'], outputs: ['h'], attrs: {} },
      { op: 'Sigmoid', name: 'act', inputs: ['h'], outputs: ['a'], attrs: {} },
      { op: 'MatMul', name: 'fc2', inputs: ['a', 'w2'], outputs: ['z'], attrs: {} },
      { op: 'Softmax', name: 'sm', inputs: ['z'], outputs: ['y'], attrs: { axis: attr.int(-1) } },
    ],
    valueInfo: {},
  };
}

const sample = (): Record<string, Arr> => ({ x: { shape: [1, 8], data: Float64Array.from(rand(8, -2, 2)) } });

test('scale is chosen from calibration, tables get domains, and settings survive JSON bit for bit', () => {
  const g = importOnnx(writeOnnx(mlp()));
  const samples = Array.from({ length: 4 }, sample);
  const model = quantizeModel(g, samples);
  const st = model.settings;
  assert.ok(st.scaleBits >= 4 && st.scaleBits <= 12);
  assert.equal(st.tables.act!.f!.outside, 'clamp');
  assert.equal(st.tables.sm!.exp!.hi, 0);
  assert.ok(st.bounds.h! > 0 && st.calibration.x![0] < 0);
  const again = { graph: g, settings: settingsFromJson(settingsToJson(st)) };
  for (const s of samples) assert.deepEqual(evaluateInt(again, s).outputs, evaluateInt(model, s).outputs);
  // Forcing a smaller scale makes the quantized outputs coarser but keeps them close.
  const coarse = quantizeModel(g, samples, { scaleBits: 6 });
  const f = evaluateFloat(g, samples[0]!).y!.data;
  const q = evaluateInt(coarse, samples[0]!).dequantized.y!.data;
  for (let i = 0; i < f.length; i++) assert.ok(Math.abs(f[i]! - q[i]!) < 0.1);
});

test('a table larger than maxTableBits lowers the chosen scale', () => {
  const g = importOnnx(writeOnnx(mlp()));
  const samples = [sample()];
  const wide = quantizeModel(g, samples, { maxTableBits: 20 });
  const tight = quantizeModel(g, samples, { maxTableBits: 10 });
  assert.ok(tight.settings.scaleBits < wide.settings.scaleBits);
  for (const t of Object.values(tight.settings.tables)) for (const d of Object.values(t)) assert.ok(d.hi - d.lo + 1 <= 2 ** 10);
});

test('input files: {"input"}, keyed by name, flat with shape, EZKL input_data, and several samples', () => {
  const g = importOnnx(writeOnnx({ ...mlp(), inputs: [{ name: 'x', dtype: 'float32', shape: [1, 8] }] }));
  const v = [1, 2, 3, 4, 5, 6, 7, 8];
  const want = Float64Array.from(v);
  for (const text of [
    JSON.stringify({ input: v }),
    JSON.stringify({ input: [v] }),
    JSON.stringify({ x: [v] }),
    JSON.stringify({ x: { shape: [1, 8], data: v } }),
    JSON.stringify({ input_data: [v] }),
  ]) {
    const [s] = parseInputs(g, text);
    assert.deepEqual(s!.x!.data, want, text);
    assert.deepEqual(s!.x!.shape, [1, 8]);
  }
  assert.equal(parseInputs(g, JSON.stringify({ samples: [{ input: v }, { input: v }] })).length, 2);
  assert.equal(parseInputs(g, JSON.stringify({ input_data: [v, v, v] })).length, 3);
  assert.equal(parseInputs(g, JSON.stringify([{ x: v }, { x: v }])).length, 2);
});

test('bundled MNIST CNN: quantized accuracy within 1 point of float on the held-aside split', () => {
  const g = loadModelFile(join(MNIST_DIR, 'model.onnx'));
  const split = loadMnistTestSplit();
  const input = (i: number): Record<string, Arr> => ({ input: { shape: [1, 1, 28, 28], data: Float64Array.from(digitAsFloatInput(split, i)) } });
  // Calibrate on the bundled samples (not the test split).
  const samplesFile = readFileSync(join(MNIST_DIR, 'samples', 'digit-0.json'), 'utf8');
  const calib = [...parseInputs(g, samplesFile), ...Array.from({ length: 7 }, (_, k) => parseInputs(g, readFileSync(join(MNIST_DIR, 'samples', `digit-${k + 1}.json`), 'utf8'))[0]!)];
  const model = quantizeModel(g, calib);
  let fc = 0;
  let qc = 0;
  const top = (d: Float64Array): number => d.indexOf(Math.max(...d));
  for (let i = 0; i < split.count; i++) {
    const x = input(i);
    if (top(evaluateFloat(g, x).logits!.data) === split.labels[i]) fc++;
    if (top(evaluateInt(model, x).dequantized.logits!.data) === split.labels[i]) qc++;
  }
  const fa = fc / split.count;
  const qa = qc / split.count;
  assert.ok(fa >= 0.95, `float accuracy ${fa}`);
  assert.ok(Math.abs(fa - qa) <= 0.01, `float ${fa} vs quantized ${qa}`);
});
