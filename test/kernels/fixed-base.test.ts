import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS as r } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToStandard } from '../../src/field/frvec.ts';
import { g1FixedBaseBatch, g1FromBigints, g1GeneratorSync, g1ToBigints } from '../../src/curve/index.ts';
import { fixedBaseTable } from '../../src/curve/fixed-base.ts';
import { msmWasm } from '../../src/kernels/msm/build.ts';
import { fmaAvailable } from '../../src/kernels/msm/fma.ts';
import { MsmEngine } from '../../src/kernels/msm/engine.mjs';
import { terminateMsmPool } from '../../src/kernels/msm/pool.ts';

after(() => terminateMsmPool());

const P = bn254.G1.Point;
const rnd = () => BigInt('0x' + randomBytes(40).toString('hex')) % r;
/** Scalars whose bytes hit the signed-digit edges: 0x80 (stays +128), 0x81 (−127, carry), 0xff runs. */
function edgeScalars(): bigint[] {
  const byteRun = (b: number, len: number) => BigInt('0x' + b.toString(16).padStart(2, '0').repeat(len));
  const out = [0n, 1n, 2n, 127n, 128n, 129n, 255n, 256n, r - 1n, r - 2n, (r - 1n) / 2n, 1n << 253n];
  for (const b of [0x7f, 0x80, 0x81, 0xff]) for (const len of [1, 2, 16, 31]) out.push(byteRun(b, len) % r);
  return out;
}
function want(base: InstanceType<typeof P>, s: bigint): Uint8Array {
  if (s % r === 0n) return new Uint8Array(64);
  const a = base.multiply(s % r).toAffine();
  return g1FromBigints(a.x, a.y);
}

describe('fixed-base batch (dev SRS): table + signed 8-bit digits on the batch-affine engine', () => {
  test('table entries are m·2^(8w)·G', () => {
    const t = fixedBaseTable(g1GeneratorSync());
    for (const [w, m] of [
      [0, 1],
      [0, 128],
      [1, 1],
      [17, 77],
      [31, 128],
    ] as const) {
      const got = g1ToBigints(t.subarray((w * 128 + m - 1) * 64, (w * 128 + m) * 64))!;
      const e = P.BASE.multiply((BigInt(m) << BigInt(8 * w)) % r).toAffine();
      assert.deepEqual(got, { x: e.x, y: e.y }, `w=${w} m=${m}`);
    }
  });

  test('edge and random scalars on the main thread and split over workers, vs noble', async () => {
    const s = [...edgeScalars(), ...Array.from({ length: 20 }, rnd)];
    const got = await g1FixedBaseBatch(g1GeneratorSync(), frVecFromBigints(s));
    s.forEach((v, i) => assert.deepEqual(got.subarray(i * 64, (i + 1) * 64), want(P.BASE, v), `s = ${v}`));
    // 3000 points (worker path, uneven split): spot checks, and another base
    const base = P.BASE.multiply(rnd());
    const a = base.toAffine();
    const big = Array.from({ length: 3000 }, (_, i) => (i % 97 === 0 ? edgeScalars()[i % 28]! : rnd()));
    const out = await g1FixedBaseBatch(g1FromBigints(a.x, a.y), frVecFromBigints(big));
    for (const i of [0, 1, 96, 97, 1499, 1500, 1501, 2999]) assert.deepEqual(out.subarray(i * 64, (i + 1) * 64), want(base, big[i]!), `i = ${i}`);
    assert.equal((await g1FixedBaseBatch(g1GeneratorSync(), new Uint8Array(0))).length, 0);
  });

  for (const field of fmaAvailable() ? (['f51', 'f29'] as const) : (['f29'] as const)) {
    test(`engine.fixedBase on the ${field} field, sub-ranges of points`, () => {
      const { module, layout } = msmWasm(field);
      const e = new MsmEngine(module, layout);
      const slot = e.loadBases(5, 1, fixedBaseTable(g1GeneratorSync()));
      const s = [...edgeScalars(), ...Array.from({ length: 10 }, rnd)];
      const std = frVecToStandard(frVecFromBigints(s));
      const out = e.fixedBase(slot, std, 3, s.length);
      for (let i = 3; i < s.length; i++) assert.deepEqual(out.subarray((i - 3) * 64, (i - 2) * 64), want(P.BASE, s[i]!), `s = ${s[i]}`);
    });
  }
});
