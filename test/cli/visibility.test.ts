/**
 * Public inputs / private outputs, and what `verify` reports: the proven public values are decoded through
 * the verifying key's layout (bound by its digest), and a proof file whose human-readable values were
 * edited is rejected even though its proof and instances are genuine.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import type { Graph } from '../../src/graph/ir.ts';

let dir: string;
const X = [0.5, -0.25, 0.75];

/** y = Relu(W·x + b), 3 → 2. */
function model(): Graph {
  return {
    name: 'vis', opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
    initializers: {
      w: { dtype: 'float32', shape: [2, 3], data: Float32Array.from([0.5, -1, 0.25, 1, 0.5, -0.5]) },
      b: { dtype: 'float32', shape: [2], data: Float32Array.from([0.125, 0.25]) },
    },
    valueInfo: {},
    nodes: [
      { op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['h'], attrs: { transB: { type: 'int', value: 1 } } },
      { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['y'], attrs: {} },
    ],
  } as Graph;
}

async function pipeline(out: string, ...compileFlags: string[]) {
  const c = await runCli('compile', join(dir, 'm.onnx'), '-o', out, '--calibrate', join(dir, 'x.json'), '--scale-bits', '6', ...compileFlags);
  assert.equal(c.code, 0, c.err);
  assert.equal((await runCli('setup', join(out, 'model.zkc'), '--dev', '-o', out)).code, 0);
  const p = await runCli('prove', join(out, 'model.zkc'), join(dir, 'x.json'), '--pk', join(out, 'pk.bin'), '-o', join(out, 'proof.json'));
  assert.equal(p.code, 0, p.err);
  const v = await runCli('verify', join(out, 'proof.json'), '--vk', join(out, 'vk.bin'), '--json');
  return { v, proof: JSON.parse(readFileSync(join(out, 'proof.json'), 'utf8')), report: v.code === 0 ? JSON.parse(v.out) : null };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-vis-'));
  writeFileSync(join(dir, 'm.onnx'), writeOnnx(model()));
  writeFileSync(join(dir, 'x.json'), JSON.stringify({ input: X }));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('default: the input stays private, the output is public; verify reports the proven output', async () => {
  const { v, proof, report } = await pipeline(join(dir, 'default'));
  assert.equal(v.code, 0, v.out);
  assert.deepEqual(report.public.map((p: { kind: string; name: string }) => `${p.kind}:${p.name}`), ['output:y']);
  assert.equal(proof.instances[0].length, 2);
  // y = Relu([0.25+0.25+0.1875+0.125, 0.5−0.125−0.375+0.25]) = [0.8125, 0.25], exact at scale 2^6
  assert.deepEqual(report.public[0].values, [0.8125, 0.25]);
});

test('--public-inputs puts x in the instance column ahead of y; --private-outputs hides y', async () => {
  const a = await pipeline(join(dir, 'pub'), '--public-inputs');
  assert.equal(a.v.code, 0, a.v.out);
  assert.deepEqual(a.report.public.map((p: { kind: string; name: string }) => `${p.kind}:${p.name}`), ['input:x', 'output:y']);
  assert.deepEqual(a.report.public[0].values, X);
  assert.equal(a.proof.instances[0].length, 5);

  const b = await pipeline(join(dir, 'priv'), '--public-inputs=x', '--private-outputs');
  assert.equal(b.v.code, 0, b.v.out);
  assert.deepEqual(b.report.public.map((p: { kind: string; name: string }) => `${p.kind}:${p.name}`), ['input:x']);
  assert.deepEqual(b.proof.outputs, []);
  assert.equal(b.proof.instances[0].length, 3);
});

test('a proof file with edited output labels or values is rejected (exit 1) though its proof is genuine', async () => {
  const out = join(dir, 'default');
  const original = readFileSync(join(out, 'proof.json'), 'utf8');
  const edits: ((p: any) => void)[] = [
    (p) => (p.outputs[0].dequantized[0] = 9.5),
    (p) => (p.outputs[0].values[1] += 1),
    (p) => (p.outputs[0].name = 'other'),
    (p) => (p.public[0].dequantized[1] = 0),
    (p) => (p.public[0].kind = 'input'),
    (p) => p.outputs.pop(),
  ];
  for (const [i, edit] of edits.entries()) {
    const p = JSON.parse(original);
    edit(p);
    writeFileSync(join(dir, `edited-${i}.json`), JSON.stringify(p));
    const v = await runCli('verify', join(dir, `edited-${i}.json`), '--vk', join(out, 'vk.bin'));
    assert.equal(v.code, 1, `edit ${i}: ${v.out}`);
    assert.match(v.out, /differ from the proven/);
  }
});

test('a tensor name that is not a graph input or output is a clear error (exit 2)', async () => {
  const c = await runCli('compile', join(dir, 'm.onnx'), '-o', join(dir, 'bad'), '--calibrate', join(dir, 'x.json'), '--public-inputs=nope');
  assert.equal(c.code, 2);
  assert.match(c.err, /'nope'/);
});
