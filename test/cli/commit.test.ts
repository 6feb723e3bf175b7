/**
 * `zkml commit`: quantizes an input for a compiled model and writes commitment.json (public) and
 * opening.json (salt + quantized values, owner-only); the printed commitment is the poseidon-lite chain
 * of the opening; existing files are never overwritten; bad input and bad usage exit 2 writing nothing;
 * an edited opening file is refused on read.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { poseidon8 } from 'poseidon-lite';
import { runCli, tinyModel } from '../cli-harness.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { FormatError } from '../../src/errors.ts';
import { parseCommitmentFile, parseOpeningFile } from '../../src/api/commit.ts';
import { TENSOR_COMMITMENT_SCHEME } from '../../src/commit/tensor-commitment.ts';

let dir: string;
const X = [0.5, -0.25, 0.75, 0.125];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-commit-'));
  writeFileSync(join(dir, 'm.onnx'), writeOnnx(tinyModel()));
  writeFileSync(join(dir, 'x.json'), JSON.stringify({ input: X }));
  const c = await runCli('compile', join(dir, 'm.onnx'), '-o', join(dir, 'c'), '--calibrate', join(dir, 'x.json'), '--scale-bits', '6');
  assert.equal(c.code, 0, c.err);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const zkc = () => join(dir, 'c', 'model.zkc');

/** The scheme with poseidon-lite only: h ← salt; h ← poseidon8([h, …7 of [n, v…]]). */
function recompute(values: readonly number[], salt: bigint): bigint {
  const e = [BigInt(values.length), ...values.map((v) => ((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS)];
  let h = salt;
  for (let i = 0; i < e.length; i += 7) h = poseidon8([h, ...[...e.slice(i, i + 7), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 7)]);
  return h;
}

test('commit writes commitment.json and an owner-only opening.json; the printed commitment opens with poseidon-lite', async () => {
  const out = join(dir, 'a');
  const r = await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', out);
  assert.equal(r.code, 0, r.err);
  const commitment = parseCommitmentFile(readFileSync(join(out, 'commitment.json'), 'utf8'), 'commitment.json');
  const opening = parseOpeningFile(readFileSync(join(out, 'opening.json'), 'utf8'), 'opening.json');
  assert.equal(commitment.scheme, TENSOR_COMMITMENT_SCHEME);
  const [t] = commitment.tensors;
  const [o] = opening.tensors;
  assert.deepEqual([t!.name, t!.shape, t!.scale_bits], ['x', [1, 4], 6]);
  assert.deepEqual(o!.values, X.map((v) => v * 64)); // quantized at 2^6 (exact here)
  assert.equal(o!.commitment, t!.commitment);
  assert.equal(BigInt(t!.commitment), recompute(o!.values, BigInt(o!.salt)));
  assert.match(r.out, new RegExp(t!.commitment));
  // The public file holds no value and no salt.
  const pub = readFileSync(join(out, 'commitment.json'), 'utf8');
  assert.ok(!pub.includes('salt') && !pub.includes('values'));
  assert.equal(statSync(join(out, 'opening.json')).mode & 0o077, 0, 'opening.json is readable by its owner only');
});

test('committing the same data again draws another salt: another commitment, the same values', async () => {
  const [a, b] = [join(dir, 's1'), join(dir, 's2')];
  for (const d of [a, b]) assert.equal((await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', d, '--json')).code, 0);
  const read = (d: string) => parseOpeningFile(readFileSync(join(d, 'opening.json'), 'utf8'), 'o').tensors[0]!;
  assert.notEqual(read(a).commitment, read(b).commitment);
  assert.notEqual(read(a).salt, read(b).salt);
  assert.deepEqual(read(a).values, read(b).values);
});

test('existing files are never overwritten: exit 2 with a clear error, both files unchanged', async () => {
  const out = join(dir, 'keep');
  assert.equal((await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', out)).code, 0);
  const before = [readFileSync(join(out, 'commitment.json')), readFileSync(join(out, 'opening.json'))];
  const r = await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', out);
  assert.equal(r.code, 2);
  assert.match(r.err, /commitment\.json exists; refusing to overwrite/);
  assert.deepEqual([readFileSync(join(out, 'commitment.json')), readFileSync(join(out, 'opening.json'))], before);
  // Only the opening left behind (e.g. the commitment was moved away): still refused, nothing written.
  const half = join(dir, 'half');
  assert.equal((await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', half)).code, 0);
  rmSync(join(half, 'commitment.json'));
  const r2 = await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', half);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /opening\.json exists/);
  assert.ok(!existsSync(join(half, 'commitment.json')));
});

test('bad data, a missing model and bad usage exit 2 and write nothing', async () => {
  writeFileSync(join(dir, 'short.json'), JSON.stringify({ input: [1, 2] }));
  const cases: [string[], RegExp][] = [
    [['commit', join(dir, 'short.json'), '--model', zkc(), '-o', join(dir, 'bad1')], /has 2 values.*expects 4/],
    [['commit', join(dir, 'x.json'), '--model', join(dir, 'nope.zkc'), '-o', join(dir, 'bad2')], /cannot read compiled model/],
    [['commit', join(dir, 'x.json'), '-o', join(dir, 'bad3')], /usage: zkml commit/],
    [['commit', join(dir, 'x.json'), '--model', zkc()], /usage: zkml commit/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, msg);
  }
  for (const d of ['bad1', 'bad2', 'bad3']) assert.ok(!existsSync(join(dir, d)), d);
});

test('an edited opening (a value, the salt, the commitment) or a foreign file is refused on read', async () => {
  const out = join(dir, 'edit');
  assert.equal((await runCli('commit', join(dir, 'x.json'), '--model', zkc(), '-o', out)).code, 0);
  const text = readFileSync(join(out, 'opening.json'), 'utf8');
  const o = JSON.parse(text);
  const edits: ((x: typeof o) => void)[] = [
    (x) => (x.tensors[0].values[1] += 1),
    (x) => (x.tensors[0].salt = `0x${(BigInt(x.tensors[0].salt) + 1n).toString(16)}`),
    (x) => (x.tensors[0].commitment = `0x${'1'.repeat(64)}`),
    (x) => x.tensors[0].values.pop(),
    (x) => (x.tensors[0].salt = `0x${FR_MODULUS.toString(16)}`),
    (x) => (x.scheme = 'sha256'),
    (x) => (x.format = 'zkml-commitment'),
  ];
  for (const edit of edits) {
    const x = JSON.parse(text);
    edit(x);
    assert.throws(() => parseOpeningFile(JSON.stringify(x), 'opening.json'), FormatError);
  }
  assert.throws(() => parseOpeningFile('{', 'opening.json'), FormatError);
  assert.doesNotThrow(() => parseOpeningFile(text, 'opening.json'));
});
