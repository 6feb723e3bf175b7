/**
 * The training commitments (src/apps/training/commitment.ts): the packed words written out by hand and
 * hashed with poseidon-lite give the same commitment (anyone can recompute it); it binds (one value one
 * unit off, two values swapped → another commitment) and hides behind the salt (another salt → another
 * commitment); a value outside the packed range is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poseidon8 } from 'poseidon-lite';
import { packedCommitment, packValues, packWidth } from '../../src/apps/training/commitment.ts';
import { InvalidArgumentError } from '../../src/errors.ts';

const A = 12;
const values = Array.from({ length: 50 }, (_, i) => ((i * 977) % 4000) - 2000);

test('a commitment is poseidon-lite over the packed words: P = ⌊252/A⌋ offset A-bit digits, little-endian', () => {
  assert.equal(packWidth(A), 21);
  const words: bigint[] = [];
  for (let j = 0; j < values.length; j += 21) words.push(values.slice(j, j + 21).reduce((w, v, i) => w + BigInt(v + 2048) * 2n ** BigInt(12 * i), 0n));
  assert.deepEqual(packValues(values, A), words);
  // The tensor commitment: h ← salt; h ← Poseidon(h, 7 elements of [count, words…], zero-padded).
  const elems = [BigInt(words.length), ...words];
  let h = 5n;
  for (let i = 0; i < elems.length; i += 7) {
    const chunk = elems.slice(i, i + 7);
    while (chunk.length < 7) chunk.push(0n);
    h = poseidon8([h, ...chunk]);
  }
  assert.equal(packedCommitment(values, A, 5n), h);
});

test('binding and hiding: one unit off, two values swapped or another salt give another commitment', () => {
  const c = packedCommitment(values, A, 7n);
  for (const i of [0, 20, 21, 49])
    for (const d of [1, -1]) assert.notEqual(packedCommitment(values.map((v, j) => (j === i ? v + d : v)), A, 7n), c, `value ${i} ${d}`);
  const swapped = [...values];
  [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
  assert.notEqual(packedCommitment(swapped, A, 7n), c);
  assert.notEqual(packedCommitment(values, A, 8n), c);
  assert.throws(() => packValues([2048], A), InvalidArgumentError);
  assert.throws(() => packValues([-2049], A), InvalidArgumentError);
});
