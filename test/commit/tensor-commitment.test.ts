/**
 * Tensor commitments: the reference (src/commit/tensor-commitment.ts) is a chain of poseidon-lite's
 * poseidon8 anyone can recompute; the gadget's public cell equals it; it binds (other values, another
 * length, a moved value → another commitment) and hides (the salt changes it, the values never appear in
 * the public values); the gadget's cells are pinned (tampering, freedom finder).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poseidon8 } from 'poseidon-lite';
import { FR_MODULUS, frFrom } from '../../src/scalar/fr.ts';
import { CircuitBuilder } from '../../src/circuit/builder.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { findFreedoms } from '../../src/circuit/underconstrained.ts';
import { commitCells } from '../../src/circuit/chips/commitment.ts';
import { poseidonRows } from '../../src/circuit/chips/poseidon.ts';
import {
  COMMIT_CHUNK,
  COMMIT_WIDTH,
  commitmentPermutations,
  commitTensor,
  randomSalt,
} from '../../src/commit/tensor-commitment.ts';
import { InvalidArgumentError } from '../../src/errors.ts';
import type { ModelCircuit } from '../../src/compiler/index.ts';
import { tamperCaught } from '../compiler/lowering-helpers.ts';

/** The scheme written out with poseidon-lite only, as a holder of an opening would recompute it. */
function commitWithPoseidonLite(values: readonly bigint[], salt: bigint): bigint {
  const elems = [BigInt(values.length), ...values.map((v) => ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS)];
  let h = salt;
  for (let i = 0; i < elems.length; i += 7) {
    const chunk = elems.slice(i, i + 7);
    while (chunk.length < 7) chunk.push(0n);
    h = poseidon8([h, ...chunk]);
  }
  return h;
}

function gadget(values: readonly bigint[], salt: bigint) {
  const b = new CircuitBuilder();
  const xs = b.privateInputs(values);
  const [s] = b.privateInputs([salt]);
  const c = commitCells(b, xs, s!);
  b.publicOutput(c);
  const built = b.build();
  const res = mockProve(built.cs, built.k, built.assignment);
  assert.deepEqual(res.failures.map(describe), []);
  return { built, inputs: [...xs, s!], c };
}

test('the reference equals a poseidon-lite poseidon8 chain (lengths 0, 1, 6, 7, 13, 100; signed values)', () => {
  assert.equal(COMMIT_WIDTH, 9);
  assert.equal(COMMIT_CHUNK, 7);
  for (const n of [0, 1, 6, 7, 13, 100]) {
    const values = Array.from({ length: n }, (_, i) => BigInt((i * 37) % 255) - 128n);
    const salt = randomSalt();
    assert.equal(commitTensor(values, salt), commitWithPoseidonLite(values, salt), `n = ${n}`);
    assert.equal(commitmentPermutations(n), Math.ceil((n + 1) / 7));
  }
});

test('the gadget publishes the reference commitment (one and several permutations) in 88 rows per permutation', () => {
  for (const values of [[3n, -4n, 5n], Array.from({ length: 20 }, (_, i) => BigInt(i * i - 50))]) {
    const salt = randomSalt();
    const { built, c } = gadget(values, salt);
    assert.equal(c.value, commitTensor(values, salt));
    assert.deepEqual(built.instances, [[commitTensor(values, salt)]]);
    assert.equal(built.rows, values.length + 1 + poseidonRows(9) * commitmentPermutations(values.length));
    assert.equal(poseidonRows(9), 88);
  }
});

test('binding: another value, a swapped pair, a trailing or leading zero, a dropped element or negated values gives another commitment', () => {
  const salt = randomSalt();
  const v = [1n, 2n, 3n, 4n, 5n, 6n, 7n];
  const c = commitTensor(v, salt);
  const others = [[1n, 2n, 3n, 4n, 5n, 6n, 8n], [2n, 1n, 3n, 4n, 5n, 6n, 7n], [...v, 0n], [0n, ...v], v.slice(0, 6), v.map((x) => -x)];
  for (const o of others) assert.notEqual(commitTensor(o, salt), c, `[${o.join(', ')}]`);
  // Values are residues mod r: v and v + r are the same field element (the circuit cannot tell them apart).
  assert.equal(commitTensor([1n + FR_MODULUS, ...v.slice(1)], salt), c);
});

test('hiding: the salt changes the commitment; the public values of the gadget hold no input value', () => {
  const v = [11n, -22n, 33n];
  assert.notEqual(commitTensor(v, randomSalt()), commitTensor(v, randomSalt()));
  const { built } = gadget(v, randomSalt());
  assert.equal(built.instances[0]!.length, 1);
  for (const x of v) assert.ok(!built.instances[0]!.includes(frFrom(x)));
});

test('salts: random ones are field elements and differ; a salt outside [0, r) is refused', () => {
  const s = new Set(Array.from({ length: 50 }, randomSalt));
  assert.equal(s.size, 50);
  for (const x of s) assert.ok(x >= 0n && x < FR_MODULUS);
  assert.throws(() => commitTensor([1n], FR_MODULUS), InvalidArgumentError);
  assert.throws(() => commitTensor([1n], -1n), InvalidArgumentError);
});

test('gadget soundness over two chained permutations: tampering sweep rejected, freedom finder reports nothing', () => {
  const { built, inputs } = gadget([5n, -6n, 7n, 8n, -9n, 10n, 11n, 12n], 987654321n);
  assert.equal(commitmentPermutations(8), 2);
  assert.ok(tamperCaught(built as unknown as ModelCircuit, 3) > 100);
  assert.deepEqual(findFreedoms(built.cs, built.k, built.assignment, { inputs: inputs.map((x) => x.cell) }), []);
});
