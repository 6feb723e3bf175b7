/** Scalar Fr helpers: the Euclidean inverse agrees with Fermat's a^(r−2); roots of unity have exact order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS, FR_TWO_ADICITY, frInv, frMul, frPow, frRandom, rootOfUnity } from '../../src/scalar/fr.ts';

const r = FR_MODULUS;

test('frInv equals a^(r−2) and inverts, on edge and random elements; zero is refused', () => {
  const xs = [1n, 2n, 3n, r - 1n, r - 2n, (r - 1n) / 2n, 1n << 200n, ...Array.from({ length: 50 }, frRandom).filter((x) => x !== 0n)];
  for (const a of xs) {
    const i = frInv(a);
    assert.equal(i, frPow(a, r - 2n), `a = ${a}`);
    assert.equal(frMul(a, i), 1n);
    assert.ok(i >= 0n && i < r);
  }
  assert.equal(frInv(-1n), r - 1n);
  assert.equal(frInv(r + 2n), frInv(2n));
  assert.throws(() => frInv(0n), RangeError);
  assert.throws(() => frInv(r), RangeError);
});

test('rootOfUnity(k) has order exactly 2^k (asked twice: the same value)', () => {
  for (const k of [1, 2, 13, 20, FR_TWO_ADICITY]) {
    const w = rootOfUnity(k);
    assert.equal(rootOfUnity(k), w);
    assert.equal(frPow(w, 1n << BigInt(k)), 1n);
    assert.notEqual(frPow(w, 1n << BigInt(k - 1)), 1n);
  }
  assert.throws(() => rootOfUnity(FR_TWO_ADICITY + 1), RangeError);
  assert.throws(() => rootOfUnity(-1), RangeError);
  assert.throws(() => rootOfUnity(1.5), RangeError);
});
