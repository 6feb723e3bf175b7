import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { MNIST_DIR, argmax, digitAsFloatInput, loadMnistTestSplit } from '../../examples/mnist/test-split.ts';

const MODEL = join(MNIST_DIR, 'model.onnx');

async function ortLogits(session: ort.InferenceSession, input: Float32Array): Promise<Float32Array> {
  const out = await session.run({ input: new ort.Tensor('float32', input, [1, 1, 28, 28]) });
  return out['logits']?.data as Float32Array;
}

test('held-aside MNIST split is intact: 1000 digits, 100 per class, checksum matches', () => {
  const split = loadMnistTestSplit();
  assert.equal(split.count, 1000);
  const perClass = new Array<number>(10).fill(0);
  for (const l of split.labels) perClass[l] = (perClass[l] as number) + 1;
  assert.deepEqual(perClass, new Array(10).fill(100));
});

test('bundled MNIST CNN reaches ≥ 95 % float accuracy on the held-aside split (onnxruntime-node)', async () => {
  const split = loadMnistTestSplit();
  const session = await ort.InferenceSession.create(MODEL);
  let correct = 0;
  for (let i = 0; i < split.count; i++) {
    if (argmax(await ortLogits(session, digitAsFloatInput(split, i))) === split.labels[i]) correct++;
  }
  const accuracy = correct / split.count;
  assert.ok(accuracy >= 0.95, `float accuracy ${accuracy}`);
  // The training script recorded the same number; a mismatch means model.onnx and model.json drifted apart.
  const info = JSON.parse(readFileSync(join(MNIST_DIR, 'model.json'), 'utf8')) as { test: { ort_accuracy: number } };
  assert.equal(accuracy, info.test.ort_accuracy);
});

test('bundled MNIST CNN is the small architecture the docs promise (≤ 100k MACs, NCHW input)', async () => {
  const session = await ort.InferenceSession.create(MODEL);
  assert.deepEqual(session.inputNames, ['input']);
  assert.deepEqual(session.outputNames, ['logits']);
  const info = JSON.parse(readFileSync(join(MNIST_DIR, 'model.json'), 'utf8')) as { macs: number };
  assert.ok(info.macs <= 100_000, `MACs ${info.macs}`);
});

test('MNIST sample inputs are the first test digits and are classified as labelled', async () => {
  const split = loadMnistTestSplit();
  const session = await ort.InferenceSession.create(MODEL);
  const dir = join(MNIST_DIR, 'samples');
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<string, number>;
  const files = readdirSync(dir).filter((f) => f.startsWith('digit-'));
  assert.ok(files.length >= 4);
  let correct = 0;
  for (const f of files) {
    const sample = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { input: number[]; shape: number[] };
    assert.deepEqual(sample.shape, [1, 1, 28, 28]);
    const i = Number(/digit-(\d+)\.json/.exec(f)?.[1]);
    assert.deepEqual(Float32Array.from(sample.input), digitAsFloatInput(split, i));
    assert.equal(labels[f], split.labels[i]);
    if (argmax(await ortLogits(session, Float32Array.from(sample.input))) === labels[f]) correct++;
  }
  assert.ok(correct >= files.length - 1, `${correct}/${files.length} samples classified correctly`);
});

// Quantized accuracy within 1 point of float on this split is asserted in test/model/quantize.test.ts.
