// Beside a key's byte rows, the other points of a repeated combination (g1CombineRowsWasm, here with no rows)
// run the module's bucket multiexp (src/curve/bn254-wasm.ts): scalars at every carry pattern of signed
// digits agree with noble, as do identity bases, zero scalars, repeated and opposite points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { g1CombineRowsWasm } from '../../src/curve/bn254-wasm.ts';
import { g1LinearCombinationNoble } from '../../src/curve/noble.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { g1, rnd } from './random-points.ts';

const r = FR_MODULUS;
const none = new Uint8Array(0);
const combine = (points: Uint8Array[], scalars: bigint[]) => g1CombineRowsWasm(none, none, points, scalars);

test('scalars whose signed digits carry: small values, runs of ones, 2^k ± 1, r − 1, the top bits', async () => {
  const scalars: bigint[] = [1n, 2n, 3n, 15n, 16n, 17n, 31n, 32n, 33n, 0x1fn, 0xffffn, r - 1n, r - 2n, r - 16n, (1n << 253n) - 1n, 1n << 253n, (1n << 253n) + 1n];
  for (let k = 4; k < 254; k += 23) scalars.push((1n << BigInt(k)) - 1n, (1n << BigInt(k)) + 1n, ((1n << BigInt(k)) - 1n) * 0x5n);
  for (const s of scalars) {
    const p = g1(rnd());
    assert.deepEqual(await combine([p], [s % r]), g1LinearCombinationNoble([p], [s % r]), `s = ${s}`);
  }
  const points = scalars.map(() => g1(rnd()));
  const reduced = scalars.map((s) => s % r);
  assert.deepEqual(await combine(points, reduced), g1LinearCombinationNoble(points, reduced));
});

test('identity bases, zero scalars, the same point twice, P and −P, sums that cancel', async () => {
  const p = g1(rnd());
  const q = g1(rnd());
  const s = rnd();
  const cases: [Uint8Array[], bigint[]][] = [
    [[new Uint8Array(64)], [s]],
    [[p, new Uint8Array(64), q], [s, 5n, 0n]],
    [[p, p], [s, s]],
    [[p, p, q], [1n, r - 1n, 7n]],
    [[g1(s), g1(1n)], [1n, r - s]],
    [[p, q, p, q], [0n, 0n, 0n, 0n]],
  ];
  for (const [points, scalars] of cases)
    assert.deepEqual(await combine(points, scalars), g1LinearCombinationNoble(points, scalars), `${points.length} points`);
  assert.deepEqual(await combine([g1(s), g1(1n)], [1n, r - s]), new Uint8Array(64));
});
