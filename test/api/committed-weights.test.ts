/**
 * Committed weights through the library API: two ONNX models with one architecture and different weights
 * (written by our ONNX writer) compile with `committedWeights` to byte-identical verifying keys; each proves
 * and verifies with its own weights opening; a proof carrying another model's weights commitment is
 * rejected; the commitment changes with the salt; the public values hold no weight; a wrong, edited or
 * missing opening stops prove with a typed error.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareCommitments, commitWeights, compile, parseZkc, prove, serializeZkc, setup, verify, type CompiledModel } from '../../src/api/index.ts';
import { committedWeightValues, WEIGHTS_COMMITMENT_NAME } from '../../src/compiler/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import type { Graph } from '../../src/graph/ir.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { randoms } from '../compiler/lowering-helpers.ts';

/** Gemm(4 → 3) → Relu → Gemm(3 → 2); the weights drawn from `seed`. */
function mlp(seed: number): Graph {
  const r = randoms(seed);
  const t = (shape: number[], n: number, lo = -0.9, hi = 0.9) => ({ dtype: 'float32' as const, shape, data: Float32Array.from(r(n, lo, hi)) });
  return {
    name: 'mlp',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
    initializers: { w1: t([3, 4], 12), b1: t([3], 3, -0.2, 0.2), w2: t([2, 3], 6), b2: t([2], 2, -0.2, 0.2) },
    valueInfo: {},
    nodes: [
      { op: 'Gemm', name: 'fc1', inputs: ['x', 'w1', 'b1'], outputs: ['h'], attrs: { transB: { type: 'int', value: 1 } } },
      { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['hr'], attrs: {} },
      { op: 'Gemm', name: 'fc2', inputs: ['hr', 'w2', 'b2'], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 } } },
    ],
  };
}

let dir: string;
const X = JSON.stringify({ x: [0.5, -0.25, 0.75, 0.125] });
const CALIB = JSON.stringify({ samples: [{ x: [0.5, -0.25, 0.75, 0.125] }, { x: [-0.5, 0.5, 0.25, -1] }] });
const keys = new Map<string, { pkBytes: Uint8Array; vkBytes: Uint8Array }>();
const models = new Map<string, CompiledModel>();
const saltOf = (v: bigint) => () => v;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-cw-'));
  writeFileSync(join(dir, 'a.onnx'), writeOnnx(mlp(1)));
  writeFileSync(join(dir, 'b.onnx'), writeOnnx(mlp(2)));
  for (const name of ['a', 'b']) models.set(name, compile(join(dir, `${name}.onnx`), { calibrationText: CALIB, committedWeights: true, scaleBits: 6 }).compiled);
  // One SRS for all keys (a fixed secret): the keys differ only where the circuits do.
  const srs = await devSrs(models.get('a')!.k, 0x5eedn);
  for (const name of ['a', 'b']) keys.set(name, await setup(models.get(name)!, srs));
  for (const name of ['a', 'b']) {
    const { compiled } = compile(join(dir, `${name}.onnx`), { calibrationText: CALIB, scaleBits: 6, k: models.get('a')!.k });
    models.set(`plain-${name}`, compiled);
    keys.set(`plain-${name}`, await setup(compiled, srs));
  }
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('same architecture, other weights: byte-identical verifying keys (public weights: different ones)', () => {
  assert.notDeepEqual(committedWeightValues(models.get('a')!.model).values, committedWeightValues(models.get('b')!.model).values);
  assert.deepEqual(keys.get('a')!.vkBytes, keys.get('b')!.vkBytes);
  assert.notDeepEqual(keys.get('plain-a')!.vkBytes, keys.get('plain-b')!.vkBytes);
  // The .zkc keeps the mode and the activation width it fixes.
  const back = parseZkc(serializeZkc(models.get('a')!), 'a.zkc');
  assert.equal(back.committedWeights, true);
  assert.equal(back.actBits, 24);
  assert.equal(back.weightBits, 16);
});

test('each model proves with its own opening and verifies under the shared key; the swapped commitment is rejected', async () => {
  const vk = keys.get('a')!.vkBytes;
  const proofs = new Map<string, { text: string; commitment: string; instances: string[][] }>();
  for (const name of ['a', 'b']) {
    const compiled = models.get(name)!;
    const files = commitWeights(compiled, { salt: saltOf(BigInt(name === 'a' ? 11 : 22) * 0x1234567n) });
    const { proofFile } = await prove(compiled, keys.get(name)!.pkBytes, X, { weightsOpening: files.opening });
    const text = JSON.stringify(proofFile);
    const r = await verify(text, vk);
    assert.equal(r.valid, true, r.valid ? '' : r.reason);
    assert.deepEqual(r.public!.map((p) => `${p.kind}:${p.name}`), [`commitment:${WEIGHTS_COMMITMENT_NAME}`, 'output:y']);
    assert.equal(r.public![0]!.commitment, files.commitment.tensors[0]!.commitment);
    assert.equal(compareCommitments(r.public!, files.commitment, 'commitment.json'), undefined);
    // Hiding: the instances are exactly the commitment and the two outputs, so no weight is public.
    const field = (v: number) => String(((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
    assert.deepEqual(proofFile.instances, [[BigInt(files.commitment.tensors[0]!.commitment).toString(), ...proofFile.outputs[0]!.values.map(field)]]);
    proofs.set(name, { text, commitment: files.commitment.tensors[0]!.commitment, instances: proofFile.instances });
    // Against the other model's advertised commitment the valid proof does not match.
    const other = commitWeights(models.get(name === 'a' ? 'b' : 'a')!, { salt: saltOf(5n) });
    assert.match(compareCommitments(r.public!, other.commitment, 'other.json') ?? '', /proven commitment to the weights is 0x/);
  }
  // B's proof with A's weights commitment in place of its own: invalid.
  const forged = JSON.parse(proofs.get('b')!.text);
  forged.instances[0][0] = BigInt(proofs.get('a')!.commitment).toString();
  forged.public[0].commitment = proofs.get('a')!.commitment;
  const r = await verify(JSON.stringify(forged), vk);
  assert.equal(r.valid, false);
});

test('the commitment changes with the salt and with the weights', () => {
  const a = models.get('a')!;
  const [c1, c2] = [commitWeights(a), commitWeights(a)].map((f) => f.commitment.tensors[0]!.commitment);
  assert.notEqual(c1, c2);
  const fixed = (m: CompiledModel) => commitWeights(m, { salt: saltOf(7n) }).commitment.tensors[0]!.commitment;
  assert.notEqual(fixed(a), fixed(models.get('b')!));
  assert.equal(fixed(a), fixed(a));
});

test('a wrong, edited or missing weights opening is a typed error before proving', async () => {
  const a = models.get('a')!;
  const pk = keys.get('a')!.pkBytes;
  const fromB = commitWeights(models.get('b')!).opening;
  const own = commitWeights(a).opening;
  const edited = { ...own, salt: `0x${(BigInt(own.salt) + 1n).toString(16).padStart(64, '0')}` };
  const cases: [object, RegExp][] = [
    [{}, /commits its weights: pass the weights opening/],
    [{ weightsOpening: fromB }, /not of this model's weights .*other weights of the same architecture/],
    [{ weightsOpening: edited }, /salt does not open the commitment/],
  ];
  for (const [opts, msg] of cases) await assert.rejects(prove(a, pk, X, opts), (e: unknown) => e instanceof InvalidArgumentError && msg.test(e.message));
  await assert.rejects(prove(models.get('plain-a')!, keys.get('plain-a')!.pkBytes, X, { weightsOpening: own }), /not compiled with committed weights/);
  assert.throws(() => commitWeights(models.get('plain-a')!), /compile with --committed-weights/);
});

test('compile refuses, naming the node, a model whose tables or constants would put weights in the key', () => {
  const g = mlp(3);
  g.nodes[1] = { op: 'Sigmoid', name: 'act', inputs: ['h'], outputs: ['hr'], attrs: {} };
  writeFileSync(join(dir, 'sig.onnx'), writeOnnx(g));
  assert.throws(
    () => compile(join(dir, 'sig.onnx'), { calibrationText: CALIB, committedWeights: true }),
    (e: unknown) => e instanceof InvalidArgumentError && /sig\.onnx: --committed-weights: .*'act' \(Sigmoid\).*lookup table/.test(e.message),
  );
  assert.throws(() => compile(join(dir, 'a.onnx'), { committedWeights: true, actBits: 1 }), /--act-bits must be an integer in \[2, 60\]/);
  // Weights of up to 0.9 at 2^7 need 8 signed bits: 4 are refused at compile time, naming the tensor.
  assert.throws(
    () => compile(join(dir, 'a.onnx'), { calibrationText: CALIB, committedWeights: true, weightBits: 4 }),
    (e: unknown) => e instanceof InvalidArgumentError && /a\.onnx: committed weights: w1\[\d+\] \(read by Gemm 'fc1'\).*4-bit range/.test(e.message),
  );
  assert.throws(() => compile(join(dir, 'a.onnx'), { weightBits: 12 }), /with --committed-weights/);
});
