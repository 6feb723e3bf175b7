/**
 * The held-aside MNIST test split that the accuracy claims of examples/mnist/model.onnx are checked on.
 *
 * Files (written by scripts/examples/train-mnist.ts, never used for training):
 * - `test-split.json`: `{ count, height, width, labels: number[], pixels: "test-split.u8.gz", sha256, source }`
 * - `test-split.u8.gz`: gzip of `count·height·width` uint8 pixels, digit after digit, row-major.
 * The model's float input is `pixel / 255` in NCHW `[1, 1, 28, 28]`.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { FormatError } from '../../src/errors.ts';

/** Directory of the bundled MNIST example (model.onnx, samples/, the test split). */
export const MNIST_DIR = dirname(fileURLToPath(import.meta.url));

export interface MnistSplit {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  /** `count·height·width` uint8 pixels. */
  readonly pixels: Uint8Array;
  readonly labels: readonly number[];
}

export interface MnistSplitIndex {
  count: number;
  height: number;
  width: number;
  labels: number[];
  pixels: string;
  sha256: string;
  source: string;
}

/** Reads and checks the committed test split (sizes, label range, pixel checksum). */
export function loadMnistTestSplit(dir: string = MNIST_DIR): MnistSplit {
  const indexPath = join(dir, 'test-split.json');
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as MnistSplitIndex;
  const pixels = new Uint8Array(gunzipSync(readFileSync(join(dir, index.pixels))));
  const { count, height, width, labels } = index;
  if (pixels.length !== count * height * width) {
    throw new FormatError(indexPath, `pixel file holds ${pixels.length} bytes, expected ${count}·${height}·${width}`);
  }
  if (labels.length !== count || labels.some((l) => !Number.isInteger(l) || l < 0 || l > 9)) {
    throw new FormatError(indexPath, `expected ${count} labels in 0..9`);
  }
  const digest = createHash('sha256').update(pixels).digest('hex');
  if (digest !== index.sha256) throw new FormatError(indexPath, `pixel checksum ${digest} != ${index.sha256}`);
  return { count, height, width, pixels, labels };
}

/** Digit `i` as the model's float input: NCHW `[1, 1, H, W]` flattened, values `pixel / 255`. */
export function digitAsFloatInput(split: MnistSplit, i: number): Float32Array {
  const n = split.height * split.width;
  const out = new Float32Array(n);
  const base = i * n;
  for (let j = 0; j < n; j++) out[j] = (split.pixels[base + j] as number) / 255;
  return out;
}

/** Index of the largest value (first one on ties), i.e. the predicted class. */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
