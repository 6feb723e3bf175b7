/**
 * compile --committed-outputs → prove --output-opening <dir> → verify: the proof's public value is the
 * output's commitment only; the opening the prover keeps (salt, values) recomputes it; another proof of the
 * same input commits under a fresh salt; verify --commitment binds a proof to an advertised commitment;
 * missing or occupied opening directories are refused before anything is written.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { commitTensor } from '../../src/commit/tensor-commitment.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-committed-out-'));
  writeFileSync(join(dir, 'model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(join(dir, 'calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('a committed output: proven under a fresh salt, opened by the prover, bound by verify --commitment', async () => {
  const out = join(dir, 'out');
  const c = await runCli('compile', join(dir, 'model.onnx'), '-o', out, '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--committed-outputs', '--json');
  assert.equal(c.code, 0, c.err);
  assert.equal((await runCli('setup', join(out, 'model.zkc'), '--dev', '-o', out)).code, 0);
  const prove = (proof: string, ...extra: string[]) => runCli('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', proof, '--json', ...extra);

  // Without a place for the opening: refused before proving, no proof written.
  const none = await prove(join(dir, 'p0.json'));
  assert.equal(none.code, 2);
  assert.match(none.err, /commits its output 'y'.*--output-opening/);
  assert.equal(existsSync(join(dir, 'p0.json')), false);

  const p1 = await prove(join(dir, 'p1.json'), '--output-opening', join(dir, 'o1'));
  assert.equal(p1.code, 0, p1.err);
  const proof1 = JSON.parse(readFileSync(join(dir, 'p1.json'), 'utf8'));
  assert.deepEqual(proof1.outputs, [], 'no output value is public');
  assert.deepEqual(proof1.public.map((p: { name: string; kind: string }) => [p.name, p.kind]), [['y', 'commitment']]);
  const opening = JSON.parse(readFileSync(join(dir, 'o1', 'opening.json'), 'utf8'));
  assert.equal(statSync(join(dir, 'o1', 'opening.json')).mode & 0o777, 0o600, "the opening is the owner's");
  const [t] = opening.tensors;
  assert.equal(t.name, 'y');
  const recomputed = `0x${commitTensor(t.values.map(BigInt), BigInt(t.salt)).toString(16).padStart(64, '0')}`;
  assert.equal(recomputed, t.commitment, 'the opening recomputes its commitment');
  assert.equal(proof1.public[0].commitment, t.commitment, 'and it is the proof\'s public value');

  const v1 = await runCli('verify', join(dir, 'p1.json'), '--vk', join(out, 'vk.bin'), '--commitment', join(dir, 'o1', 'commitment.json'), '--json');
  assert.equal(v1.code, 0, v1.out + v1.err);

  // The same input again: a fresh salt, another commitment; the first commitment does not bind it.
  const p2 = await prove(join(dir, 'p2.json'), '--output-opening', join(dir, 'o2'));
  assert.equal(p2.code, 0, p2.err);
  const o2 = JSON.parse(readFileSync(join(dir, 'o2', 'opening.json'), 'utf8')).tensors[0];
  assert.deepEqual(o2.values, t.values);
  assert.notEqual(o2.commitment, t.commitment);
  const swapped = await runCli('verify', join(dir, 'p2.json'), '--vk', join(out, 'vk.bin'), '--commitment', join(dir, 'o1', 'commitment.json'), '--json');
  assert.equal(swapped.code, 1, swapped.out + swapped.err);

  // An occupied opening directory is refused before proving (the old opening is kept).
  const again = await prove(join(dir, 'p3.json'), '--output-opening', join(dir, 'o1'));
  assert.equal(again.code, 2);
  assert.match(again.err, /exists; refusing to overwrite/);
  assert.equal(existsSync(join(dir, 'p3.json')), false);
  assert.equal(JSON.parse(readFileSync(join(dir, 'o1', 'opening.json'), 'utf8')).tensors[0].salt, t.salt);
});
