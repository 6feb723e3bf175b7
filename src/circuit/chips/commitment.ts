/**
 * Tensor commitment gadget: the cells of a tensor and a salt cell hashed as src/commit/tensor-commitment.ts
 * defines (h ← salt; per chunk of 7 of [n, v…], zero-padded: h ← Poseidon(h, chunk)), one Poseidon chip
 * (width 9) per chunk. The value cells are copied into the permutations' first rows; the count and the
 * padding are constant cells (pinned by the verifying key); each chaining value is a copy of the previous
 * permutation's output. Returns the commitment cell (make it public to expose the commitment).
 *
 * Rows: 88 per permutation, ⌈(n + 1)/7⌉ permutations (about 12.6 rows per committed value).
 */
import { COMMIT_CHUNK, commitmentPermutations, commitTensor } from '../../commit/tensor-commitment.ts';
import { CircuitError } from '../../errors.ts';
import { frFrom } from '../../scalar/fr.ts';
import type { CircuitBuilder, Value } from '../builder.ts';
import { poseidonHashCells } from './poseidon.ts';

export function commitCells(b: CircuitBuilder, values: readonly Value[], salt: Value): Value {
  const elems: Value[] = [b.constant(values.length), ...values];
  const chunks = commitmentPermutations(values.length);
  let h = salt;
  for (let i = 0; i < chunks; i++) {
    const chunk = elems.slice(i * COMMIT_CHUNK, (i + 1) * COMMIT_CHUNK);
    while (chunk.length < COMMIT_CHUNK) chunk.push(b.constant(0));
    h = poseidonHashCells(b, [h, ...chunk]);
  }
  // The gadget and the reference are one definition: a drift here is a bug, not a user error.
  const ref = commitTensor(values.map((v) => v.value), frFrom(salt.value));
  if (h.value !== ref) throw new CircuitError(`internal: commitment gadget ${h.value} differs from the reference ${ref}`);
  return h;
}
