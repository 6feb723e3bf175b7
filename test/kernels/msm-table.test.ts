// Shifted-base tables (src/kernels/msm engine.mjs buildShifted, run with a stride; pool.ts tables): the
// one-bucket-set MSM over 2^(c·w)·P_i agrees with the plain per-window engine, with ffjavascript and with
// @noble/curves on random and edge inputs, in the engine and through msmG1's worker pool.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecFromInts, frVecRandom, frVecToStandard } from '../../src/field/frvec.ts';
import { getFfjsCurve, terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { g1PowersOf } from '../../src/commit/srs.ts';
import { g1Eq, g1FromBigints, g1MsmAuto, g1NegSync, g1ToBigints, type G1Affine } from '../../src/curve/index.ts';
import { msmWasm } from '../../src/kernels/msm/build.ts';
import { fmaAvailable } from '../../src/kernels/msm/fma.ts';
import { MsmEngine } from '../../src/kernels/msm/engine.mjs';
import { msmG1, msmTableInfo, msmThreads, prepareMsmTable, terminateMsmPool } from '../../src/kernels/msm/pool.ts';
import { bestTableWidth, planMsm, planStacked, tableBuildCost, tableRows, tableWindows } from '../../src/kernels/msm/plan.ts';

after(async () => {
  await terminateMsmPool();
  await terminateFfjsCurve();
});

const r = FR_MODULUS;
const P = bn254.G1.Point;
const FIELDS: ('f51' | 'f29')[] = fmaAvailable() ? ['f51', 'f29'] : ['f29'];
const PT = 80;

function rnd(): bigint {
  let v = 0n;
  for (const b of randomBytes(40)) v = (v << 8n) | BigInt(b);
  return v % r;
}
const randomBases = (n: number) => g1PowersOf(rnd(), n);
async function ffjsMsm(bases: Uint8Array, std: Uint8Array): Promise<G1Affine> {
  if (bases.length === 0) return new Uint8Array(64);
  const c = await getFfjsCurve();
  return new Uint8Array(c.G1.toAffine(await c.G1.multiExpAffine(bases, std)));
}
function assertPoint(got: G1Affine, want: G1Affine, msg: string) {
  assert.ok(g1Eq(got, want), msg);
}
/** Standard-form scalars (32 bytes each) from bigints. */
const std = (s: readonly bigint[]) => frVecToStandard(frVecFromBigints(s));

/** Bases with every edge at once: identities, a repeated point, P beside −P, random points. */
async function edgeBases(n: number): Promise<Uint8Array> {
  const distinct = await randomBases(Math.max(8, n));
  const out = new Uint8Array(n * 64);
  for (let i = 0; i < n; i++) {
    let b = distinct.subarray(i * 64, (i + 1) * 64);
    if (i % 11 === 3) b = new Uint8Array(64);
    else if (i % 7 === 2) b = distinct.subarray(0, 64);
    else if (i % 13 === 5) b = g1NegSync(distinct.subarray(0, 64));
    out.set(b, i * 64);
  }
  return out;
}

/** Scalars 0, 1, r − 1, r − 2^15, 2^253 − 1 (top window) and random ones, in turn. */
function edgeScalars(n: number): bigint[] {
  const picks = [0n, 1n, r - 1n, r - (1n << 15n), (1n << 253n) - 1n];
  return Array.from({ length: n }, (_, i) => (i % 8 < picks.length ? picks[i % 8]! : rnd()));
}

describe('MSM over shifted-base tables: one bucket set for every window', () => {
  for (const field of FIELDS) {
    test(`engine: table rows are 2^(c·w)·P_i, identities stay zero (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      const e = new MsmEngine(module, layout);
      const n = 37;
      const bases = await edgeBases(n);
      const c = 9;
      const rows = 4;
      const slot = e.loadBases(1, 1, bases);
      const tbl = new Uint8Array(n * rows * PT);
      // two halves, as two workers would build them
      e.buildShifted(slot, c, rows, n, 0, 20, tbl);
      e.buildShifted(slot, c, rows, n, 20, n, tbl);
      const t = e.loadTable(2, 1, tbl, n);
      // read the rows back through a 1-point MSM per entry: Σ 1·T[w·n + i] with stride = n·w is awkward, so
      // compare row w, point i against noble through a table-of-one MSM with digit 1 in window w instead
      for (const i of [0, 2, 3, 5, 17, 36]) {
        const c2 = g1ToBigints(bases.subarray(i * 64, (i + 1) * 64));
        const p = c2 ? P.fromAffine(c2) : P.ZERO;
        assert.equal(t.ident[i], c2 ? 0 : 1, `ident ${i}`);
        for (let w = 0; w < rows; w++) {
          // scalar 2^(c·w) for point i alone: window w's digit is 1, the table's row w is used
          const s = new Array<bigint>(n).fill(0n);
          s[i] = 1n << BigInt(c * w);
          const sc = std(s);
          const sums = e.run(t, sc, 32, null, c, 0, n, 0, rows, 8, n);
          const got = e.combine([{ w0: 0, sums }], 1, c);
          const want = p.multiply(1n << BigInt(c * w));
          assert.ok(want.is0() ? got.every((b) => b === 0) : g1Eq(got, g1FromBigints(want.toAffine().x, want.toAffine().y)), `i=${i} w=${w}`);
        }
      }
    });

    test(`engine: stacked run = per-window run on edge bases and scalars, prefixes, splits, n = 1 (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      const e = new MsmEngine(module, layout);
      const N = 301; // not a power of two
      const bases = await edgeBases(N);
      const slot = e.loadBases(3, 1, bases);
      for (const c of [5, 11, 13]) {
        const rows = tableWindows(c);
        const tbl = new Uint8Array(N * rows * PT);
        e.buildShifted(slot, c, rows, N, 0, N, tbl);
        const t = e.loadTable(4, c, tbl, N);
        for (const n of [1, 2, 150, N]) {
          for (const kind of ['edge', 'random', 'zero', 'r-1', 'equal']) {
            const s =
              kind === 'edge' ? edgeScalars(n)
              : kind === 'random' ? Array.from({ length: n }, rnd)
              : kind === 'zero' ? new Array<bigint>(n).fill(0n)
              : kind === 'r-1' ? new Array<bigint>(n).fill(r - 1n)
              : new Array<bigint>(n).fill(12345678901234567890n); // equal scalars: every digit collides
            const sc = std(s);
            const want = await ffjsMsm(bases.subarray(0, n * 64), sc);
            const W = Math.ceil(255 / c);
            for (const K of [4, 64]) {
              const sums = e.run(t, sc, 32, null, c, 0, n, 0, W, K, N);
              assertPoint(e.combine([{ w0: 0, sums }], 1, c), want, `c=${c} n=${n} ${kind} K=${K}`);
            }
            if (n >= 150) {
              // split by points and by windows, as tasks would be
              const m = n >> 1;
              const h = W >> 1;
              const parts = [
                { w0: 0, sums: e.run(t, sc, 32, null, c, 0, m, 0, h, 16, N) },
                { w0: 0, sums: e.run(t, sc, 32, null, c, 0, m, h, W, 16, N, h) }, // windows h.. on rows h..
                { w0: 0, sums: e.run(t, sc, 32, null, c, m, n, 0, W, 16, N) },
              ];
              assertPoint(e.combine(parts, 1, c), want, `split c=${c} n=${n} ${kind}`);
            }
          }
        }
      }
    });
  }

  test('engine: all-equal bases, all-identity bases, the top window taken by pairwise summation', async () => {
    const { module, layout } = msmWasm();
    const e = new MsmEngine(module, layout);
    const N = 400;
    const p = (await randomBases(1)).subarray(0, 64);
    const equal = new Uint8Array(N * 64);
    for (let i = 0; i < N; i++) equal.set(p, i * 64);
    const c = 13;
    const rows = tableWindows(c);
    for (const [name, bases] of [
      ['equal', equal],
      ['identity', new Uint8Array(N * 64)],
    ] as const) {
      const slot = e.loadBases(5, name.length, bases);
      const tbl = new Uint8Array(N * rows * PT);
      e.buildShifted(slot, c, rows, N, 0, N, tbl);
      const t = e.loadTable(6, name.length, tbl, N);
      // 2^253 − 1 and r − 1: full top windows; small values: many points per top-window bucket (dense path)
      for (const s of [edgeScalars(N), new Array<bigint>(N).fill(r - 1n), Array.from({ length: N }, (_, i) => BigInt(i % 5) << 250n)]) {
        const sc = std(s);
        const want = await ffjsMsm(bases, sc);
        const W = Math.ceil(255 / c);
        assertPoint(e.combine([{ w0: 0, sums: e.run(t, sc, 32, null, c, 0, N, 0, W, 64, N) }], 1, c), want, name);
      }
    }
  });

  for (const field of FIELDS) {
    test(`engine: grouped tables (R rows < W windows): one sum per group, weighted 2^(c·R·g) by combine (${field})`, async () => {
      const { module, layout } = msmWasm(field);
      const e = new MsmEngine(module, layout);
      const N = 257;
      const bases = await edgeBases(N);
      const slot = e.loadBases(8, 1, bases);
      for (const [c, R] of [
        [13, 10], // two groups of 10 windows (2 workers)
        [12, 8], // three groups, the last one short
        [7, 37], // one group holds every window
      ] as const) {
        const tbl = new Uint8Array(N * R * PT);
        e.buildShifted(slot, c, R, N, 0, 100, tbl);
        e.buildShifted(slot, c, R, N, 100, N, tbl);
        const t = e.loadTable(9, c * 100 + R, tbl, N);
        for (const n of [N, 200, 1]) {
          for (const s of [edgeScalars(n), new Array<bigint>(n).fill(r - 1n), Array.from({ length: n }, rnd)]) {
            const sc = std(s);
            const want = await ffjsMsm(bases.subarray(0, n * 64), sc);
            const p = planStacked(n, 254, 2, c, R);
            assert.equal(p.G, Math.ceil(Math.ceil(255 / c) / R));
            const parts = p.tasks.map((task) => ({
              w0: Math.floor(task.w0 / R),
              sums: e.run(t, sc, 32, null, c, task.p0, task.p1, task.w0, task.w1, 16, N, task.w0 % R),
            }));
            assertPoint(e.combine(parts, p.G, c * R), want, `c=${c} R=${R} n=${n}`);
          }
        }
      }
    });
  }

  test('plan: tables pay only where the model says so; one group per thread; build cost grows with the points', () => {
    for (const k of [10, 12, 14]) {
      const n = 1 << k;
      const c = bestTableWidth(n, 2);
      assert.ok(c >= 10 && c <= 16);
      const R = tableRows(c, 2);
      assert.equal(R, Math.ceil(tableWindows(c) / 2));
      const s = planStacked(n, 254, 2, c, R);
      assert.ok(s.cost < planMsm(n, 254, 2).cost, `k=${k}`);
      assert.equal(s.G, 2);
      assert.deepEqual(
        s.tasks.map((t) => [t.p0, t.p1, t.w0, t.w1]),
        [
          [0, n, 0, R],
          [0, n, R, s.W],
        ],
      );
      assert.ok(tableBuildCost(n, c, R, 2) > s.cost);
    }
    // one group and two threads: split by points
    assert.equal(planStacked(1000, 254, 2, 13, 20).tasks.length, 2);
    // a handful of points over a wide table: the plain plan is cheaper
    assert.ok(planStacked(20, 254, 2, 13, 10).cost > planMsm(20, 254, 2).cost);
  });

  test('pool: prepareMsmTable, then full-width MSMs over the set and its prefixes equal the plain path', { skip: msmThreads() <= 1 }, async () => {
    const N = 3000;
    const bases = await edgeBases(N);
    const c = await prepareMsmTable(bases);
    assert.ok(c > 0);
    const table = () => msmTableInfo().find((t) => t.N === N);
    assert.deepEqual(table(), { N, c, uses: 0 });
    for (const n of [N, 2048, 1500, 1023, 300]) {
      for (const s of [edgeScalars(n), Array.from({ length: n }, rnd), new Array<bigint>(n).fill(r - 1n)]) {
        const sc = std(s);
        const b = bases.subarray(0, n * 64);
        const want = await ffjsMsm(b, sc);
        const uses = table()!.uses;
        assertPoint(await msmG1(b, sc, 32, null, 254, 2), want, `n=${n} pool`);
        if (n >= 1023) assert.equal(table()!.uses, uses + 1, `n=${n} ran over the table`);
        assertPoint(await msmG1(b, sc, 32, null, 254, 1), want, `n=${n} main thread`);
      }
    }
    // tiny, all-zero and small-scalar MSMs over the same set keep their paths and stay right
    for (const n of [1, 2, 64]) {
      const sc = frVecRandom(n);
      assertPoint(await g1MsmAuto(bases.subarray(0, n * 64), sc), await ffjsMsm(bases.subarray(0, n * 64), frVecToStandard(sc)), `n=${n}`);
    }
    const zeros = new Uint8Array(N * 32);
    assert.deepEqual(await msmG1(bases, zeros, 32, null, 254, 2), new Uint8Array(64));
    const small = Int32Array.from({ length: N }, (_, i) => (i * 7919) % 60001 - 30000);
    const smallStd = frVecToStandard(frVecFromInts(small));
    assertPoint(await g1MsmAuto(bases, frVecFromInts(small)), await ffjsMsm(bases, smallStd), 'small signed');
    assert.equal(table()?.c, c, 'the table survives other MSMs over its set');
    // another base set and back: the table is still the first set's and still right
    const other = await randomBases(N);
    const sc = frVecToStandard(frVecRandom(N));
    assertPoint(await msmG1(other, sc, 32, null, 254, 2), await ffjsMsm(other, sc), 'other set');
    assertPoint(await msmG1(bases, sc, 32, null, 254, 2), await ffjsMsm(bases, sc), 'back to the table set');
    // the set changed in place: a new slot version, the old table dropped, results follow the new content
    const changed = bases.slice();
    changed.set(other.subarray(0, 64), 7 * 64);
    assertPoint(await msmG1(changed, sc, 32, null, 254, 2), await ffjsMsm(changed, sc), 'changed set');
  });

  test('pool: a set used again and again gets its table by itself (once the MSMs forgone pay for it)', { skip: msmThreads() <= 1 }, async () => {
    const n = 1024;
    const bases = await randomBases(n);
    let built = -1;
    for (let call = 0; call < 60 && built < 0; call++) {
      const sc = frVecToStandard(frVecRandom(n));
      assertPoint(await msmG1(bases, sc, 32, null, 253, 2), await ffjsMsm(bases, sc), `call ${call}`);
      if (msmTableInfo().some((t) => t.N === n)) built = call;
    }
    assert.ok(built > 0, 'a table was built, not on the first call');
    const sc = frVecToStandard(frVecRandom(n));
    const table = () => msmTableInfo().find((t) => t.N === n)!;
    const uses = table().uses;
    assertPoint(await msmG1(bases, sc, 32, null, 253, 2), await ffjsMsm(bases, sc), 'after the build');
    assert.equal(table().uses, uses + 1);
  });
});
