/**
 * Proving about a committed input, end to end on the command line: compile --committed-inputs, setup,
 * commit, prove --opening, verify. The proof's public values are the commitment and the outputs (no input
 * value); verify prints the commitment; a proof whose commitment is swapped for another is rejected; a
 * missing, foreign or edited opening stops prove with exit 2 before any output file exists.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';

let dir: string;
const X = [0.5, -0.25, 0.75, 0.125];
const X2 = [0.25, 0.5, -0.5, 0.375];
const p = (...xs: string[]) => join(dir, ...xs);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-committed-'));
  writeFileSync(p('m.onnx'), writeOnnx(tinyModel()));
  writeFileSync(p('x.json'), JSON.stringify({ input: X }));
  writeFileSync(p('x2.json'), JSON.stringify({ input: X2 }));
  writeFileSync(p('calib.json'), JSON.stringify({ samples: [{ input: X }, { input: X2 }] }));
  const c = await runCli('compile', p('m.onnx'), '-o', p('c'), '--calibrate', p('calib.json'), '--scale-bits', '6', '--committed-inputs');
  assert.equal(c.code, 0, c.err);
  assert.deepEqual(readJson(p('c', 'model.zkc')).visibility, { x: 'committed' });
  assert.equal((await runCli('setup', p('c', 'model.zkc'), '--dev', '-o', p('c'))).code, 0);
  for (const [data, out] of [['x.json', 'o1'], ['x.json', 'o1b'], ['x2.json', 'o2']]) {
    const r = await runCli('commit', p(data!), '--model', p('c', 'model.zkc'), '-o', p(out!));
    assert.equal(r.code, 0, r.err);
  }
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

const prove = (input: string, out: string, ...extra: string[]) =>
  runCli('prove', p('c', 'model.zkc'), p(input), '--pk', p('c', 'pk.bin'), '-o', p(out), ...extra);

test('prove --opening, verify: the public values are the commitment and the outputs; verify prints the commitment', async () => {
  const r = await prove('x.json', 'proof.json', '--opening', p('o1', 'opening.json'));
  assert.equal(r.code, 0, r.err);
  const commitment: string = readJson(p('o1', 'commitment.json')).tensors[0].commitment;
  assert.match(r.out, new RegExp(`commitment to x: ${commitment}`));
  const v = await runCli('verify', p('proof.json'), '--vk', p('c', 'vk.bin'));
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, new RegExp(`commitment to input x: ${commitment}`));
  const j = await runCli('verify', p('proof.json'), '--vk', p('c', 'vk.bin'), '--json');
  const report = JSON.parse(j.out);
  assert.deepEqual(report.public.map((e: { kind: string; name: string }) => `${e.kind}:${e.name}`), ['commitment:x', 'output:y']);
  assert.equal(report.public[0].commitment, commitment);
  // Hiding: the instances are the commitment and the two outputs; no quantized input value is among them.
  const proof = readJson(p('proof.json'));
  assert.equal(proof.instances[0].length, 3);
  assert.equal(BigInt(proof.instances[0][0]), BigInt(commitment));
  const field = (v: number) => String(((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
  assert.deepEqual(proof.instances[0].slice(1), proof.outputs[0].values.map(field));
  const q = readJson(p('o1', 'opening.json')).tensors[0].values as number[];
  assert.deepEqual(q, [32, -16, 48, 8]);
  for (const v of q) assert.ok(!proof.instances[0].includes(field(v)), `input value ${v} is public`);
});

test('binding: a proof with the commitment swapped for another (same data, other salt; other data) is rejected', async () => {
  assert.equal((await prove('x.json', 'proof-b.json', '--opening', p('o1', 'opening.json'))).code, 0);
  const proof = readJson(p('proof-b.json'));
  for (const other of ['o1b', 'o2']) {
    const c: string = readJson(p(other, 'commitment.json')).tensors[0].commitment;
    assert.notEqual(BigInt(c), BigInt(proof.instances[0][0]));
    const forged = structuredClone(proof);
    forged.instances[0][0] = BigInt(c).toString();
    forged.public[0].commitment = c;
    writeFileSync(p(`forged-${other}.json`), JSON.stringify(forged));
    const v = await runCli('verify', p(`forged-${other}.json`), '--vk', p('c', 'vk.bin'));
    assert.equal(v.code, 1, `${other}: ${v.out}`);
    assert.match(v.out, /INVALID/);
  }
  // Relabelling only the readable commitment is caught too.
  const relabelled = structuredClone(proof);
  relabelled.public[0].commitment = readJson(p('o2', 'commitment.json')).tensors[0].commitment;
  writeFileSync(p('relabelled.json'), JSON.stringify(relabelled));
  assert.equal((await runCli('verify', p('relabelled.json'), '--vk', p('c', 'vk.bin'))).code, 1);
});

test('the same data under another salt proves too, with its own commitment public', async () => {
  assert.equal((await prove('x.json', 'proof-salt.json', '--opening', p('o1b', 'opening.json'))).code, 0);
  const [a, b] = [readJson(p('proof-b.json')), readJson(p('proof-salt.json'))];
  assert.notEqual(a.instances[0][0], b.instances[0][0]);
  assert.deepEqual(a.instances[0].slice(1), b.instances[0].slice(1));
  assert.equal((await runCli('verify', p('proof-salt.json'), '--vk', p('c', 'vk.bin'))).code, 0);
});

test('a missing, foreign, edited or unreadable opening: exit 2 with a clear error, no proof file', async () => {
  const o1 = readFileSync(p('o1', 'opening.json'), 'utf8');
  const edited = JSON.parse(o1);
  edited.tensors[0].values[0] += 1;
  writeFileSync(p('edited.json'), JSON.stringify(edited));
  writeFileSync(p('garbage.json'), '{"format": "zkml-opening"');
  const cases: [string, string[], RegExp][] = [
    ['x.json', [], /commits input 'x': pass its opening/],
    ['x.json', ['--opening', p('o2', 'opening.json')], /opening of 'x' does not match the input \(element 0/],
    ['x2.json', ['--opening', p('o1', 'opening.json')], /does not match the input/],
    ['x.json', ['--opening', p('edited.json')], /do not open its commitment/],
    ['x.json', ['--opening', p('garbage.json')], /not valid JSON/],
    ['x.json', ['--opening', p('nope.json')], /cannot read opening/],
    ['x.json', ['--opening'], /--opening needs a path/],
  ];
  for (const [input, extra, msg] of cases) {
    const r = await prove(input, 'bad-proof.json', ...extra);
    assert.equal(r.code, 2, `${extra.join(' ')}: ${r.err}`);
    assert.match(r.err, msg);
    assert.ok(!existsSync(p('bad-proof.json')), `${extra.join(' ')}: no proof written`);
  }
});

test('an opening for a model that commits nothing is refused; --public-inputs and --committed-inputs conflict', async () => {
  const c = await runCli('compile', p('m.onnx'), '-o', p('plain'), '--calibrate', p('calib.json'), '--scale-bits', '6');
  assert.equal(c.code, 0, c.err);
  assert.equal((await runCli('setup', p('plain', 'model.zkc'), '--dev', '-o', p('plain'))).code, 0);
  const r = await runCli('prove', p('plain', 'model.zkc'), p('x.json'), '--pk', p('plain', 'pk.bin'), '-o', p('plain', 'proof.json'), '--opening', p('o1', 'opening.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /commits no input/);
  assert.ok(!existsSync(p('plain', 'proof.json')));
  const both = await runCli('compile', p('m.onnx'), '-o', p('both'), '--public-inputs', '--committed-inputs');
  assert.equal(both.code, 2);
  assert.match(both.err, /both public .* and committed/);
});
