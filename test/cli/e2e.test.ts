/** The CLI end to end on a tiny dense model: compile → setup --dev → prove → verify, and bad input. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';

let dir: string;
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-cli-'));
  writeFileSync(join(dir, 'model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(join(dir, 'calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }));
});

test('compile, setup --dev, prove and verify a model from the command line', async () => {
  const c = await cli('compile', join(dir, 'model.onnx'), '-o', join(dir, 'out'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--json');
  assert.equal(c.code, 0, c.err);
  const s = await cli('setup', join(dir, 'out', 'model.zkc'), '--dev', '-o', join(dir, 'out'), '--json');
  assert.equal(s.code, 0, s.err);
  assert.match(s.err, /INSECURE/);
  const p = await cli('prove', join(dir, 'out', 'model.zkc'), join(dir, 'input.json'), '--pk', join(dir, 'out', 'pk.bin'), '-o', join(dir, 'out', 'proof.json'), '--json');
  assert.equal(p.code, 0, p.err);
  const v = await cli('verify', join(dir, 'out', 'proof.json'), '--vk', join(dir, 'out', 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(JSON.parse(v.out).verified, true);
});

test('prove --max-memory: a budget too small for whole cosets still gives a proof that verifies; a bad budget exits 2', async () => {
  const out = join(dir, 'out');
  // 1 MB is below what the process already holds: the quotient runs on the smallest sub-cosets.
  const p = await cli('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof-small.json'), '--max-memory', '1', '--json');
  assert.equal(p.code, 0, p.err);
  const v = await cli('verify', join(out, 'proof-small.json'), '--vk', join(out, 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(JSON.parse(v.out).verified, true);
  const bad = await cli('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof-bad.json'), '--max-memory', 'lots');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--max-memory needs a positive number of MB/);
  assert.equal(existsSync(join(out, 'proof-bad.json')), false);
});

test('a proof file claiming a different output is rejected with exit 1', async () => {
  const proof = JSON.parse(readFileSync(join(dir, 'out', 'proof.json'), 'utf8'));
  const col = proof.instances.findIndex((c: string[]) => c.length > 0);
  proof.instances[col][proof.instances[col].length - 1] = (BigInt(proof.instances[col].at(-1)) + 1n).toString();
  writeFileSync(join(dir, 'forged.json'), JSON.stringify(proof));
  const v = await cli('verify', join(dir, 'forged.json'), '--vk', join(dir, 'out', 'vk.bin'));
  assert.equal(v.code, 1);
  assert.match(v.out, /INVALID/);
});

test('unreadable or corrupt proof and vk files exit 2 with a message naming the file', async () => {
  writeFileSync(join(dir, 'garbage.bin'), 'not a key');
  const a = await cli('verify', join(dir, 'out', 'proof.json'), '--vk', join(dir, 'garbage.bin'));
  assert.equal(a.code, 2);
  assert.match(a.err, /garbage\.bin/);
  const b = await cli('verify', join(dir, 'missing.json'), '--vk', join(dir, 'out', 'vk.bin'));
  assert.equal(b.code, 2);
  writeFileSync(join(dir, 'trunc.json'), readFileSync(join(dir, 'out', 'proof.json'), 'utf8').slice(0, 100));
  const c = await cli('verify', join(dir, 'trunc.json'), '--vk', join(dir, 'out', 'vk.bin'));
  assert.equal(c.code, 2);
  const z = await cli('setup', join(dir, 'garbage.bin'), '--dev', '-o', join(dir, 'bad'));
  assert.equal(z.code, 2);
  assert.equal(existsSync(join(dir, 'bad')), false, 'no partial output directory');
});

test('--cols sets the dot-product width: fewer, wider rows; setup, prove and verify use the same layout', async () => {
  const narrow = await cli('compile', join(dir, 'model.onnx'), '-o', join(dir, 'narrow'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--cols', '2', '--json');
  assert.equal(narrow.code, 0, narrow.err);
  const wide = await cli('compile', join(dir, 'model.onnx'), '-o', join(dir, 'wide'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--cols', '4', '--json');
  assert.equal(wide.code, 0, wide.err);
  const [n, w] = [JSON.parse(narrow.out), JSON.parse(wide.out)];
  assert.equal(n.dot_width, 2);
  assert.equal(w.dot_width, 4);
  assert.ok(w.rows < n.rows, `rows ${w.rows} (4 per row) < ${n.rows} (2 per row)`);
  const out = join(dir, 'wide');
  assert.equal((await cli('setup', join(out, 'model.zkc'), '--dev', '-o', out)).code, 0);
  const p = await cli('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof.json'));
  assert.equal(p.code, 0, p.err);
  assert.equal((await cli('verify', join(out, 'proof.json'), '--vk', join(out, 'vk.bin'))).code, 0);
  const bad = await cli('compile', join(dir, 'model.onnx'), '-o', join(dir, 'bad-cols'), '--calibrate', join(dir, 'calib.json'), '--cols', '0');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--cols/);
});

test('a pk.bin made for another circuit is refused with exit 2 naming the file', async () => {
  // Same architecture, another scale: other weights in the fixed columns, so another circuit.
  const c = await cli('compile', join(dir, 'model.onnx'), '-o', join(dir, 'out7'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '7');
  assert.equal(c.code, 0, c.err);
  const p = await cli('prove', join(dir, 'out7', 'model.zkc'), join(dir, 'input.json'), '--pk', join(dir, 'out', 'pk.bin'), '-o', join(dir, 'out7', 'proof.json'));
  assert.equal(p.code, 2, p.err);
  assert.match(p.err, /pk\.bin.*different circuit/);
  assert.equal(existsSync(join(dir, 'out7', 'proof.json')), false);
});

test('an input of the wrong length exits 2 and leaves no proof file behind', async () => {
  writeFileSync(join(dir, 'short.json'), JSON.stringify({ input: [0.5, 0.1] }));
  const p = await cli('prove', join(dir, 'out', 'model.zkc'), join(dir, 'short.json'), '--pk', join(dir, 'out', 'pk.bin'), '-o', join(dir, 'short-proof.json'));
  assert.equal(p.code, 2);
  assert.equal(existsSync(join(dir, 'short-proof.json')), false);
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});
