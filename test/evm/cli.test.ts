/**
 * `zkml export-verifier` and `zkml calldata` end to end on a tiny model (compile → setup --dev → prove
 * from the command line): the exported contract, compiled with solc and deployed in an in-process EVM,
 * accepts the calldata the CLI wrote. Garbled vk.bin and proof.json files give exit 2 with a one-line
 * message, never a stack trace.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { compileSolidity, InProcessEvm } from './harness.ts';

let dir: string;
const out = () => join(dir, 'out');
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-evm-cli-'));
  writeFileSync(join(dir, 'model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(join(dir, 'calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }));
  const steps = [
    ['compile', join(dir, 'model.onnx'), '-o', out(), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6'],
    ['setup', join(out(), 'model.zkc'), '--dev', '-o', out()],
    ['prove', join(out(), 'model.zkc'), join(dir, 'input.json'), '--pk', join(out(), 'pk.bin'), '-o', join(out(), 'proof.json')],
  ];
  for (const s of steps) {
    const r = await runCli(...s);
    assert.equal(r.code, 0, `${s[0]}: ${r.err}`);
  }
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

/** A user-facing failure: exit 2 and a single line on stderr naming the command. */
function assertOneLineError(r: { code: number; out: string; err: string }, name: string, what: RegExp): void {
  assert.equal(r.code, 2, `exit ${r.code}: ${r.err}`);
  assert.equal(r.err.split('\n').length, 1, `more than one line: ${r.err}`);
  assert.match(r.err, new RegExp(`^zkml ${name}: `));
  assert.match(r.err, what);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

test('export-verifier writes a contract that accepts the calldata `zkml calldata` writes (file, stdout, --vk)', async () => {
  const sol = join(dir, 'Verifier.sol');
  const e = await runCli('export-verifier', '--vk', join(out(), 'vk.bin'), '-o', sol, '--contract', 'TinyVerifier', '--json');
  assert.equal(e.code, 0, e.err);
  const report = JSON.parse(e.out);
  assert.equal(report.contract, 'TinyVerifier');
  // A key with many commitments (a layout compiled for proving speed) gets a note on stderr about gas.
  assert.ok(Number.isInteger(report.key_commitments) && report.key_commitments > 0);
  assert.equal(/--verifier evm/.test(e.err), report.key_commitments > 40, e.err);
  const c = await runCli('calldata', join(out(), 'proof.json'), '-o', join(dir, 'calldata.hex'));
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, new RegExp(report.function.replace(/[[\]()]/g, '\\$&')));
  const fromFile = readFileSync(join(dir, 'calldata.hex'), 'utf8').trim();
  assert.match(fromFile, /^0x([0-9a-f]{2})+$/);
  const stdout = await runCli('calldata', join(out(), 'proof.json'));
  assert.equal(stdout.code, 0, stdout.err);
  assert.equal(stdout.out.trim(), fromFile);
  const checked = await runCli('calldata', join(out(), 'proof.json'), '--vk', join(out(), 'vk.bin'));
  assert.equal(checked.out.trim(), fromFile);

  const compiled = compileSolidity(readFileSync(sol, 'utf8'), 'TinyVerifier');
  const evm = await InProcessEvm.create();
  const at = await evm.deploy(compiled.creation);
  const data = new Uint8Array(Buffer.from(fromFile.slice(2), 'hex'));
  assert.equal((await evm.call(at, data)).accepted, true);
  // The public values sit at the end of the calldata: another output value is rejected.
  const forged = data.slice();
  forged[forged.length - 1] ^= 1;
  assert.equal((await evm.call(at, forged)).accepted, false);
});

test('garbled, truncated or missing vk.bin: export-verifier exits 2 with one line and writes nothing', async () => {
  const vk = readFileSync(join(out(), 'vk.bin'));
  const bad = join(dir, 'bad-vk.bin');
  const sol = join(dir, 'never.sol');
  const variants: [string, Uint8Array][] = [
    ['text', new TextEncoder().encode('not a key')],
    ['truncated', vk.subarray(0, vk.length - 7)],
    ['trailing bytes', new Uint8Array([...vk, 1, 2, 3])],
    ['empty', new Uint8Array(0)],
  ];
  for (const [name, bytes] of variants) {
    writeFileSync(bad, bytes);
    const r = await runCli('export-verifier', '--vk', bad, '-o', sol);
    assertOneLineError(r, 'export-verifier', /bad-vk\.bin/);
    assert.equal(existsSync(sol), false, name);
  }
  assertOneLineError(await runCli('export-verifier', '--vk', join(dir, 'missing.bin'), '-o', sol), 'export-verifier', /missing\.bin/);
  assertOneLineError(await runCli('export-verifier', '--vk', join(out(), 'vk.bin')), 'export-verifier', /usage/);
  assertOneLineError(await runCli('export-verifier', '--vk', join(out(), 'vk.bin'), '-o', sol, '--contract', '1nvalid'), 'export-verifier', /identifier/);
});

test('vk.bin with any of 120 seeded single-byte changes: export-verifier succeeds or exits 2 with one line, never crashes', async () => {
  const vk = readFileSync(join(out(), 'vk.bin'));
  const bad = join(dir, 'mutated-vk.bin');
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
  let refused = 0;
  for (let i = 0; i < 120; i++) {
    const m = vk.slice();
    // Mostly the constraint-system prefix (structure), sometimes anywhere.
    const at = i % 3 === 0 ? rand() % m.length : rand() % Math.min(m.length, 1200);
    m[at] = i % 2 === 0 ? m[at]! ^ (1 << rand() % 8) : rand() & 0xff;
    writeFileSync(bad, m);
    const r = await runCli('export-verifier', '--vk', bad, '-o', join(dir, 'mutated.sol'));
    if (r.code !== 0) {
      assertOneLineError(r, 'export-verifier', /mutated-vk\.bin/);
      refused++;
    }
  }
  assert.ok(refused > 0);
});

test('garbled proof.json: calldata exits 2 with one line naming the file', async () => {
  const good = JSON.parse(readFileSync(join(out(), 'proof.json'), 'utf8'));
  const bad = join(dir, 'bad-proof.json');
  const variants: [string, string][] = [
    ['not JSON', '{"format": "zkml-pr'],
    ['null', 'null'],
    ['wrong format', JSON.stringify({ ...good, format: 'other' })],
    ['odd hex', JSON.stringify({ ...good, proof: good.proof.slice(1) })],
    ['not hex', JSON.stringify({ ...good, proof: 'zz' + good.proof.slice(2) })],
    ['no header', JSON.stringify({ ...good, proof: good.proof.slice(16) })],
    ['ragged body', JSON.stringify({ ...good, proof: good.proof.slice(0, -2) })],
    ['instance not a string', JSON.stringify({ ...good, instances: [[1]] })],
    ['instance not a list', JSON.stringify({ ...good, instances: ['1'] })],
    ['instance ≥ r', JSON.stringify({ ...good, instances: [['21888242871839275222246405745257275088548364400416034343698204186575808495617']] })],
  ];
  for (const [name, text] of variants) {
    writeFileSync(bad, text);
    const r = await runCli('calldata', bad);
    assertOneLineError(r, 'calldata', /bad-proof\.json/);
    assert.equal(r.out, '', name);
  }
  // With the key, a proof of the wrong length or public values of the wrong shape are refused too.
  writeFileSync(bad, JSON.stringify({ ...good, proof: good.proof.slice(0, -64) }));
  assertOneLineError(await runCli('calldata', bad, '--vk', join(out(), 'vk.bin')), 'calldata', /bad-proof\.json/);
  writeFileSync(bad, JSON.stringify({ ...good, instances: [[...good.instances[0], '1']] }));
  assertOneLineError(await runCli('calldata', bad, '--vk', join(out(), 'vk.bin')), 'calldata', /bad-proof\.json/);
  assertOneLineError(await runCli('calldata', join(dir, 'missing.json')), 'calldata', /missing\.json/);
});
