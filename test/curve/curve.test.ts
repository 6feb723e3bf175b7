import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS, FQ_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import {
  g1Add,
  g1Eq,
  g1FromBigints,
  g1FromBytesBE,
  g1Generator,
  g1IsIdentity,
  g1LinearCombination,
  g1Msm,
  g1MsmAuto,
  g1MsmSmallSigned,
  g1Mul,
  g1Neg,
  g1ToBigints,
  g1ToBytesBE,
  g2Generator,
  g2Mul,
  g2NegSync,
  g2ToBigints,
  g2Validate,
  pairingCheck,
  smallSignedScalars,
  type G1Affine,
} from '../../src/curve/index.ts';
import { FormatError } from '../../src/errors.ts';

after(() => terminateFfjsCurve());

const r = FR_MODULUS;
const P = bn254.G1.Point;
const Q2 = bn254.G2.Point;
type NP = InstanceType<typeof P>;

function rnd(): bigint {
  let v = 0n;
  for (const b of randomBytes(40)) v = (v << 8n) | BigInt(b);
  return v % r;
}
function fromNoble(p: NP): G1Affine {
  if (p.is0()) return new Uint8Array(64);
  const a = p.toAffine();
  return g1FromBigints(a.x, a.y);
}
function toNoble(p: G1Affine): NP {
  const c = g1ToBigints(p);
  return c ? P.fromAffine(c) : P.ZERO;
}
const nobleMul = (s: bigint): NP => (s % r === 0n ? P.ZERO : P.BASE.multiply(((s % r) + r) % r));

describe('G1 vs @noble/curves', () => {
  test('generator, add, neg, mul, identity', async () => {
    const g = await g1Generator();
    assert.ok(toNoble(g).equals(P.BASE));
    for (let t = 0; t < 5; t++) {
      const a = rnd();
      const b = rnd();
      const A = await g1Mul(g, a);
      const B = await g1Mul(g, b);
      assert.ok(toNoble(A).equals(nobleMul(a)));
      assert.ok(g1Eq(await g1Add(A, B), fromNoble(nobleMul(a + b))));
      assert.ok(g1Eq(await g1Neg(A), fromNoble(nobleMul(r - a))));
      assert.ok(g1IsIdentity(await g1Add(A, await g1Neg(A))));
      assert.ok(g1Eq(await g1Add(A, A), fromNoble(nobleMul(2n * a))));
    }
    const O = new Uint8Array(64);
    assert.ok(g1Eq(await g1Add(O, g), g));
    assert.ok(g1Eq(await g1Add(g, O), g));
    assert.ok(g1IsIdentity(await g1Mul(g, 0n)));
    assert.ok(g1IsIdentity(await g1Mul(g, r)));
    assert.ok(g1IsIdentity(await g1Mul(O, 5n)));
    assert.ok(g1Eq(await g1Mul(g, -1n), await g1Neg(g)));
  });

  test('big-endian encoding round trip and validation', async () => {
    const g = await g1Generator();
    for (let t = 0; t < 5; t++) {
      const s = rnd();
      const A = await g1Mul(g, s);
      const be = g1ToBytesBE(A);
      const np = nobleMul(s).toAffine();
      const expect = new Uint8Array(64);
      expect.set(bn254.fields.Fp.toBytes(np.x), 0);
      expect.set(bn254.fields.Fp.toBytes(np.y), 32);
      assert.deepEqual(be, expect);
      assert.ok(g1Eq(g1FromBytesBE(be), A));
      const padded = new Uint8Array(70);
      padded.set(be, 6);
      assert.ok(g1Eq(g1FromBytesBE(padded, 6), A));
    }
    assert.deepEqual(g1ToBytesBE(new Uint8Array(64)), new Uint8Array(64));
    assert.ok(g1IsIdentity(g1FromBytesBE(new Uint8Array(64))));
    // off-curve, coordinate ≥ q, x+q aliasing, short input
    const be = g1ToBytesBE(g);
    const bad = be.slice();
    bad[63] ^= 1;
    assert.throws(() => g1FromBytesBE(bad), FormatError);
    const big = new Uint8Array(64);
    big.set(bn254.fields.Fp.toBytes(0n), 0);
    const qb = new Uint8Array(32);
    let v = FQ_MODULUS + 1n;
    for (let i = 31; i >= 0; i--) { qb[i] = Number(v & 0xffn); v >>= 8n; }
    big.set(qb, 0);
    big[63] = 2;
    assert.throws(() => g1FromBytesBE(big), FormatError); // (q+1, 2) ≡ (1, 2) but non-canonical
    assert.throws(() => g1FromBytesBE(new Uint8Array(63)), FormatError);
    const half = new Uint8Array(64);
    half[31] = 1; // (1, 0): off-curve, not identity
    assert.throws(() => g1FromBytesBE(half), FormatError);
  });
});

describe('G2 and pairing', () => {
  test('G2 generator and mul vs noble', async () => {
    const g2 = await g2Generator();
    const c = g2ToBigints(g2)!;
    assert.ok(Q2.fromAffine(c).equals(Q2.BASE));
    const s = rnd();
    const c2 = g2ToBigints(await g2Mul(g2, s))!;
    assert.ok(Q2.fromAffine(c2).equals(Q2.BASE.multiply(s)));
    await g2Validate(g2, 'g2');
  });

  test('G2 validation rejects off-twist, non-canonical and off-subgroup points', async () => {
    const g2 = await g2Generator();
    const bad = g2.slice();
    bad[0] ^= 1;
    await assert.rejects(g2Validate(bad, 'x'), FormatError);
    await assert.rejects(g2Validate(new Uint8Array(128), 'x'), FormatError);
    // A twist point outside the order-r subgroup: find x with x³ + b' a square in Fq2.
    const Fp2 = bn254.fields.Fp2;
    const b2 = Fp2.div(Fp2.fromBigTuple([3n, 0n]), Fp2.fromBigTuple([9n, 1n]));
    let found = false;
    for (let i = 1n; i < 50n && !found; i++) {
      const x = Fp2.fromBigTuple([i, 1n]);
      const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b2);
      let y;
      try { y = Fp2.sqrt(rhs); } catch { continue; }
      if (!y || !Fp2.eql(Fp2.sqr(y), rhs)) continue;
      const { fqToMont, writeLE32 } = await import('../../src/curve/g1.ts');
      const pt = new Uint8Array(128);
      [x.c0, x.c1, y.c0, y.c1].forEach((v, j) => writeLE32(fqToMont(v), pt, j * 32));
      await assert.rejects(g2Validate(pt, 'x'), /subgroup/);
      found = true;
    }
    assert.ok(found);
  });

  test('bilinearity e(aP, bQ) = e(abP, Q), and negative cases', async () => {
    const g = await g1Generator();
    const g2 = await g2Generator();
    const a = rnd();
    const b = rnd();
    const aP = await g1Mul(g, a);
    const bQ = await g2Mul(g2, b);
    const abP = await g1Mul(g, (a * b) % r);
    assert.equal(await pairingCheck([[aP, bQ], [await g1Neg(abP), g2]]), true);
    assert.equal(await pairingCheck([[aP, bQ], [abP, g2NegSync(g2)]]), true);
    assert.equal(await pairingCheck([[aP, bQ], [await g1Neg(await g1Mul(g, a * b + 1n)), g2]]), false);
    assert.equal(await pairingCheck([[aP, g2]]), false);
    assert.equal(await pairingCheck([]), true);
    assert.equal(await pairingCheck([[new Uint8Array(64), g2], [g, new Uint8Array(128)]]), true);
    // cross-check e(aP, bQ) against noble
    const ng = bn254.pairing(toNoble(aP), Q2.BASE.multiply(b));
    const ne = bn254.pairing(P.BASE.multiply((a * b) % r), Q2.BASE);
    assert.ok(bn254.fields.Fp12.eql(ng, ne));
  });
});

describe('MSM', () => {
  async function naive(bases: G1Affine[], sc: bigint[]): Promise<NP> {
    let acc = P.ZERO;
    for (let i = 0; i < bases.length; i++) {
      const s = ((sc[i]! % r) + r) % r;
      if (s !== 0n) acc = acc.add(toNoble(bases[i]!).multiply(s));
    }
    return acc;
  }
  async function randomBases(n: number, withIdentity: boolean): Promise<G1Affine[]> {
    const g = await g1Generator();
    const out: G1Affine[] = [];
    for (let i = 0; i < n; i++) out.push(withIdentity && i % 7 === 3 ? new Uint8Array(64) : await g1Mul(g, rnd()));
    if (n > 2) out[n - 1] = out[0]!; // duplicate base
    return out;
  }
  const cat = (ps: G1Affine[]) => {
    const b = new Uint8Array(ps.length * 64);
    ps.forEach((p, i) => b.set(p, i * 64));
    return b;
  };

  test('full MSM vs naive: random and edge scalars, identity bases, n not a power of two (jacobian path up to 16 points, Pippenger above)', async () => {
    for (const n of [1, 2, 3, 6, 16, 17, 100]) {
      const bases = await randomBases(n, true);
      const edges = [0n, 1n, r - 1n, r - (1n << 15n), 2n, r - 2n];
      const sc = Array.from({ length: n }, (_, i) => (i < edges.length ? edges[i]! : rnd()));
      if (n > 8) sc[8] = sc[2]!; // duplicate scalar
      const got = await g1Msm(cat(bases), frVecFromBigints(sc));
      assert.ok(toNoble(got).equals(await naive(bases, sc)), `n=${n}`);
      const auto = await g1MsmAuto(cat(bases), frVecFromBigints(sc));
      assert.ok(g1Eq(auto, got));
      const lc = await g1LinearCombination(bases, sc);
      assert.ok(g1Eq(lc, got));
    }
    assert.ok(g1IsIdentity(await g1Msm(new Uint8Array(0), new Uint8Array(0))));
    const bases = await randomBases(5, false);
    assert.ok(g1IsIdentity(await g1Msm(cat(bases), frVecFromBigints([0n, 0n, 0n, 0n, 0n]))));
    assert.ok(g1IsIdentity(await g1Msm(cat([bases[0]!, bases[0]!]), frVecFromBigints([1n, r - 1n]))));
    // the same point twice: the sum doubles it
    const twice = await g1Msm(cat([bases[1]!, bases[1]!]), frVecFromBigints([3n, 4n]));
    assert.ok(toNoble(twice).equals(toNoble(bases[1]!).multiply(7n)));
  });

  test('small signed MSM vs full MSM (widths 1..4 bytes), auto detection', async () => {
    const n = 300;
    const bases = await randomBases(n, true);
    const B = cat(bases);
    for (const bits of [1, 7, 8, 15, 16, 24, 31]) {
      const lim = 2 ** bits - 1;
      const s = new Int32Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.floor(Math.random() * (2 * lim + 1)) - lim;
      s[0] = lim;
      s[1] = -lim;
      s[2] = 0;
      const big = Array.from(s, (x) => BigInt(x));
      const full = await g1Msm(B, frVecFromBigints(big));
      assert.ok(g1Eq(await g1MsmSmallSigned(B, s), full), `bits=${bits}`);
      assert.ok(g1Eq(await g1MsmAuto(B, frVecFromBigints(big)), full), `auto bits=${bits}`);
    }
    assert.ok(B.every((x, i) => x === cat(bases)[i]), 'bases not mutated');
  });

  test('small-scalar detection boundaries', () => {
    const enc = (vals: bigint[]) => {
      const b = new Uint8Array(vals.length * 32);
      vals.forEach((v, i) => {
        for (let j = 0; j < 32; j++) b[i * 32 + j] = Number((v >> BigInt(8 * j)) & 0xffn);
      });
      return b;
    };
    const M = 1n << 31n;
    assert.deepEqual(Array.from(smallSignedScalars(enc([0n, 1n, M - 1n, r - 1n, r - (M - 1n)]))!), [0, 1, 2 ** 31 - 1, -1, -(2 ** 31 - 1)]);
    assert.equal(smallSignedScalars(enc([M])), null);
    assert.equal(smallSignedScalars(enc([r - M])), null);
    assert.equal(smallSignedScalars(enc([1n << 40n])), null);
    assert.equal(smallSignedScalars(enc([r - (1n << 40n)])), null);
  });
});
