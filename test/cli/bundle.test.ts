/**
 * The CLI as `npm ci` installs it: bin/zkml.mjs running the build's bundle (dist/cli-bundle/, written by
 * scripts/build.mjs). The test copies bin/ and dist/ into a directory without src/, so bin/zkml.mjs can only
 * run the bundle (with src/ absent the build counts as current; there are no sources to fall back to), and
 * compiles, sets up, proves and verifies a tiny model there: the kernels' worker scripts and prebuilt WASM
 * files are found from the bundle's chunks, onnx-proto and msgpackr load from it. Then once more without
 * the prebuilt WASM files, which the bundle's kernels must then generate (the builders are required lazily).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { writeZkmlInput, writeZkmlModel } from '../../src/graph/msgpack/write.ts';
import { tinyModel } from '../cli-harness.ts';

const root = resolve(import.meta.dirname, '../..');
const built = existsSync(join(root, 'dist', '.build-stamp'));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-bundle-'));
  if (!built) return;
  mkdirSync(join(dir, 'pkg', 'bin'), { recursive: true });
  cpSync(join(root, 'bin', 'zkml.mjs'), join(dir, 'pkg', 'bin', 'zkml.mjs'));
  cpSync(join(root, 'dist'), join(dir, 'pkg', 'dist'), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'pkg', 'node_modules'), 'dir');
  writeFileSync(join(dir, 'model.onnx'), writeOnnx(tinyModel()));
  writeFileSync(join(dir, 'calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  writeFileSync(join(dir, 'input.json'), JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** `zkml <args>` through the copied bin/zkml.mjs. */
function zkml(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [join(dir, 'pkg', 'bin', 'zkml.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('the build writes the CLI bundle: an entry and chunks, with no absolute path of the build machine', (t) => {
  if (!built) return t.skip('dist/ is not built (npm test and npm ci build it)');
  // (Not .code-cache/: the V8 code cache a proof run from this checkout may have left.)
  const files = readdirSync(join(root, 'dist', 'cli-bundle')).filter((f) => f.endsWith('.js') || f.endsWith('.cjs'));
  assert.ok(files.includes('entry.js'), 'dist/cli-bundle/entry.js');
  assert.ok(files.includes('prove.cjs'), 'dist/cli-bundle/prove.cjs: zkml prove as one file, for the code cache');
  assert.ok(files.some((f) => f.startsWith('chunk-')), 'commands load their code as separate chunks');
  for (const f of files) assert.ok(!readFileSync(join(root, 'dist', 'cli-bundle', f), 'utf8').includes(root), `${f} names no absolute path`);
  // `zkml --help` loads the entry only: it names no prover code.
  assert.doesNotMatch(readFileSync(join(root, 'dist', 'cli-bundle', 'entry.js'), 'utf8'), /function keygen|function startKernelThreads/);
});

test('bin/zkml.mjs runs the bundle: compile, setup, prove (kernel threads) and verify a model; --help', (t) => {
  if (!built) return t.skip('dist/ is not built (npm test and npm ci build it)');
  const out = join(dir, 'out');
  const help = zkml('--help');
  assert.equal(help.code, 0, help.err);
  assert.match(help.out, /usage: zkml <command>/);
  const c = zkml('compile', join(dir, 'model.onnx'), '-o', out, '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--json');
  assert.equal(c.code, 0, c.err);
  const s = zkml('setup', join(out, 'model.zkc'), '--dev', '-o', out, '--json');
  assert.equal(s.code, 0, s.err);
  const p = zkml('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof.json'), '--json');
  assert.equal(p.code, 0, p.err);
  const v = zkml('verify', join(out, 'proof.json'), '--vk', join(out, 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(JSON.parse(v.out).verified, true);

  // Without the prebuilt kernel modules the bundle generates them (wasmbuilder / wasmcurves, required on first use).
  rmSync(join(dir, 'pkg', 'dist', 'kernels', 'wasm'), { recursive: true });
  const p2 = zkml('prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof2.json'), '--json');
  assert.equal(p2.code, 0, p2.err);
  const v2 = zkml('verify', join(out, 'proof2.json'), '--vk', join(out, 'vk.bin'), '--json');
  assert.equal(v2.code, 0, v2.out + v2.err);
  assert.equal(JSON.parse(v2.out).verified, true);
});

test('zkml prove keeps a V8 code cache beside its bundle: written once, read after, replaced when V8 rejects it, off with ZKML_CODE_CACHE=0', (t) => {
  if (!built) return t.skip('dist/ is not built (npm test and npm ci build it)');
  const out = join(dir, 'cache-run');
  assert.equal(zkml('compile', join(dir, 'model.onnx'), '-o', out, '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--json').code, 0);
  assert.equal(zkml('setup', join(out, 'model.zkc'), '--dev', '-o', out, '--json').code, 0);
  const cacheDir = join(dir, 'pkg', 'dist', 'cli-bundle', '.code-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const proveVerify = (name: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(dir, 'pkg', 'bin', 'zkml.mjs'), 'prove', join(out, 'model.zkc'), join(dir, 'input.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, name), '--json'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    const v = zkml('verify', join(out, name), '--vk', join(out, 'vk.bin'), '--json');
    assert.equal(JSON.parse(v.out).verified, true, v.err);
  };
  const caches = () => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);

  proveVerify('off.json', { ZKML_CODE_CACHE: '0' });
  assert.deepEqual(caches(), [], 'ZKML_CODE_CACHE=0 writes no cache');
  proveVerify('first.json');
  const [file] = caches();
  assert.ok(file && caches().length === 1, `one cache file after the first proof: ${caches()}`);
  const written = readFileSync(join(cacheDir, file));
  assert.ok(written.length > 10_000, 'the cache holds the compiled code');
  // Read, not rewritten: the same bytes after another proof.
  proveVerify('second.json');
  assert.deepEqual(readFileSync(join(cacheDir, file)), written);
  // A damaged cache is rejected by V8 (never run) and replaced by a good one; the proof is unaffected.
  const damaged = Buffer.concat([written.subarray(0, 64), Buffer.alloc(4096, 0xa5)]);
  writeFileSync(join(cacheDir, file), damaged);
  proveVerify('damaged.json');
  const replaced = readFileSync(join(cacheDir, file));
  assert.ok(!replaced.equals(damaged) && replaced.length > 10_000, 'the damaged cache was replaced');
  assert.deepEqual(caches(), [file], 'no temporary file left');
});

test('the bundle reads zkml msgpack models and inputs (msgpackr, loaded on first use)', (t) => {
  if (!built) return t.skip('dist/ is not built (npm test and npm ci build it)');
  // FullyConnected(2→2) at zkml's scale 2^8 (as test/cli/msgpack.test.ts's model, smaller).
  const layer = { layerType: 'FullyConnected', params: [0], inpIdxes: [0, 1, 2], inpShapes: [[1, 2], [2, 2], [2]], outIdxes: [3], outShapes: [[1, 2]], mask: [] };
  const model = { globalSf: 256, k: 10, numCols: 6, inpIdxes: [0], outIdxes: [3], useSelectors: true, commitBefore: [], commitAfter: [], commit: false, layers: [layer], tensors: [{ idx: 1, shape: [2, 2], data: [37, -90, 12, 64] }, { idx: 2, shape: [2], data: [10, -20] }] };
  writeFileSync(join(dir, 'model.msgpack'), writeZkmlModel(model));
  writeFileSync(join(dir, 'input.msgpack'), writeZkmlInput([{ idx: 0, shape: [1, 2], data: [200, -128] }]));
  const c = zkml('compile', join(dir, 'model.msgpack'), '-o', join(dir, 'mp'), '--calibrate', join(dir, 'input.msgpack'), '--json');
  assert.equal(c.code, 0, c.err);
  assert.equal(JSON.parse(c.out).scale_bits, 8);
});
