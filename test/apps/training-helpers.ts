/** Seeded small MLPs and batches for the training tests (integers at scale 2^s). */
import type { IntBatch, IntWeights, TrainConfig } from '../../src/apps/training/reference.ts';

export const SMALL: TrainConfig = { inputs: 8, hidden: 8, classes: 4, batch: 4, scaleBits: 8, lrShift: 2, actBits: 12 };
export const TINY: TrainConfig = { inputs: 2, hidden: 2, classes: 2, batch: 2, scaleBits: 4, lrShift: 1, actBits: 8 };

/** A linear congruential generator in [0, 1) (deterministic across runs). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Weights uniform in ±spread and a batch of inputs uniform in ±1, labels cycling through the classes. */
export function sample(c: TrainConfig, seed: number, spread = 0.5): { w: IntWeights; batch: IntBatch } {
  const r = rng(seed);
  const q = (v: number) => Math.round(v * 2 ** c.scaleBits);
  const mat = (a: number, b: number, s: number) => Array.from({ length: a }, () => Array.from({ length: b }, () => q((2 * r() - 1) * s)));
  const w = { w1: mat(c.inputs, c.hidden, spread), b1: mat(1, c.hidden, 0.1)[0]!, w2: mat(c.hidden, c.classes, spread), b2: mat(1, c.classes, 0.1)[0]! };
  const batch = { x: mat(c.batch, c.inputs, 1), y: Array.from({ length: c.batch }, () => Math.floor(r() * c.classes)) };
  return { w, batch };
}
