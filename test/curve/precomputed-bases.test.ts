// Combinations over precomputed bases (src/curve/precomputed-bases.ts: byte rows of the bases, one 8-bit
// bucket pass) equal the plain WASM multiexp and the noble reference, on the first (plain) call and the later
// (table) ones alike.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { g1ByteRowsWasm, g1CombineWasm } from '../../src/curve/bn254-wasm.ts';
import { g1LinearCombinationNoble } from '../../src/curve/noble.ts';
import { PrecomputedBases } from '../../src/curve/precomputed-bases.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { g1, rnd } from './random-points.ts';

const r = FR_MODULUS;


describe('precomputed bases', () => {
  test('byte rows are 2^(8j)·B, the identity staying zero', async () => {
    const bases = [g1(rnd()), new Uint8Array(64), g1(1n)];
    const rows = await g1ByteRowsWasm(bases);
    assert.equal(rows.length, bases.length * 32 * 64);
    for (const [i, b] of bases.entries())
      for (const j of [0, 1, 7, 31]) {
        const want = g1LinearCombinationNoble([b], [1n << BigInt(8 * j)]);
        assert.deepEqual(rows.slice((i * 32 + j) * 64, (i * 32 + j + 1) * 64), want, `base ${i}, row ${j}`);
      }
  });

  test('combinations equal the plain multiexp and noble: zero scalars, r−1, 2^256−1 bytes, the identity, repeated points', async () => {
    for (const [m, n] of [[1, 0], [3, 2], [20, 7], [89, 35]] as const) {
      const bases = Array.from({ length: m }, () => g1(rnd()));
      if (m >= 3) {
        bases[1] = new Uint8Array(64); // the identity as a base
        bases[2] = bases[0]!; // the same base twice
      }
      const pre = new PrecomputedBases(bases);
      for (let round = 0; round < 3; round++) {
        const a = Array.from({ length: m }, () => rnd());
        const points = Array.from({ length: n }, () => g1(rnd()));
        const s = Array.from({ length: n }, () => rnd());
        if (m >= 3) {
          a[0] = round === 0 ? 0n : r - 1n;
          a[2] = round === 2 ? a[0]! : r - 1n;
        }
        if (m >= 20) {
          a[3] = (1n << 248n) - 1n; // every byte 0xff but the top one
          a[4] = 1n << 200n; // one nonzero byte
          a[5] = -7n; // taken mod r
        }
        if (n >= 2) {
          points[1] = bases[0]!; // a key point also among the others
          s[0] = 0n;
        }
        const all = [...bases, ...points];
        const scalars = [...a, ...s].map((v) => ((v % r) + r) % r);
        const want = g1LinearCombinationNoble(all, scalars);
        assert.deepEqual(await g1CombineWasm(all, scalars), want, `m ${m}, n ${n}: plain vs noble`);
        assert.deepEqual(await pre.combine(a, points, s), want, `m ${m}, n ${n}, combination ${round + 1}`);
      }
    }
  });

  test('a combination that cancels gives the identity (table path)', async () => {
    const s = rnd();
    const pre = new PrecomputedBases([g1(s), g1(1n)]);
    await pre.combine([1n, 1n], [], []);
    assert.deepEqual(await pre.combine([1n, r - s], [], []), new Uint8Array(64));
    assert.deepEqual(await pre.combine([0n, 0n], [g1(5n)], [r - 5n]), g1LinearCombinationNoble([g1(5n)], [r - 5n]));
    assert.deepEqual(await pre.combine([1n, 0n], [g1(1n)], [r - s]), new Uint8Array(64));
  });

  test('startsWith() tells the same points from changed ones', () => {
    const bases = [g1(rnd()), g1(rnd())];
    const pre = new PrecomputedBases(bases);
    assert.equal(pre.startsWith(bases), true);
    assert.equal(pre.startsWith(bases.map((b) => b.slice())), true);
    assert.equal(pre.startsWith([bases[0]!]), true); // a prefix
    assert.equal(pre.startsWith([...bases, bases[0]!]), false);
    const changed = bases[1]!.slice();
    changed[5] ^= 1;
    assert.equal(pre.startsWith([bases[0]!, changed]), false);
  });
});
