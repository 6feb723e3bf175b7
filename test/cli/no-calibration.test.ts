/**
 * compile without calibration data: a documented default scale (2^7) and input range ([−1, 1], accepted with
 * the usual slack), intermediate bounds measured on synthetic samples, and a note saying so; --scale-bits and
 * --input-range alone; every JSON input form accepted by --calibrate.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { readZkc } from '../../src/api/index.ts';
import { DEFAULT_SCALE_BITS } from '../../src/model/assumed-calibration.ts';
import type { Graph } from '../../src/graph/ir.ts';
import { embeddingGraph } from '../layers/embedding.ts';

let dir: string;
const p = (f: string): string => join(dir, f);

/** x[1,4] → Gemm → Sigmoid → Exp: table ops whose domains the synthetic samples must set. */
function tableModel(): Graph {
  const g = tinyModel();
  g.name = 'tables';
  g.outputs = [{ name: 'z', dtype: 'float32', shape: [1, 2] }];
  g.nodes.push({ op: 'Sigmoid', name: 'sg', inputs: ['y'], outputs: ['t'], attrs: {} }, { op: 'Exp', name: 'ex', inputs: ['t'], outputs: ['z'], attrs: {} });
  return g;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-nocal-'));
  writeFileSync(p('model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(p('tables.onnx'), writeOnnx(tableModel()));
  writeFileSync(p('input.json'), JSON.stringify({ input: [0.5, -0.9, 0.8, 0.3] }));
  let k = 0;
  writeFileSync(p('embedding.onnx'), writeOnnx(embeddingGraph(3, 5, 2, (n) => Array.from({ length: n }, () => ((k++ * 37) % 19) / 10 - 0.9))));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('compile without --calibrate assumes scale 2^7 and inputs in [-1, 1], says so, and the model proves and verifies', async () => {
  const c = await runCli('compile', p('tables.onnx'), '-o', p('out'));
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, new RegExp(`scale_bits\\s+${DEFAULT_SCALE_BITS}`));
  assert.match(c.out, /calibration\s+assumed/);
  assert.match(c.err, /no calibration data: assumed scale 2\^7, inputs x in \[-1, 1\] \(accepted \[-3, 3\]\)/);
  assert.match(c.err, /--calibrate samples\.json/);
  const settings = readZkc(p('out/model.zkc')).model.settings;
  assert.equal(settings.scaleBits, 7);
  assert.deepEqual(settings.calibration['x'], [-1, 1], 'the assumed range is the calibrated input range');
  assert.ok(settings.tables['ex']?.['f'] && settings.tables['sg']?.['f'], 'table domains were set');
  assert.equal((await runCli('setup', p('out/model.zkc'), '--dev', '-o', p('out'))).code, 0);
  const pr = await runCli('prove', p('out/model.zkc'), p('input.json'), '--pk', p('out/pk.bin'), '-o', p('out/proof.json'));
  assert.equal(pr.code, 0, pr.err);
  const v = await runCli('verify', p('out/proof.json'), '--vk', p('out/vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);
});

test('an input beyond the assumed range and its slack is refused with a hint to recalibrate', async () => {
  writeFileSync(p('far.json'), JSON.stringify({ input: [0.5, -0.9, 3.5, 0.3] }));
  const pr = await runCli('prove', p('out/model.zkc'), p('far.json'), '--pk', p('out/pk.bin'), '-o', p('out/far-proof.json'));
  assert.equal(pr.code, 2);
  assert.match(pr.err, /input 'x': element 2 = 3\.5 is far outside the calibrated range \[-1, 1\].*recalibrate/);
});

test('--scale-bits alone and --input-range alone set what is assumed; --json carries the note', async () => {
  const a = await runCli('compile', p('model.onnx'), '-o', p('s5'), '--scale-bits', '5', '--json');
  assert.equal(a.code, 0, a.err);
  const ra = JSON.parse(a.out);
  assert.equal(ra.scale_bits, 5);
  assert.equal(ra.calibration, 'assumed');
  assert.match(ra.note, /assumed scale 2\^5/);
  const b = await runCli('compile', p('model.onnx'), '-o', p('r'), '--input-range=-2,3', '--json');
  assert.equal(b.code, 0, b.err);
  const rb = JSON.parse(b.out);
  assert.deepEqual(JSON.parse(rb.assumed_input_ranges), { x: [-2, 3] });
  assert.match(rb.note, /x in \[-2, 3\] \(accepted \[-7, 8\]\)/);
  assert.deepEqual(readZkc(p('r/model.zkc')).model.settings.calibration['x'], [-2, 3]);
  for (const bad of ['--input-range=1,1', '--input-range=a,b', '--input-range']) {
    const e = await runCli('compile', p('model.onnx'), '-o', p('bad'), bad);
    assert.equal(e.code, 2, bad);
    assert.match(e.err, /--input-range/);
  }
  const s = await runCli('compile', p('model.onnx'), '-o', p('bad'), '--scale-bits', 'x');
  assert.equal(s.code, 2);
  assert.match(s.err, /--scale-bits/);
});

test('--calibrate reads every JSON input form; the samples it found are reported and no assumption is made', async () => {
  const row = [0.2, 0.9, 0.4, 0.7];
  const row2 = [-0.3, 0.1, 0.6, -0.8];
  const forms: [string, unknown, number][] = [
    ['input', { input: row }, 1],
    ['input with shape', { input: row, shape: [1, 4] }, 1],
    ['input rows', { input: [row, row2] }, 2],
    ['input_data', { input_data: [row] }, 1],
    ['input_data batch', { input_data: [row, row2] }, 2],
    ['by name', { x: [row] }, 1],
    ['by name with shape and data', { x: { shape: [1, 4], data: row } }, 1],
    ['list of samples', [{ x: row }, { x: row2 }], 2],
    ['samples key', { samples: [{ input: row }, { x: row2 }] }, 2],
  ];
  for (const [title, body, n] of forms) {
    writeFileSync(p('cal.json'), JSON.stringify(body));
    const c = await runCli('compile', p('model.onnx'), '-o', p('cal'), '--calibrate', p('cal.json'), '--json');
    assert.equal(c.code, 0, `${title}: ${c.err}`);
    const r = JSON.parse(c.out);
    assert.equal(r.calibration, `${n} sample(s)`, title);
    assert.equal(r.note, undefined, title);
  }
});

test('an integer input that indexes a Gather is assumed to cover the table; token ids prove and verify without data', async () => {
  const c = await runCli('compile', p('embedding.onnx'), '-o', p('emb'), '--json');
  assert.equal(c.code, 0, c.err);
  assert.deepEqual(JSON.parse(JSON.parse(c.out).assumed_input_ranges), { ids: [0, 4] });
  assert.deepEqual(readZkc(p('emb/model.zkc')).model.settings.rawInputs, ['ids']);
  writeFileSync(p('ids.json'), JSON.stringify({ ids: [[4, 0, 2]] }));
  assert.equal((await runCli('setup', p('emb/model.zkc'), '--dev', '-o', p('emb'))).code, 0);
  const pr = await runCli('prove', p('emb/model.zkc'), p('ids.json'), '--pk', p('emb/pk.bin'), '-o', p('emb/proof.json'), '--json');
  assert.equal(pr.code, 0, pr.err);
  const v = await runCli('verify', p('emb/proof.json'), '--vk', p('emb/vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);
  writeFileSync(p('frac.json'), JSON.stringify({ ids: [[4, 0.5, 2]] }));
  const bad = await runCli('prove', p('emb/model.zkc'), p('frac.json'), '--pk', p('emb/pk.bin'), '-o', p('emb/bad.json'));
  assert.equal(bad.code, 2);
  assert.match(bad.err, /input 'ids': element 1 = 0\.5 is not an integer/);
});
