/**
 * Writes examples/hidden-input/model.onnx: a tiny text classifier over a 16-word vocabulary (vocab.json).
 *
 *   ids [1, 6] (int64 token ids) → Gather(embedding [16, 8]) → Flatten [1, 48]
 *     → Gemm(48 → 16) → Relu → Gemm(16 → 3) → scores [1, 3]  (negative, neutral, positive)
 *
 * The weights are seeded, not trained: the example is about the proof, not the classifier. The embedding
 * of a word is a fixed random vector plus a sentiment direction (words 8–11 negative, 12–15 positive), so
 * the scores still move with the words. Reproducible bit for bit (test/examples/hidden-input.test.ts).
 *
 *   node --import tsx examples/hidden-input/make-model.ts [out.onnx]
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';

export const VOCAB = 16;
export const TOKENS = 6;
const DIM = 8;
const HIDDEN = 16;

/** A seeded uniform generator in [−a, a) (32-bit LCG: the same numbers on every platform). */
function uniform(seed: number): (a: number) => number {
  let x = seed >>> 0;
  return (a) => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return (x / 2 ** 32 - 0.5) * 2 * a;
  };
}

export function hiddenInputModel(): Graph {
  const r = uniform(16);
  const sentiment = (w: number) => (w >= 12 ? 1 : w >= 8 ? -1 : 0);
  const emb = Array.from({ length: VOCAB * DIM }, (_, i) => r(0.3) + (i % DIM === 0 ? 0.5 * sentiment(Math.floor(i / DIM)) : 0));
  const w1 = Array.from({ length: HIDDEN * TOKENS * DIM }, () => r(0.25));
  // Hidden unit 0 sums the sentiment direction of every token; unit 1 its opposite.
  for (let t = 0; t < TOKENS; t++) {
    w1[0 * TOKENS * DIM + t * DIM] = 0.6;
    w1[1 * TOKENS * DIM + t * DIM] = -0.6;
  }
  const w2 = Array.from({ length: 3 * HIDDEN }, () => r(0.2));
  w2[2 * HIDDEN + 0] = 1; // positive ← unit 0
  w2[0 * HIDDEN + 1] = 1; // negative ← unit 1
  return {
    name: 'hidden-input-text',
    opset: 17,
    inputs: [{ name: 'ids', dtype: 'int64', shape: [1, TOKENS] }],
    outputs: [{ name: 'scores', dtype: 'float32', shape: [1, 3] }],
    initializers: {
      emb: floatTensor([VOCAB, DIM], emb),
      w1: floatTensor([HIDDEN, TOKENS * DIM], w1),
      b1: floatTensor([HIDDEN], Array.from({ length: HIDDEN }, () => r(0.05))),
      w2: floatTensor([3, HIDDEN], w2),
      b2: floatTensor([3], [0, 0.1, 0]),
    },
    valueInfo: {},
    nodes: [
      { op: 'Gather', name: 'embed', inputs: ['emb', 'ids'], outputs: ['e'], attrs: { axis: attr.int(0) } },
      { op: 'Flatten', name: 'flat', inputs: ['e'], outputs: ['f'], attrs: { axis: attr.int(1) } },
      { op: 'Gemm', name: 'fc1', inputs: ['f', 'w1', 'b1'], outputs: ['h'], attrs: { transB: attr.int(1) } },
      { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['hr'], attrs: {} },
      { op: 'Gemm', name: 'fc2', inputs: ['hr', 'w2', 'b2'], outputs: ['scores'], attrs: { transB: attr.int(1) } },
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? fileURLToPath(new URL('./model.onnx', import.meta.url));
  writeFileSync(out, writeOnnx(hiddenInputModel()));
  console.log(`wrote ${out}`);
}
