/**
 * The trustless audit on the command line: audit-setup, audit-commit, audit, audit-verify on a small
 * two-class model.
 * The proven counts equal the integer reference over the dataset for each metric; a stated metric one count
 * off, a proof swapped with another sample's or another audit's, a dropped proof and another metric's key
 * are rejected (exit 1); a dataset with a wrong shape, a label out of range or a count mismatch stops audit
 * with exit 2 and no audit file.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { readZkc } from '../../src/api/zkc.ts';
import { evaluateIntQ, parseInputs, quantizeInput } from '../../src/model/index.ts';
import { argmaxFirst, metricResult, referenceCounts } from '../../src/apps/audit/metric.ts';

let dir: string;
const p = (...xs: string[]) => join(dir, ...xs);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const writeJson = (path: string, v: unknown) => writeFileSync(path, JSON.stringify(v));
const XS = [
  [0.5, -0.25, 0.75, 0.125],
  [0.25, 0.5, -0.5, 0.375],
  [-0.75, 0.5, 0.25, -0.5],
  [0.9, 0.1, -0.3, 0.6],
  [-0.2, -0.8, 0.4, 0.1],
];
let preds: number[];
let labels: number[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-audit-'));
  writeFileSync(p('m.onnx'), writeOnnx(tinyModel()));
  writeJson(p('calib.json'), { samples: XS.map((input) => ({ input })) });
  const c = await runCli('compile', p('m.onnx'), '-o', p('c'), '--calibrate', p('calib.json'), '--scale-bits', '6');
  assert.equal(c.code, 0, c.err);
  // The integer reference's predictions; labels agree with them on the first three samples only.
  const { model } = readZkc(p('c', 'model.zkc'));
  preds = parseInputs(model.graph, readFileSync(p('calib.json'), 'utf8')).map((s) => argmaxFirst(evaluateIntQ(model, { x: quantizeInput('x', s.x!, model.settings) }).y!.data));
  labels = preds.map((y, i) => (i < 3 ? y : 1 - y));
  writeJson(p('data.json'), { samples: XS.map((input) => ({ input })), labels });
  writeJson(p('data2.json'), { samples: XS.slice(0, 2).map((input) => ({ input })), labels: labels.slice(0, 2) });
  for (const metric of ['accuracy', 'confusion', 'per-class-rate']) {
    const s = await runCli('audit-setup', p('c', 'model.zkc'), '--metric', metric, '--dev', '-o', p(metric));
    assert.equal(s.code, 0, s.err);
  }
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

const audit = (metric: string, data: string, out: string) =>
  runCli('audit', p('c', 'model.zkc'), '--data', p(data), '--metric', metric, '--pk', p(metric, 'pk.bin'), '-o', p(out));
const check = (file: string, metric = 'accuracy') => runCli('audit-verify', p(file), '--vk', p(metric, 'vk.bin'));

test('accuracy: the proven metric is the integer reference over the dataset; audit-verify shows only commitments and the metric', async () => {
  const r = await audit('accuracy', 'data.json', 'acc.json');
  assert.equal(r.code, 0, r.err);
  const a = readJson(p('acc.json'));
  assert.deepEqual(a.counts, referenceCounts('accuracy', 2, labels, preds));
  assert.deepEqual(a.result, { accuracy: 3 / 5, correct: 3, total: 5 });
  assert.equal(a.samples, 5);
  const v = await runCli('audit-verify', p('acc.json'), '--vk', p('accuracy', 'vk.bin'), '--json');
  assert.equal(v.code, 0, v.out);
  const report = JSON.parse(v.out);
  assert.deepEqual(report.result, a.result);
  assert.equal(report.dataset_commitment, a.dataset_commitment);
  const plainVerify = await runCli('verify', p('acc.json'), '--vk', p('accuracy', 'vk.bin'));
  assert.equal(plainVerify.code, 0, plainVerify.out);
  assert.match(plainVerify.out, /verified .*accuracy.* over 5 samples/);
  // Each proof's public values are four commitments (input, label, counts before, counts after): no output, no label.
  for (const proof of a.proofs) {
    assert.deepEqual(proof.public.map((e: { kind: string }) => e.kind), ['commitment', 'commitment', 'commitment', 'commitment']);
    assert.deepEqual(proof.outputs, []);
  }
});

test('confusion and per-class-rate equal the reference', async () => {
  for (const metric of ['confusion', 'per-class-rate']) {
    assert.equal((await audit(metric, 'data.json', `${metric}.json`)).code, 0);
    const a = readJson(p(`${metric}.json`));
    const counts = referenceCounts(metric as 'confusion', 2, labels, preds);
    assert.deepEqual(a.counts, counts);
    assert.deepEqual(a.result, metricResult(metric as 'confusion', 2, counts, 5));
    assert.equal((await check(`${metric}.json`, metric)).code, 0);
  }
});

test('a stated metric one count off is rejected', async () => {
  const a = readJson(p('acc.json'));
  const forgeries: [string, (x: typeof a) => void][] = [
    ['counts +1', (x) => (x.counts[0] += 1)],
    ['counts −1', (x) => (x.counts[0] -= 1)],
    ['result +1', (x) => ((x.result.correct += 1), (x.result.accuracy = 4 / 5))],
    ['counts and result +1', (x) => ((x.counts[0] += 1), (x.result = { accuracy: 4 / 5, correct: 4, total: 5 }))],
    ['one sample fewer', (x) => ((x.samples -= 1), x.proofs.pop(), (x.result = { accuracy: 3 / 4, correct: 3, total: 4 }))],
  ];
  for (const [what, edit] of forgeries) {
    const f = structuredClone(a);
    edit(f);
    writeJson(p('forged.json'), f);
    const v = await check('forged.json');
    assert.equal(v.code, 1, `${what}: ${v.out}`);
    assert.match(v.out, /INVALID/);
  }
});

test("a proof swapped with another sample's or another audit's is rejected, and so is another metric's key", async () => {
  assert.equal((await audit('accuracy', 'data.json', 'acc-b.json')).code, 0);
  assert.equal((await audit('accuracy', 'data2.json', 'acc-2.json')).code, 0);
  const [a, b, other] = [readJson(p('acc.json')), readJson(p('acc-b.json')), readJson(p('acc-2.json'))];
  assert.notEqual(a.dataset_commitment, b.dataset_commitment, 'fresh salts: another dataset commitment');
  const cases: [string, (x: typeof a) => void, RegExp][] = [
    ['two samples swapped', (x) => ([x.proofs[1], x.proofs[2]] = [x.proofs[2], x.proofs[1]]), /does not continue/],
    ['the same sample of another run', (x) => (x.proofs[2] = b.proofs[2]), /does not continue/],
    ["another dataset's first proof", (x) => (x.proofs[0] = other.proofs[0]), /does not continue/],
    ["another run's dataset commitment", (x) => (x.dataset_commitment = b.dataset_commitment), /dataset commitment/],
    ["another run's labels commitment", (x) => (x.labels_commitment = b.labels_commitment), /labels commitment/],
  ];
  for (const [what, edit, msg] of cases) {
    const f = structuredClone(a);
    edit(f);
    writeJson(p('swapped.json'), f);
    const v = await check('swapped.json');
    assert.equal(v.code, 1, `${what}: ${v.out}`);
    assert.match(v.out, msg, what);
  }
  const wrongKey = await check('acc.json', 'confusion');
  assert.equal(wrongKey.code, 1);
  assert.match(wrongKey.out, /not an audit key for accuracy/);
});

test('a dataset committed before the audit: the audit under its opening states the published commitments; audit-verify --dataset checks them', async () => {
  const model = p('c', 'model.zkc');
  for (const out of ['dc', 'dc2']) assert.equal((await runCli('audit-commit', model, '--data', p('data.json'), '-o', p(out))).code, 0);
  const [pub, pub2] = [readJson(p('dc', 'dataset-commitment.json')), readJson(p('dc2', 'dataset-commitment.json'))];
  assert.notEqual(pub.dataset_commitment, pub2.dataset_commitment, 'another seed, another commitment');
  const r = await runCli('audit', model, '--data', p('data.json'), '--metric', 'accuracy', '--pk', p('accuracy', 'pk.bin'), '-o', p('acc-c.json'), '--opening', p('dc', 'dataset-opening.json'));
  assert.equal(r.code, 0, r.err);
  const a = readJson(p('acc-c.json'));
  assert.equal(a.dataset_commitment, pub.dataset_commitment);
  assert.equal(a.labels_commitment, pub.labels_commitment);
  const withDataset = (file: string, dc: string) => runCli('audit-verify', p(file), '--vk', p('accuracy', 'vk.bin'), '--dataset', p(dc, 'dataset-commitment.json'));
  assert.equal((await withDataset('acc-c.json', 'dc')).code, 0);
  for (const [file, dc] of [['acc-c.json', 'dc2'], ['acc.json', 'dc']]) {
    const v = await withDataset(file!, dc!);
    assert.equal(v.code, 1, `${file} against ${dc}`);
    assert.match(v.out, /not over the expected dataset/);
  }
  const again = await runCli('audit-commit', model, '--data', p('data.json'), '-o', p('dc'));
  assert.equal(again.code, 2);
  assert.match(again.err, /exists; refusing to overwrite/);
});

test('a bad dataset or key: exit 2 with a clear error and no audit file', async () => {
  const good = readJson(p('data.json'));
  const cases: [string, unknown, RegExp][] = [
    ['wrong shape', { ...good, samples: [{ input: [0.1, 0.2, 0.3] }, ...good.samples.slice(1)] }, /sample 0: input 'x': has 3 values/],
    ['label out of range', { ...good, labels: [0, 2, 0, 1, 1] }, /label 1 is 2, not a class of the model \(an integer in \[0, 1\]\)/],
    ['negative label', { ...good, labels: [0, 1, -1, 1, 1] }, /label 2 is -1/],
    ['fractional label', { ...good, labels: [0.5, 1, 0, 1, 1] }, /label 0 is 0.5/],
    ['fewer labels', { ...good, labels: [0, 1] }, /5 samples but 2 labels/],
    ['no samples', { samples: [], labels: [] }, /non-empty/],
  ];
  for (const [what, data, msg] of cases) {
    writeJson(p('bad.json'), data);
    const r = await audit('accuracy', 'bad.json', 'bad-audit.json');
    assert.equal(r.code, 2, `${what}: ${r.err}`);
    assert.match(r.err, msg, what);
    assert.ok(!existsSync(p('bad-audit.json')), `${what}: no audit file`);
  }
  const r = await runCli('audit', p('c', 'model.zkc'), '--data', p('data.json'), '--metric', 'confusion', '--pk', p('accuracy', 'pk.bin'), '-o', p('bad-audit.json'));
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /not the confusion audit key/);
  assert.ok(!existsSync(p('bad-audit.json')));
  const m = await runCli('audit', p('c', 'model.zkc'), '--data', p('data.json'), '--metric', 'f1', '--pk', p('accuracy', 'pk.bin'), '-o', p('bad-audit.json'));
  assert.equal(m.code, 2);
  assert.match(m.err, /--metric must be one of accuracy, confusion, per-class-rate/);
});
