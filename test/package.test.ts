/**
 * The package as a user imports it: `import { compile, setup, prove, verify } from 'zkml'` in plain
 * JavaScript (no TypeScript loader), resolved through package.json's exports to the built dist/. The
 * script compiles, sets up, proves and verifies a tiny model, and checks that a tampered proof is invalid
 * and a bad file is a typed error.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeOnnx } from '../src/graph/onnx/writer.ts';
import { tinyModel } from './cli-harness.ts';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'zkml-user-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const script = `
import * as zkml from 'zkml';
import { compile, setup, prove, verify, devSrs, mockProve, FormatError, ZkmlError } from 'zkml';
const out = {};
out.exports = Object.keys(zkml).sort();
const { compiled } = compile(${JSON.stringify(join(dir, 'tiny.onnx'))}, { calibrationText: JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }), scaleBits: 6 });
const input = JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] });
out.mock = mockProve(compiled, input).ok;
const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k));
const { proofFile } = await prove(compiled, pkBytes, input);
out.valid = (await verify(JSON.stringify(proofFile), vkBytes)).valid;
const forged = structuredClone(proofFile);
forged.instances[0][0] = (BigInt(forged.instances[0][0]) + 1n).toString();
out.forgedValid = (await verify(JSON.stringify(forged), vkBytes)).valid;
try {
  await verify('not json', vkBytes);
} catch (e) {
  out.badFile = e instanceof FormatError && e instanceof ZkmlError;
}
out.plonk = typeof zkml.plonk.keygen === 'function' && typeof zkml.model.importOnnx === 'function';
console.log(JSON.stringify(out));
process.exit(0);
`;

test("the package imports by its name from plain JavaScript and compiles, proves and verifies", () => {
  assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is built (npm ci runs the prepare script; npm test builds too)');
  writeFileSync(join(dir, 'tiny.onnx'), writeOnnx(tinyModel()));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'zkml'), 'dir');
  writeFileSync(join(dir, 'use.mjs'), script);
  const r = spawnSync(process.execPath, ['use.mjs'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  for (const name of ['compile', 'setup', 'prove', 'verify', 'inspect', 'mockProve', 'ZkmlError', 'plonk', 'model', 'commitInputs', 'commitWeights', 'audit', 'training']) assert.ok(out.exports.includes(name), `exports ${name}`);
  assert.deepEqual({ mock: out.mock, valid: out.valid, forgedValid: out.forgedValid, badFile: out.badFile, plonk: out.plonk }, { mock: true, valid: true, forgedValid: false, badFile: true, plonk: true });
});
