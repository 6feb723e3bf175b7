/**
 * Every file a CLI user hands over can be hostile: model, compiled model, keys, proof, input. Edited labels
 * in a proof file are invalid (exit 1); an input's declared shape is checked; and no corruption of any file
 * ends in a raw stack trace or an unclassified error: one line on stderr naming the problem, exit 1 or 2.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';

let dir: string;
const p = (name: string): string => join(dir, name);
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-hostile-'));
  writeFileSync(p('model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(p('calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  writeFileSync(p('input.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }));
  for (const args of [
    ['compile', p('model.onnx'), '-o', p('out'), '--calibrate', p('calib.json'), '--scale-bits', '6'],
    ['setup', p('out/model.zkc'), '--dev', '-o', p('out')],
    ['prove', p('out/model.zkc'), p('input.json'), '--pk', p('out/pk.bin'), '-o', p('out/proof.json')],
  ]) {
    const r = await runCli(...args);
    assert.equal(r.code, 0, `${args[0]}: ${r.err}`);
  }
});

const verifyFile = async (obj: unknown) => {
  writeFileSync(p('edited.json'), JSON.stringify(obj));
  return runCli('verify', p('edited.json'), '--vk', p('out/vk.bin'));
};

test('proof.json: every readable field is checked (output and public shapes, model label, unknown fields); key order is not', async () => {
  const honest = JSON.parse(readFileSync(p('out/proof.json'), 'utf8'));
  assert.equal((await verifyFile(honest)).code, 0);
  const edits: [string, (f: any) => void][] = [
    ['outputs[0].shape', (f) => (f.outputs[0].shape = [2, 1])],
    ['public[0].shape', (f) => (f.public[0].shape = [2])],
    ['public[0].kind', (f) => (f.public[0].kind = 'input')],
    ['outputs[0].name', (f) => (f.outputs[0].name = 'z')],
    ['outputs[0] extra key', (f) => (f.outputs[0].note = 'x')],
    ['model', (f) => (f.model = 'other.onnx')],
    ['model removed', (f) => delete f.model],
    ['public removed', (f) => delete f.public],
    ['an unknown field', (f) => (f.verified_by = 'auditor')],
  ];
  for (const [what, edit] of edits) {
    const f = structuredClone(honest);
    edit(f);
    const r = await verifyFile(f);
    assert.equal(r.code, 1, `${what}: ${r.out} ${r.err}`);
    assert.match(r.out, /INVALID/);
  }
  // The same entries with their keys in another order: the same statement, still valid.
  const reordered = structuredClone(honest);
  reordered.public = honest.public.map((e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).reverse()));
  assert.equal((await verifyFile(reordered)).code, 0);
});

test('an input file: a declared shape must match the model; unknown keys are refused; the right shape proves', async () => {
  const cases: [unknown, RegExp][] = [
    [{ input: [0.5, 0.1, 0.8, 0.3], shape: [1, 5] }, /declared shape \[1,5\]/],
    [{ input: [0.5, 0.1, 0.8, 0.3], shape: 'wide' }, /"shape" must be a list/],
    [{ input: [0.5, 0.1, 0.8, 0.3], label: 3 }, /unknown key "label"/],
    [{ x: { shape: [1, 4], data: [0.5, 0.1, 0.8, 0.3], dtype: 'f' } }, /unknown key "dtype"/],
  ];
  for (const [input, msg] of cases) {
    writeFileSync(p('bad-input.json'), JSON.stringify(input));
    const r = await runCli('prove', p('out/model.zkc'), p('bad-input.json'), '--pk', p('out/pk.bin'), '-o', p('bad-proof.json'));
    assert.equal(r.code, 2, JSON.stringify(input));
    assert.match(r.err, msg);
    assert.equal(existsSync(p('bad-proof.json')), false);
  }
  writeFileSync(p('shaped.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3], shape: [1, 4] }));
  const ok = await runCli('prove', p('out/model.zkc'), p('shaped.json'), '--pk', p('out/pk.bin'), '-o', p('shaped-proof.json'));
  assert.equal(ok.code, 0, ok.err);
});

/** Deterministic corruptions of a file: truncations, flipped bytes, overwritten runs, huge varints. */
function corruptions(bytes: Uint8Array, count: number, seed: number): Uint8Array[] {
  let a = seed >>> 0;
  const rand = (n: number): number => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a % Math.max(1, n);
  };
  const out: Uint8Array[] = [new Uint8Array(0), bytes.slice(0, 1), bytes.slice(0, bytes.length >> 1), bytes.slice(0, bytes.length - 1)];
  while (out.length < count) {
    const c = bytes.slice();
    const at = rand(c.length);
    switch (out.length % 3) {
      case 0:
        c[at] ^= 1 << rand(8);
        break;
      case 1:
        c.fill(0xff, at, Math.min(c.length, at + 1 + rand(12)));
        break;
      default:
        for (let i = 0; i < 4; i++) c[rand(c.length)] = rand(256);
    }
    out.push(c);
  }
  return out;
}

const STACK = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

test('corrupted model, compiled model, keys, proof and input files: one typed line on stderr and exit 1 or 2, never a stack trace', async () => {
  const targets: { file: string; name: string; run: (path: string) => string[] }[] = [
    { file: 'model.onnx', name: 'c.onnx', run: (f) => ['compile', f, '-o', p('cout'), '--calibrate', p('calib.json'), '--scale-bits', '6'] },
    { file: 'model.onnx', name: 'i.onnx', run: (f) => ['inspect', f] },
    { file: 'out/model.zkc', name: 'c.zkc', run: (f) => ['setup', f, '--dev', '-o', p('sout')] },
    { file: 'out/model.zkc', name: 'p.zkc', run: (f) => ['prove', f, p('input.json'), '--pk', p('out/pk.bin'), '-o', p('pout/proof.json')] },
    { file: 'out/pk.bin', name: 'pk.bin', run: (f) => ['prove', p('out/model.zkc'), p('input.json'), '--pk', f, '-o', p('pout/proof.json')] },
    { file: 'input.json', name: 'in.json', run: (f) => ['prove', p('out/model.zkc'), f, '--pk', p('out/pk.bin'), '-o', p('pout/proof.json')] },
    { file: 'out/vk.bin', name: 'vk.bin', run: (f) => ['verify', p('out/proof.json'), '--vk', f] },
    { file: 'out/proof.json', name: 'proof.json', run: (f) => ['verify', f, '--vk', p('out/vk.bin')] },
  ];
  let runs = 0;
  for (const [t, target] of targets.entries()) {
    const original = new Uint8Array(readFileSync(p(target.file)));
    for (const [i, bad] of corruptions(original, 12, 7 + t).entries()) {
      writeFileSync(p(target.name), bad);
      const r = await runCli(...target.run(p(target.name)));
      runs++;
      const what = `${target.file} corruption ${i} (${target.run('FILE')[0]})`;
      if (r.code === 0) {
        // A change that still parses is another statement, not damage (a digit of the input, a weight of the
        // model, a byte nothing reads): what it produced must then be sound — a written proof verifies.
        if (target.run('FILE')[0] === 'prove') {
          const v = await runCli('verify', p('pout/proof.json'), '--vk', p('out/vk.bin'));
          assert.equal(v.code, 0, `${what}: proved, but the proof does not verify: ${v.out}`);
          rmSync(p('pout/proof.json'));
        }
        continue;
      }
      assert.ok(r.code === 1 || r.code === 2, `${what}: exit ${r.code}`);
      assert.doesNotMatch(r.err, STACK, `${what}: stack trace\n${r.err}`);
      assert.doesNotMatch(r.err, /unexpected/, `${what}: unclassified error\n${r.err}`);
      if (r.code === 2) assert.equal(r.err.trim().split('\n').length, 1, `${what}: one line\n${r.err}`);
    }
  }
  assert.ok(runs >= 90);
});
