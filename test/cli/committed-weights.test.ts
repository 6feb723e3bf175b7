/**
 * Committed weights on the command line: compile --committed-weights, setup, commit model.zkc (the weights
 * commitment and the owner's salt), prove --opening, verify (prints the weights commitment; --commitment
 * checks it). A foreign, edited or missing opening stops prove with exit 2 and no proof file; a proof
 * checked against another commitment file is invalid (exit 1).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';

let dir: string;
const p = (...xs: string[]) => join(dir, ...xs);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-cw-cli-'));
  const other = tinyModel();
  other.initializers.w1!.data = Float32Array.from(other.initializers.w1!.data, (v) => -v / 2);
  writeFileSync(p('m.onnx'), writeOnnx(tinyModel()));
  writeFileSync(p('n.onnx'), writeOnnx(other));
  writeFileSync(p('x.json'), JSON.stringify({ input: [0.5, -0.25, 0.75, 0.125] }));
  for (const m of ['m', 'n']) {
    const c = await runCli('compile', p(`${m}.onnx`), '-o', p(m), '--committed-weights', '--scale-bits', '6', '--json');
    assert.equal(c.code, 0, c.err);
    assert.equal(JSON.parse(c.out).committed_weights, true);
    assert.equal((await runCli('setup', p(m, 'model.zkc'), '--dev', '-o', p(m))).code, 0);
  }
  for (const [m, out] of [['m', 'w1'], ['m', 'w2'], ['n', 'wn']]) {
    const r = await runCli('commit', p(m!, 'model.zkc'), '-o', p(out!));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /weights \(\d+ values\): 0x[0-9a-f]{64}/);
  }
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

const prove = (out: string, ...extra: string[]) => runCli('prove', p('m', 'model.zkc'), p('x.json'), '--pk', p('m', 'pk.bin'), '-o', p(out), ...extra);

test('commit model.zkc writes the weights commitment and a private opening holding the salt, not the weights', () => {
  const c = readJson(p('w1', 'commitment.json'));
  assert.equal(c.tensors.length, 1);
  assert.equal(c.tensors[0].name, '#weights');
  assert.deepEqual(c.tensors[0].shape, [12 + 3 + 6 + 2]);
  const o = readJson(p('w1', 'opening.json'));
  assert.equal(o.format, 'zkml-weights-opening');
  assert.equal(o.commitment, c.tensors[0].commitment);
  assert.deepEqual(o.packing, { scheme: 'signed-offset-greedy-250-v1', weight_bits: 16, pack_bits: 250 });
  assert.match(o.weights_sha256, /^[0-9a-f]{64}$/);
  assert.equal(statSync(p('w1', 'opening.json')).mode & 0o777, 0o600);
  assert.notEqual(readJson(p('w2', 'commitment.json')).tensors[0].commitment, c.tensors[0].commitment, 'a fresh salt each time');
});

test('prove --opening, verify: the weights commitment is the proven public value; --commitment checks it', async () => {
  const r = await prove('proof.json', '--opening', p('w1', 'opening.json'));
  assert.equal(r.code, 0, r.err);
  const commitment: string = readJson(p('w1', 'commitment.json')).tensors[0].commitment;
  const v = await runCli('verify', p('proof.json'), '--vk', p('m', 'vk.bin'), '--commitment', p('w1', 'commitment.json'));
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`commitment to the weights: ${commitment}`));
  // The same valid proof against another advertised commitment (same weights, other salt): invalid.
  const w = await runCli('verify', p('proof.json'), '--vk', p('m', 'vk.bin'), '--commitment', p('w2', 'commitment.json'));
  assert.equal(w.code, 1);
  assert.match(w.out, /INVALID: the proven commitment to the weights is 0x[0-9a-f]+, .*w2.*commitment\.json says/);
  const proof = readJson(p('proof.json'));
  assert.equal(proof.instances[0].length, 1 + 2, 'the commitment and the two outputs');
  assert.match(proof.model, /^committed-weights poseidon-bn254-circomlib-t9-chain-v1 signed-offset-greedy-250-v1 w16 architecture-sha256:[0-9a-f]{64}$/);
});

test('a foreign, edited, missing or wrong-kind opening: exit 2, no proof file', async () => {
  const edited = readJson(p('w1', 'opening.json'));
  edited.salt = edited.salt.replace(/.$/, (d: string) => (d === '0' ? '1' : '0'));
  writeFileSync(p('edited.json'), JSON.stringify(edited));
  writeFileSync(p('cut.json'), '{"format": "zkml-weights-opening"');
  writeFileSync(p('noslots.json'), JSON.stringify({ ...readJson(p('w1', 'opening.json')), slots: [{ node: 1 }] }));
  const cases: [string[], RegExp][] = [
    [[], /commits its weights: pass the weights opening/],
    [['--opening', p('wn', 'opening.json')], /not of this model's weights/],
    [['--opening', p('edited.json')], /salt does not open the commitment/],
    [['--opening', `${p('w1', 'opening.json')},${p('w2', 'opening.json')}`], /second weights opening/],
    [['--opening', p('cut.json')], /not valid JSON/],
    [['--opening', p('noslots.json')], /slots must be a list/],
  ];
  for (const [extra, msg] of cases) {
    const r = await prove('bad.json', ...extra);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
    assert.ok(!existsSync(p('bad.json')));
  }
  // commit refuses a model whose weights are public, and an existing output directory.
  assert.equal((await runCli('compile', p('m.onnx'), '-o', p('plain'), '--scale-bits', '6')).code, 0);
  const plain = await runCli('commit', p('plain', 'model.zkc'), '-o', p('wp'));
  assert.equal(plain.code, 2);
  assert.match(plain.err, /compile with --committed-weights/);
  assert.ok(!existsSync(p('wp', 'opening.json')));
  const again = await runCli('commit', p('m', 'model.zkc'), '-o', p('w1'));
  assert.equal(again.code, 2);
  assert.match(again.err, /refusing to overwrite/);
});

test('committed input and committed weights together: one opening of each kind, both commitments checked', async () => {
  const c = await runCli('compile', p('m.onnx'), '-o', p('both'), '--committed-weights', '--committed-inputs', '--scale-bits', '6');
  assert.equal(c.code, 0, c.err);
  assert.equal((await runCli('setup', p('both', 'model.zkc'), '--dev', '-o', p('both'))).code, 0);
  assert.equal((await runCli('commit', p('both', 'model.zkc'), '-o', p('both-w'))).code, 0);
  assert.equal((await runCli('commit', p('x.json'), '--model', p('both', 'model.zkc'), '-o', p('both-x'))).code, 0);
  const r = await runCli('prove', p('both', 'model.zkc'), p('x.json'), '--pk', p('both', 'pk.bin'), '-o', p('both-proof.json'), '--opening', `${p('both-x', 'opening.json')},${p('both-w', 'opening.json')}`);
  assert.equal(r.code, 0, r.err);
  const v = await runCli('verify', p('both-proof.json'), '--vk', p('both', 'vk.bin'), '--commitment', `${p('both-w', 'commitment.json')},${p('both-x', 'commitment.json')}`, '--json');
  assert.equal(v.code, 0, v.out);
  assert.deepEqual(JSON.parse(v.out).public.map((e: { kind: string; name: string }) => `${e.kind}:${e.name}`), ['commitment:x', 'commitment:#weights', 'output:y']);
  // The weights opening alone leaves the input's commitment without a salt: refused.
  const half = await runCli('prove', p('both', 'model.zkc'), p('x.json'), '--pk', p('both', 'pk.bin'), '-o', p('half.json'), '--opening', p('both-w', 'opening.json'));
  assert.equal(half.code, 2);
  assert.match(half.err, /commits input 'x': pass its opening/);
});
