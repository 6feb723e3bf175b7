import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecFromInts, frVecRandom, frVecToStandard } from '../../src/field/frvec.ts';
import { getFfjsCurve, terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { g1PowersOf } from '../../src/commit/srs.ts';
import {
  g1Eq,
  g1FromBigints,
  g1LinearCombination,
  g1Msm,
  g1MsmAuto,
  g1MsmSmallSigned,
  g1MsmSmallSignedMany,
  g1MsmStandard,
  g1NegSync,
  g1ToBigints,
  type G1Affine,
} from '../../src/curve/index.ts';
import { msmWasm } from '../../src/kernels/msm/build.ts';
import { fmaAvailable } from '../../src/kernels/msm/fma.ts';
import { MsmEngine } from '../../src/kernels/msm/engine.mjs';
import { msmG1, msmG1Many, terminateMsmPool } from '../../src/kernels/msm/pool.ts';
import { planMsm } from '../../src/kernels/msm/plan.ts';

after(async () => {
  await terminateMsmPool();
  await terminateFfjsCurve();
});

const r = FR_MODULUS;
const P = bn254.G1.Point;
type NP = InstanceType<typeof P>;

function rnd(): bigint {
  let v = 0n;
  for (const b of randomBytes(40)) v = (v << 8n) | BigInt(b);
  return v % r;
}
function toNoble(p: G1Affine): NP {
  const c = g1ToBigints(p);
  return c ? P.fromAffine(c) : P.ZERO;
}
function fromNoble(p: NP): G1Affine {
  if (p.is0()) return new Uint8Array(64);
  const a = p.toAffine();
  return g1FromBigints(a.x, a.y);
}
/** n distinct bases: powers of a random τ (fast, via ffjavascript's batchApplyKey). */
const randomBases = (n: number) => g1PowersOf(rnd(), n);

async function ffjsMsm(bases: Uint8Array, std: Uint8Array): Promise<G1Affine> {
  if (bases.length === 0) return new Uint8Array(64);
  const c = await getFfjsCurve();
  return new Uint8Array(c.G1.toAffine(await c.G1.multiExpAffine(bases, std)));
}
function nobleMsm(bases: Uint8Array, scalars: readonly bigint[]): NP {
  let acc = P.ZERO;
  for (let i = 0; i < scalars.length; i++) {
    const s = ((scalars[i]! % r) + r) % r;
    if (s !== 0n) acc = acc.add(toNoble(bases.subarray(i * 64, (i + 1) * 64)).multiply(s));
  }
  return acc;
}
/** Both bucket fields where this machine has a fused multiply-add (the engine tests run on each). */
const FIELDS: ('f51' | 'f29')[] = fmaAvailable() ? ['f51', 'f29'] : ['f29'];

function assertPoint(got: G1Affine, want: G1Affine, msg?: string) {
  assert.ok(g1Eq(got, want), msg ?? 'MSM result differs');
}

describe('g1Msm (WASM Pippenger) vs ffjavascript and @noble/curves', () => {
  test('n = 0: identity from every entry point', async () => {
    const empty = new Uint8Array(0);
    for (const p of [
      await g1Msm(empty, empty),
      await g1MsmAuto(empty, empty),
      await g1MsmStandard(empty, empty),
      await g1MsmSmallSigned(empty, new Int32Array(0)),
      await g1LinearCombination([], []),
    ])
      assert.deepEqual(p, new Uint8Array(64));
  });

  test('n = 1, 3 and 17 vs noble', async () => {
    for (const n of [1, 3, 17]) {
      const bases = await randomBases(n);
      const s = Array.from({ length: n }, rnd);
      const got = await g1Msm(bases, frVecFromBigints(s));
      assert.ok(toNoble(got).equals(nobleMsm(bases, s)), `n=${n}`);
    }
  });

  test('n = 1000 and 2^12 + 7, random full scalars vs ffjavascript (worker path)', async () => {
    for (const n of [1000, 4096 + 7]) {
      const bases = await randomBases(n);
      const sc = frVecRandom(n);
      assert.ok(planMsm(n, 254, 2).tasks.length >= 1);
      assertPoint(await g1Msm(bases, sc), await ffjsMsm(bases, frVecToStandard(sc)), `n=${n}`);
    }
  });

  test('edge scalars and bases: zeros, identities, duplicates, P and −P, r−1, r−2^15', async () => {
    const n = 600;
    const distinct = await randomBases(8);
    const bases = new Uint8Array(n * 64);
    const s: bigint[] = [];
    for (let i = 0; i < n; i++) {
      const k = i % 8;
      let b = distinct.subarray(k * 64, (k + 1) * 64);
      if (i % 16 >= 8) b = g1NegSync(b); // −P next to P
      if (i % 97 === 0) b = new Uint8Array(64); // identity bases
      bases.set(b, i * 64);
      const pick = i % 6;
      s.push(pick === 0 ? 0n : pick === 1 ? r - 1n : pick === 2 ? r - (1n << 15n) : pick === 3 ? 1n : pick === 4 ? 12345n : rnd());
    }
    const sc = frVecFromBigints(s);
    const want = await ffjsMsm(bases, frVecToStandard(sc));
    assertPoint(await g1Msm(bases, sc), want);
    assertPoint(await g1MsmAuto(bases, sc), want);
    assert.ok(toNoble(want).equals(nobleMsm(bases, s)));
    // all-zero scalars; all-identity bases
    assert.deepEqual(await g1Msm(bases, frVecFromBigints(s.map(() => 0n))), new Uint8Array(64));
    assert.deepEqual(await g1Msm(new Uint8Array(n * 64), sc), new Uint8Array(64));
    // P·a + (−P)·a cancels exactly
    const pm = new Uint8Array(128);
    pm.set(distinct.subarray(0, 64), 0);
    pm.set(g1NegSync(distinct.subarray(0, 64)), 64);
    const a = rnd();
    assert.deepEqual(await g1Msm(pm, frVecFromBigints([a, a])), new Uint8Array(64));
  });

  for (const field of FIELDS) {
    test(`engine with tiny batches: doubling, cancellation and refill inside the batch-affine step (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      assert.equal(layout.field, field);
      const e = new MsmEngine(module, layout);
      const g = await randomBases(2);
      const p = g.subarray(0, 64);
      const q = g.subarray(64, 128);
      // sequence into one bucket: P, P (double), P, −P, −P, −P (through zero), Q, −Q, Q ...
      const seq = [p, p, p, g1NegSync(p), g1NegSync(p), g1NegSync(p), g1NegSync(p), q, g1NegSync(q), q, p, q];
      const n = seq.length;
      const bases = new Uint8Array(n * 64);
      seq.forEach((b, i) => bases.set(b, i * 64));
      for (const scal of [[3n], [1n], [5n, 7n, (1n << 40n) + 3n]]) {
        const s = Array.from({ length: n }, (_, i) => scal[i % scal.length]!);
        const std = frVecToStandard(frVecFromBigints(s));
        const want = await ffjsMsm(bases, std);
        for (const K of [1, 2, 3, 7]) {
          for (const c of [2, 4, 7]) {
            const W = Math.ceil(255 / c);
            const slot = e.loadBases(1, K * 100 + c, bases);
            const sums = e.run(slot, std, 32, null, c, 0, n, 0, W, K);
            assertPoint(e.combine([{ w0: 0, sums }], W, c), want, `K=${K} c=${c} s=${scal}`);
          }
        }
      }
    });
  }

  for (const field of FIELDS) {
    test(`engine overflow path: one repeated point (every digit collides in its batch), ± mixed (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      assert.equal(layout.field, field);
      const e = new MsmEngine(module, layout);
      const [p] = [(await randomBases(1)).subarray(0, 64)];
      const n = 300;
      const bases = new Uint8Array(n * 64);
      for (let i = 0; i < n; i++) bases.set(i % 5 === 4 ? g1NegSync(p) : p, i * 64);
      for (const scal of [[1n], [2n, 2n, 3n], [rnd()]]) {
        const s = Array.from({ length: n }, (_, i) => scal[i % scal.length]!);
        const std = frVecToStandard(frVecFromBigints(s));
        const want = await ffjsMsm(bases, std);
        for (const K of [4, 64]) {
          const c = 6;
          const W = Math.ceil(255 / c);
          const slot = e.loadBases(2, K, bases);
          const sums = e.run(slot, std, 32, null, c, 0, n, 0, W, K);
          assertPoint(e.combine([{ w0: 0, sums }], W, c), want, `K=${K} s=${scal}`);
        }
      }
    });
  }

  for (const field of FIELDS) {
    test(`engine: batches refilled entirely by waiting additions (few buckets, many points) (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      assert.equal(layout.field, field);
      const e = new MsmEngine(module, layout);
      const n = 800;
      const bases = await randomBases(n);
      const std = frVecToStandard(frVecRandom(n));
      const want = await ffjsMsm(bases, std);
      const slot = e.loadBases(3, 1, bases);
      for (const [c, K] of [
        [4, 4],
        [4, 8],
        [5, 16],
      ] as const) {
        const W = Math.ceil(255 / c);
        const sums = e.run(slot, std, 32, null, c, 0, n, 0, W, K);
        assertPoint(e.combine([{ w0: 0, sums }], W, c), want, `c=${c} K=${K}`);
      }
    });
  }

  test('plans split into several tasks (more than the pool has workers) agree', async () => {
    const n = 3000;
    const bases = await randomBases(n);
    const sc = frVecRandom(n);
    const std = frVecToStandard(sc);
    const want = await ffjsMsm(bases, std);
    for (const threads of [1, 2, 3, 5]) assertPoint(await msmG1(bases, std, 32, null, 254, threads), want, `threads=${threads}`);
  });

  test('small signed scalars: g1MsmSmallSigned and g1MsmAuto detection, negatives and ±(2^31−1)', async () => {
    const n = 5000;
    const bases = await randomBases(n);
    const small = new Int32Array(n);
    for (let i = 0; i < n; i++) small[i] = Math.floor(Math.random() * 65535) - 32767;
    small[0] = 2147483647;
    small[1] = -2147483647;
    small[2] = 0;
    small[3] = -1;
    const std = frVecToStandard(frVecFromInts(small));
    const want = await ffjsMsm(bases, std);
    assertPoint(await g1MsmSmallSigned(bases, small), want, 'small signed');
    assertPoint(await g1MsmAuto(bases, frVecFromInts(small)), want, 'auto');
    assertPoint(await g1Msm(bases, frVecFromInts(small)), want, 'general path on small scalars');
    // tiny magnitudes (1 bit) and a short vector on the main thread
    const bits = Int32Array.from({ length: 50 }, (_, i) => (i % 3) - 1);
    const b50 = bases.subarray(0, 50 * 64);
    assert.ok(toNoble(await g1MsmSmallSigned(b50, bits)).equals(nobleMsm(b50, Array.from(bits, BigInt))));
    await assert.rejects(() => g1MsmSmallSigned(bases.subarray(0, 64), Int32Array.of(-2147483648)), RangeError);
  });

  test('batches (g1MsmSmallSignedMany): each MSM whole on one thread, results in order, on the workers and on this thread', async () => {
    const n = 1018;
    const bases = await randomBases(n);
    const column = (bits: number, seed: number) =>
      Int32Array.from({ length: n }, (_, i) => {
        const m = 2 ** (bits - 1) - 1;
        return (((i * 2654435761 + seed * 40503) >>> 0) % (2 * m + 1)) - m;
      });
    // widths that plan differently (2 and 3 windows), an all-zero column and one with only ±(2^31 − 1)
    const cols = [column(28, 1), column(12, 2), new Int32Array(n), column(16, 3), column(2, 4), Int32Array.from({ length: n }, (_, i) => (i % 2 ? 1 : -1) * 2147483647)];
    const want = await Promise.all(cols.map((c) => ffjsMsm(bases, frVecToStandard(frVecFromInts(c)))));
    const got = await g1MsmSmallSignedMany(bases, cols);
    assert.equal(got.length, cols.length);
    got.forEach((p, i) => assertPoint(p, want[i]!, `column ${i}`));
    // one thread: the same sums from this thread's engine
    const items = cols.map((c) => {
      const mags = Uint32Array.from(c, Math.abs);
      return { scalars: new Uint8Array(mags.buffer), width: 4, signs: Uint8Array.from(c, (v) => (v < 0 ? 1 : 0)), bits: 32 - Math.clz32(Math.max(...mags)) };
    });
    (await msmG1Many(bases, items, 1)).forEach((p, i) => assertPoint(p, want[i]!, `one thread, column ${i}`));
    assert.deepEqual(await g1MsmSmallSignedMany(bases, []), []);
    await assert.rejects(() => g1MsmSmallSignedMany(bases, [new Int32Array(n - 1)]), RangeError);
  });

  test('g1MsmStandard with narrow and wide scalars; g1LinearCombination with negative bigints', async () => {
    const n = 150;
    const bases = await randomBases(n);
    for (const width of [1, 3, 8, 32]) {
      const std = new Uint8Array(randomBytes(n * width));
      if (width === 32) for (let i = 0; i < n; i++) std[i * 32 + 31]! &= 0x1f;
      const s: bigint[] = [];
      for (let i = 0; i < n; i++) {
        let v = 0n;
        for (let j = width - 1; j >= 0; j--) v = (v << 8n) | BigInt(std[i * width + j]!);
        s.push(v);
      }
      const got = await g1MsmStandard(bases, std);
      assertPoint(got, width === 32 ? await ffjsMsm(bases, std) : fromNoble(nobleMsm(bases, s)), `width=${width}`);
    }
    const pts = [0, 1, 2].map((i) => bases.subarray(i * 64, (i + 1) * 64));
    const sc = [-5n, r + 7n, rnd()];
    assert.ok(toNoble(await g1LinearCombination(pts, sc)).equals(nobleMsm(bases.subarray(0, 192), sc)));
  });

  test('cached bases: same buffer again, then mutated in place, then a different set', async () => {
    const n = 2048;
    const bases = await randomBases(n);
    const other = await randomBases(n);
    const sc = frVecRandom(n);
    const std = frVecToStandard(sc);
    assertPoint(await g1Msm(bases, sc), await ffjsMsm(bases, std));
    assertPoint(await g1Msm(bases.subarray(0, 1500 * 64), sc.subarray(0, 1500 * 32)), await ffjsMsm(bases.subarray(0, 1500 * 64), std.subarray(0, 1500 * 32)));
    bases.set(other.subarray(0, 64), 5 * 64); // in-place change must not hit a stale copy
    assertPoint(await g1Msm(bases, sc), await ffjsMsm(bases, std));
    assertPoint(await g1Msm(other, sc), await ffjsMsm(other, std));
    const [a, b] = await Promise.all([g1Msm(bases, sc), g1Msm(other, sc)]); // concurrent calls queue
    assertPoint(a, await ffjsMsm(bases, std));
    assertPoint(b, await ffjsMsm(other, std));
  });

  test('tasks starting above window 0 take the signed-digit carry from one comparison (ties, ±1, 32- and 5-byte scalars)', async () => {
    const { module, layout } = msmWasm();
    const e = new MsmEngine(module, layout);
    const bases = await randomBases(18); // 6 low parts × 3 high parts below
    const slot = e.loadBases(7, 1, bases);
    for (const c of [4, 7, 13]) {
      const W = Math.ceil(255 / c);
      for (const w0 of [1, 2, Math.floor(W / 2), W - 1]) {
        // H = Σ_{i<w0} 2^(c−1)·2^(ic): the carry into w0 is 1 exactly when the low w0·c bits exceed it
        let h = 0n;
        for (let i = 0; i < w0; i++) h += 1n << BigInt(i * c + c - 1);
        const B = BigInt(w0 * c);
        const s: bigint[] = [];
        for (const low of [h, h + 1n, h - 1n, 0n, (1n << B) - 1n, 1n << (B - 1n)])
          for (const high of [0n, 1n, rnd() >> B]) s.push((((high << B) | low) % r + r) % r);
        const std = frVecToStandard(frVecFromBigints(s));
        const want = await ffjsMsm(bases, std);
        const parts = [
          { w0: 0, sums: e.run(slot, std, 32, null, c, 0, s.length, 0, w0, 8) },
          { w0, sums: e.run(slot, std, 32, null, c, 0, s.length, w0, W, 8) },
        ];
        assertPoint(e.combine(parts, W, c), want, `c=${c} w0=${w0}`);
        if (w0 * c <= 33) {
          // the byte path: 5-byte scalars (low 40 bits only)
          const narrow = s.map((v) => v & ((1n << 40n) - 1n));
          const bytes = new Uint8Array(narrow.length * 5);
          narrow.forEach((v, i) => {
            for (let b = 0; b < 5; b++) bytes[5 * i + b] = Number((v >> BigInt(8 * b)) & 0xffn);
          });
          const Wn = Math.ceil(41 / c);
          if (w0 >= Wn) continue;
          const got = e.combine(
            [
              { w0: 0, sums: e.run(slot, bytes, 5, null, c, 0, s.length, 0, w0, 8) },
              { w0, sums: e.run(slot, bytes, 5, null, c, 0, s.length, w0, Wn, 8) },
            ],
            Wn,
            c,
          );
          assertPoint(got, await ffjsMsm(bases, frVecToStandard(frVecFromBigints(narrow))), `5-byte c=${c} w0=${w0}`);
        }
      }
    }
  });

  test('6000 random points: several windows per worker, larger windows', async () => {
    const n = 6000;
    const bases = await randomBases(n);
    const sc = frVecRandom(n);
    assertPoint(await g1Msm(bases, sc), await ffjsMsm(bases, frVecToStandard(sc)));
  });
});
