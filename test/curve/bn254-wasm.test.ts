// The verifier's WASM curve path (src/curve/bn254-wasm.ts) against the @noble/curves reference
// (src/curve/noble.ts): G1 combinations, pairing checks and G2 validation agree on valid and invalid inputs,
// and the module wasmcurves ships prebuilt is the one its generator (and so ffjavascript) builds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { bn254 } from '@noble/curves/bn254.js';
import bn128 from 'wasmcurves/build/bn128_wasm.js';
import { g1CombineWasm, g2IsValidWasm, pairingCheckWasm } from '../../src/curve/bn254-wasm.ts';
import { g1FromNoble, g1LinearCombinationNoble, g2FromNoble, g2IsValidNoble, pairingCheckNoble } from '../../src/curve/noble.ts';
import { fqToMont, writeLE32 } from '../../src/curve/g1.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { g1, rnd } from './random-points.ts';

const r = FR_MODULUS;
const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;

const g2 = (s: bigint): Uint8Array => g2FromNoble(G2.BASE.multiply(s % r || 1n));

describe('BN254 WASM curve path vs noble', () => {
  test('the prebuilt module is the one wasmcurves generates (bytes and layout)', async () => {
    const { ModuleBuilder } = (await import('wasmbuilder')) as unknown as { ModuleBuilder: new () => { setMemory(n: number): void; build(): number[]; modules: Record<string, Record<string, unknown>> } };
    const buildBn128 = (await import('wasmcurves/src/bn128/build_bn128.js')).default as (m: unknown) => void;
    const mb = new ModuleBuilder();
    mb.setMemory(25);
    buildBn128(mb);
    assert.deepEqual(Buffer.from(mb.build()), Buffer.from(bn128.code, 'base64'));
    for (const k of ['pOneT', 'prePSize', 'preQSize'] as const) assert.equal(mb.modules.bn128![k], bn128[k], k);
  });

  test('the ES module the build writes (dist/curve/bn128-code.js) holds the same code and layout', async (t) => {
    const built = new URL('../../dist/curve/bn128-code.js', import.meta.url);
    if (!existsSync(built)) return t.skip('no build (node scripts/build.mjs)');
    const esm = (await import(built.href)) as Record<string, unknown>;
    for (const k of ['code', 'pOneT', 'prePSize', 'preQSize', 'q', 'r'] as const) assert.equal(esm[k], bn128[k], k);
  });

  test('G1 combinations equal noble: sizes 0..300, identity bases, scalars 0, 1 and r−1, repeated and opposite points', async () => {
    for (const n of [0, 1, 2, 3, 7, 16, 33, 100, 300]) {
      const points = Array.from({ length: n }, () => g1(rnd()));
      const scalars = Array.from({ length: n }, () => rnd());
      if (n >= 3) {
        points[0] = new Uint8Array(64);
        scalars[1] = 0n;
        scalars[2] = r - 1n;
      }
      if (n >= 7) {
        points[4] = points[3]!; // the same base twice with the same scalar: a bucket doubles
        scalars[4] = scalars[3]!;
        points[6] = g1FromNoble(G1.BASE.negate()); // −[1]
        points[5] = g1(1n);
        scalars[6] = scalars[5]!; // s·[1] + s·(−[1]) cancels
      }
      const want = n === 0 ? new Uint8Array(64) : g1LinearCombinationNoble(points, scalars);
      assert.deepEqual(await g1CombineWasm(points, scalars), want, `n = ${n}`);
    }
    // A combination that sums to the identity comes back as the all-zero encoding.
    const s = rnd();
    assert.deepEqual(await g1CombineWasm([g1(s), g1(1n)], [1n, r - s]), new Uint8Array(64));
  });

  test('pairing checks agree with noble on holding and failing equations of 1 to 4 pairs', async () => {
    for (let pairs = 1; pairs <= 4; pairs++) {
      // Π e(a_i[1], b_i[1]) · e(−Σ a_i b_i [1], [1]) = 1, and the same with one coefficient off by one.
      const a = Array.from({ length: pairs - 1 }, rnd);
      const b = Array.from({ length: pairs - 1 }, rnd);
      const sum = a.reduce((acc, ai, i) => (acc + ai * b[i]!) % r, 0n);
      for (const off of [0n, 1n]) {
        const list: [Uint8Array, Uint8Array][] = a.map((ai, i) => [g1(ai), g2(b[i]!)]);
        list.push([g1(r - sum + off), g2(1n)]);
        if (pairs === 1 && off === 0n) continue; // e(0·[1], ·): the identity is the caller's to skip
        const want = pairingCheckNoble(list);
        assert.equal(want, off === 0n, `reference, ${pairs} pairs, off ${off}`);
        assert.equal(await pairingCheckWasm(list), want, `${pairs} pairs, off ${off}`);
      }
    }
  });

  test('G2 validation agrees with noble: multiples of the generator, an off-twist point, a twist point outside the subgroup', async () => {
    for (let i = 0; i < 3; i++) {
      const q = g2(rnd());
      assert.equal(await g2IsValidWasm(q), true);
      assert.equal(g2IsValidNoble(q), true);
      const bad = q.slice();
      bad[3] ^= 1;
      assert.equal(await g2IsValidWasm(bad), false);
      assert.equal(g2IsValidNoble(bad), false);
    }
    const Fp2 = bn254.fields.Fp2;
    const b2 = Fp2.div(Fp2.fromBigTuple([3n, 0n]), Fp2.fromBigTuple([9n, 1n]));
    let found = 0;
    for (let i = 1n; i < 50n && found < 3; i++) {
      const x = Fp2.fromBigTuple([i, 1n]);
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b2);
      let y;
      try {
        y = Fp2.sqrt(rhs);
      } catch {
        continue;
      }
      if (!y || !Fp2.eql(Fp2.sqr(y), rhs)) continue;
      const pt = new Uint8Array(128);
      [x.c0, x.c1, y.c0, y.c1].forEach((v, j) => writeLE32(fqToMont(v), pt, j * 32));
      assert.equal(g2IsValidNoble(pt), false);
      assert.equal(await g2IsValidWasm(pt), false);
      found++;
    }
    assert.ok(found > 0);
    assert.equal(await g2IsValidWasm(new Uint8Array(128)), false);
  });
});
