/**
 * examples/hidden-input: the model file is what its generator writes; run.sh (the README's flow: compile
 * --committed-inputs, seller commit, prove --opening, buyer verify --commitment) succeeds, including its
 * own checks that a swapped prompt cannot use the advertised opening and that a proof about another
 * commitment is rejected; a proof whose commitment is replaced by the advertised one is invalid; the proof's
 * public values are the commitment and the scores only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hiddenInputModel, TOKENS, VOCAB } from '../../examples/hidden-input/make-model.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { runCli } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';

const EXAMPLE = new URL('../../examples/hidden-input/', import.meta.url).pathname;
let work: string;
let run: ReturnType<typeof spawnSync>;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

before(() => {
  work = mkdtempSync(join(tmpdir(), 'zkml-hidden-input-'));
  run = spawnSync('bash', [join(EXAMPLE, 'run.sh'), work], { encoding: 'utf8', timeout: 600_000 });
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(work, { recursive: true, force: true });
});

test('model.onnx is its generator output; the prompts are token ids of the vocabulary', () => {
  assert.ok(Buffer.from(writeOnnx(hiddenInputModel())).equals(readFileSync(join(EXAMPLE, 'model.onnx'))), 'model.onnx differs from make-model.ts: rerun it');
  assert.equal(readJson(join(EXAMPLE, 'vocab.json')).length, VOCAB);
  for (const f of ['prompt.json', 'other-prompt.json']) {
    const ids: number[] = readJson(join(EXAMPLE, f)).ids;
    assert.equal(ids.length, TOKENS);
    assert.ok(ids.every((i) => Number.isInteger(i) && i >= 0 && i < VOCAB));
  }
});

test('run.sh: the buyer accepts the advertised prompt and rejects the swaps', () => {
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(String(run.stdout), /== done/);
  // The swapped prompt with the advertised opening: refused before proving, nothing written.
  assert.match(String(run.stderr), /opening of 'ids' does not match the input/);
  assert.match(String(run.stdout), /INVALID: the proven commitment to 'ids' is 0x[0-9a-f]+, .*advertised-commitment\.json says/);
});

test('the proof reveals the commitment and the scores only; a proof of another prompt relabelled with the advertised commitment is invalid', async () => {
  const advertised: string = readJson(join(work, 'advertised-commitment.json')).tensors[0].commitment;
  const proof = readJson(join(work, 'proof.json'));
  const field = (v: number) => String(((BigInt(v) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS);
  assert.deepEqual(proof.instances, [[BigInt(advertised).toString(), ...proof.outputs[0].values.map(field)]]);
  const forged = readJson(join(work, 'cheat-proof.json'));
  forged.instances[0][0] = BigInt(advertised).toString();
  forged.public[0].commitment = advertised;
  writeFileSync(join(work, 'forged.json'), JSON.stringify(forged));
  const v = await runCli('verify', join(work, 'forged.json'), '--vk', join(work, 'model', 'vk.bin'), '--commitment', join(work, 'advertised-commitment.json'));
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /INVALID/);
});
