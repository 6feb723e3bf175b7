/**
 * Proof of training on the command line: train-setup, train-prove, train-verify on a 2 → 2 → 2 MLP.
 * The proven final weights are the integer reference's after three steps; the opening opens them; a run
 * continued from the opening chains onto the first. Rejected (exit 1): a final commitment to weights one
 * unit off, swapped or dropped steps, a swapped batch commitment. Bad input (exit 2, nothing written): a
 * wrong opening, a dataset with a wrong shape or a label out of range, an unreadable training file or key.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-harness.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { packedCommitment } from '../../src/apps/training/commitment.ts';
import { chainCommitment } from '../../src/apps/audit/chain.ts';
import { batchOf, hex32, parseStartWeights, parseTrainingDataset, type TrainingFile } from '../../src/apps/training/files.ts';
import { flattenBatch, flattenWeights, sgdStep, type TrainConfig } from '../../src/apps/training/reference.ts';

const CONFIG: TrainConfig = { inputs: 2, hidden: 2, classes: 2, batch: 2, scaleBits: 4, lrShift: 1, actBits: 8 };
const A = CONFIG.actBits;
const WEIGHTS = { w1: [[0.5, -0.25], [0.3, 0.6]], b1: [0.1, 0], w2: [[0.4, -0.2], [-0.5, 0.7]], b2: [0, 0.1] };
const DATA = { inputs: [[0.5, -0.5], [0.25, 0.75], [-0.6, 0.2], [0.9, 0.1]], labels: [0, 1, 1, 0] };

let dir: string;
const p = (...xs: string[]) => join(dir, ...xs);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path: string, v: unknown) => writeFileSync(path, JSON.stringify(v));
let run1: TrainingFile;

const prove = (weights: string, data: string, out: string, steps = '3') =>
  runCli('train-prove', '--pk', p('keys', 'pk.bin'), '--weights', p(weights), '--data', p(data), '--steps', steps, '-o', p(out));
const check = (file: string, ...extra: string[]) => runCli('train-verify', p(file), '--vk', p('keys', 'vk.bin'), ...extra);
/** Writes a changed copy of run 1's training file and verifies it. */
const checkEdited = (name: string, edit: (f: TrainingFile) => void) => {
  const f = structuredClone(run1);
  edit(f);
  writeJson(p(name), f);
  return check(name);
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-train-'));
  writeJson(p('w.json'), WEIGHTS);
  writeJson(p('d.json'), DATA);
  const s = await runCli('train-setup', '--arch', '2,2,2', '--batch', '2', '--scale-bits', '4', '--lr-shift', '1', '--act-bits', '8', '--dev', '-o', p('keys'));
  assert.equal(s.code, 0, s.err);
  const r = await prove('w.json', 'd.json', 'run1');
  assert.equal(r.code, 0, r.err);
  run1 = readJson(p('run1', 'training.json'));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

test('three steps verify; the opening opens the final commitment to the reference weights after three steps', async () => {
  const v = await runCli('train-verify', p('run1', 'training.json'), '--vk', p('keys', 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out);
  const out = JSON.parse(v.out);
  assert.equal(out.verified, true);
  assert.equal(out.steps, 3);
  assert.equal(out.final_weights_commitment, run1.final_weights_commitment);
  const data = parseTrainingDataset(JSON.stringify(DATA), 'd.json', CONFIG);
  let w = parseStartWeights(JSON.stringify(WEIGHTS), 'w.json', CONFIG).weights;
  for (let t = 0; t < 3; t++) w = sgdStep(CONFIG, w, batchOf(data, CONFIG, t)).after;
  const opening = readJson(p('run1', 'opening.json'));
  assert.deepEqual(opening.weights, w);
  assert.equal(hex32(packedCommitment(flattenWeights(w), A, BigInt(opening.weights_salt))), run1.final_weights_commitment);
  // Every intermediate weights commitment opens too: the weights after step t − 1 under weights_salts[t].
  let wt = parseStartWeights(JSON.stringify(WEIGHTS), 'w.json', CONFIG).weights;
  run1.proofs.forEach((s, t) => {
    assert.equal(hex32(packedCommitment(flattenWeights(wt), A, BigInt(opening.weights_salts[t]))), s.weights_before);
    wt = sgdStep(CONFIG, wt, batchOf(data, CONFIG, t)).after;
  });
  // Binding: the batch commitments open to the batches in order, and to nothing else.
  run1.proofs.forEach((s, t) => assert.equal(hex32(packedCommitment(flattenBatch(batchOf(data, CONFIG, t)), A, BigInt(opening.batch_salts[t]))), s.batch));
  assert.notEqual(hex32(packedCommitment(flattenBatch(batchOf(data, CONFIG, 1)), A, BigInt(opening.batch_salts[0]))), run1.proofs[0]!.batch);
  assert.equal(statSync(p('run1', 'opening.json')).mode & 0o777, 0o600);
  // Hiding: the public values are the commitments and nothing else (no weight, input or label in the file).
  assert.deepEqual(Object.keys(run1.proofs[0]!).sort(), ['batch', 'proof', 'weights_after', 'weights_before']);
  assert.equal(await check('run1/training.json', '--initial', run1.final_weights_commitment).then((r) => r.code), 1);
});

test('a run continued from the opening chains onto the first; the salt is fresh per run (the same weights commit differently)', async () => {
  const r = await prove('run1/opening.json', 'd.json', 'run2', '1');
  assert.equal(r.code, 0, r.err);
  const run2: TrainingFile = readJson(p('run2', 'training.json'));
  assert.equal(run2.initial_weights_commitment, run1.final_weights_commitment);
  // It trains on the dataset's next batch (position 3), not again on the first.
  const data = parseTrainingDataset(JSON.stringify(DATA), 'd.json', CONFIG);
  const salt = BigInt(readJson(p('run2', 'opening.json')).batch_salts[0]);
  assert.equal(hex32(packedCommitment(flattenBatch(batchOf(data, CONFIG, 3)), A, salt)), run2.proofs[0]!.batch);
  assert.equal(readJson(p('run2', 'opening.json')).next_step, 4);
  const joined = { ...run1, steps: 4, final_weights_commitment: run2.final_weights_commitment, proofs: [...run1.proofs, ...run2.proofs] };
  joined.batches_commitment = hex32(chainCommitment(joined.proofs.map((s) => BigInt(s.batch))));
  writeJson(p('joined.json'), joined);
  assert.equal((await check('joined.json', '--initial', run1.initial_weights_commitment)).code, 0);
  const again = await prove('w.json', 'd.json', 'run3', '1');
  assert.equal(again.code, 0, again.err);
  assert.notEqual(readJson(p('run3', 'training.json')).initial_weights_commitment, run1.initial_weights_commitment);
});

test('a final commitment to weights one unit off is rejected (the last proof does not verify)', async () => {
  const opening = readJson(p('run1', 'opening.json'));
  for (const d of [1, -1]) {
    const flat = flattenWeights(opening.weights as { w1: number[][]; b1: number[]; w2: number[][]; b2: number[] });
    flat[3] += d;
    const bad = hex32(packedCommitment(flat, A, BigInt(opening.weights_salt)));
    const r = await checkEdited(`off-${d}.json`, (f) => {
      f.proofs[2]!.weights_after = bad;
      f.final_weights_commitment = bad;
    });
    assert.equal(r.code, 1);
    assert.match(r.out, /INVALID: step 2: the proof does not verify/);
  }
});

test('swapped or dropped steps and a swapped batch commitment are rejected', async () => {
  const swapped = await checkEdited('swapped.json', (f) => ([f.proofs[1], f.proofs[2]] = [f.proofs[2]!, f.proofs[1]!]));
  assert.equal(swapped.code, 1);
  assert.match(swapped.out, /step 1 does not start from step 0's weights/);
  const dropped = await checkEdited('dropped.json', (f) => {
    f.proofs.splice(1, 1);
    f.steps = 2;
  });
  assert.equal(dropped.code, 1);
  const batch = await checkEdited('batch.json', (f) => {
    f.proofs[0]!.batch = f.proofs[1]!.batch;
    f.batches_commitment = hex32(chainCommitment(f.proofs.map((s) => BigInt(s.batch))));
  });
  assert.equal(batch.code, 1);
  assert.match(batch.out, /step 0: the proof does not verify/);
  const proofBytes = await checkEdited('bytes.json', (f) => (f.proofs[1]!.proof = f.proofs[0]!.proof));
  assert.equal(proofBytes.code, 1);
});

test('bad input: a wrong opening, a dataset with a wrong shape or a label out of range, an unreadable file → exit 2, nothing written', async () => {
  const opening = readJson(p('run1', 'opening.json'));
  const otherSalt = hex32(BigInt(opening.weights_salt) ^ 1n);
  writeJson(p('bad-opening.json'), { ...opening, weights_salt: otherSalt, weights_salts: [...opening.weights_salts.slice(0, -1), otherSalt] });
  writeJson(p('cut-opening.json'), { ...opening, weights_salts: opening.weights_salts.slice(1) });
  writeJson(p('shape.json'), { ...DATA, inputs: [DATA.inputs[0], [0.1, 0.2, 0.3], ...DATA.inputs.slice(2)] });
  writeJson(p('label.json'), { ...DATA, labels: [0, 2, 1, 0] });
  writeJson(p('range.json'), { ...DATA, inputs: [[9, 0], ...DATA.inputs.slice(1)] });
  const cases: [string, string, RegExp][] = [
    ['bad-opening.json', 'd.json', /bad-opening\.json: the weights and salt do not open weights_commitment/],
    ['cut-opening.json', 'd.json', /cut-opening\.json: batch_salts and weights_salts must be lists, one weights salt more/],
    ['w.json', 'shape.json', /shape\.json: inputs\[1\] must be a list of 2 numbers, got 3 values/],
    ['w.json', 'label.json', /label\.json: labels\[1\] = 2 is not a class in \[0, 2\)/],
    ['w.json', 'range.json', /range\.json: inputs\[0\]\[0\] = 9 is outside the range \[-8, 8\)/],
  ];
  for (const [w, d, msg] of cases) {
    const r = await prove(w, d, 'bad');
    assert.equal(r.code, 2, `${w} ${d}: ${r.err}`);
    assert.match(r.err, msg);
    assert.equal(existsSync(p('bad')), false, 'an output directory was written');
  }
  writeFileSync(p('cut.json'), readFileSync(p('run1', 'training.json'), 'utf8').slice(0, 500));
  assert.equal((await check('cut.json')).code, 2);
  writeFileSync(p('junk.bin'), 'not a key');
  assert.equal((await runCli('train-verify', p('run1', 'training.json'), '--vk', p('junk.bin'))).code, 2);
  assert.equal((await runCli('train-verify', p('run1', 'training.json'), '--vk', p('keys', 'pk.bin'))).code, 2);
});
