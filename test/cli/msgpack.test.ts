/**
 * zkml msgpack models and inputs through the whole CLI: compile (the file's own scale), setup, prove with a
 * msgpack input, verify; the public outputs equal the integer reference of the imported graph.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeZkmlInput, writeZkmlModel } from '../../src/graph/msgpack/write.ts';
import type { ZkmlLayer, ZkmlModelFile } from '../../src/graph/msgpack/format.ts';
import { readZkc } from '../../src/api/index.ts';
import { evaluateIntQ, quantizeInput } from '../../src/model/index.ts';

const SF = 256; // zkml global_sf 2^8
let dir: string;

function layer(layerType: string, params: number[], inp: [number, number[]][], out: [number, number[]][]): ZkmlLayer {
  return { layerType, params, inpIdxes: inp.map((x) => x[0]), inpShapes: inp.map((x) => x[1]), outIdxes: out.map((x) => x[0]), outShapes: out.map((x) => x[1]), mask: [] };
}

/** FullyConnected(5→4, fused ReLU) → FullyConnected(4→3): TFLite [out, in] weights at zkml's scale. */
function zkmlModel(): ZkmlModelFile {
  const w1 = [37, -90, 12, 64, -5, 100, 3, -44, 80, 20, -61, 7, 55, -25, 9, 31, 70, -12, -8, 41];
  const w2 = [60, -30, 45, 10, -75, 22, 90, -15, 5, 33, -40, 18];
  return {
    globalSf: SF, k: 12, numCols: 6, inpIdxes: [0], outIdxes: [5], useSelectors: true, commitBefore: [], commitAfter: [], commit: false,
    layers: [
      layer('FullyConnected', [1], [[0, [1, 5]], [1, [4, 5]], [2, [4]]], [[3, [1, 4]]]),
      layer('FullyConnected', [0], [[3, [1, 4]], [4, [3, 4]], [6, [3]]], [[5, [1, 3]]]),
    ],
    tensors: [
      { idx: 1, shape: [4, 5], data: w1 },
      { idx: 2, shape: [4], data: [10, -20, 30, 0] },
      { idx: 4, shape: [3, 4], data: w2 },
      { idx: 6, shape: [3], data: [-7, 0, 25] },
    ],
  };
}

const X = [200, -128, 64, 255, 17];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-msgpack-'));
  writeFileSync(join(dir, 'model.msgpack'), writeZkmlModel(zkmlModel()));
  writeFileSync(join(dir, 'input.msgpack'), writeZkmlInput([{ idx: 0, shape: [1, 5], data: X }]));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('a zkml msgpack model compiles, proves on a msgpack input and verifies; outputs equal the integer reference', async () => {
  const out = join(dir, 'out');
  const c = await runCli('compile', join(dir, 'model.msgpack'), '-o', out, '--calibrate', join(dir, 'input.msgpack'), '--json');
  assert.equal(c.code, 0, c.err);
  assert.equal(JSON.parse(c.out).scale_bits, 8, 'the file scale (global_sf 2^8) is kept');
  const s = await runCli('setup', join(out, 'model.zkc'), '--dev', '-o', out);
  assert.equal(s.code, 0, s.err);
  const p = await runCli('prove', join(out, 'model.zkc'), join(dir, 'input.msgpack'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof.json'), '--json');
  assert.equal(p.code, 0, p.err);
  const v = await runCli('verify', join(out, 'proof.json'), '--vk', join(out, 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);

  // The proof's outputs are the integer reference on the input's reals (zkml integers / global_sf).
  const compiled = readZkc(join(out, 'model.zkc'));
  const model = compiled.model;
  const name = model.graph.inputs[0]!.name;
  const q = quantizeInput(name, { shape: [1, 5], data: Float64Array.from(X, (v) => v / SF) }, model.settings);
  const ref = evaluateIntQ(model, { [name]: q });
  const proof = JSON.parse(readFileSync(join(out, 'proof.json'), 'utf8'));
  const outName = model.graph.outputs[0]!.name;
  assert.deepEqual(proof.outputs[0].values, Array.from(ref[outName]!.data, Number));
});

test('a msgpack input for an ONNX-compiled model is a clear error (exit 2)', async () => {
  const out = join(dir, 'out');
  writeFileSync(join(dir, 'other.zkc'), readFileSync(join(out, 'model.zkc'), 'utf8').replace(/"zkml_scale":\d+,/, ''));
  const p = await runCli('prove', join(dir, 'other.zkc'), join(dir, 'input.msgpack'), '--pk', join(out, 'pk.bin'), '-o', join(dir, 'p.json'));
  assert.equal(p.code, 2);
  assert.match(p.err, /input\.msgpack.*zkml msgpack/);
});
