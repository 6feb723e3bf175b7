import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS, frInv, frMul, frPow, rootOfUnity } from '../../src/scalar/fr.ts';
import { frVecFromBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import {
  g1Add,
  g1Eq,
  g1Generator,
  g1Mul,
  g1Neg,
  g1ToBigints,
  g2Add,
  g2Generator,
  g2Mul,
  g2NegSync,
  fqToMont,
  writeLE32,
  pairingCheck,
  type G1Affine,
} from '../../src/curve/index.ts';
import { commitCoeffs, commitLagrange, devSrs, lagrangeFromPowers, loadPtau, serializeSrs, deserializeSrs } from '../../src/commit/index.ts';
import { FormatError } from '../../src/errors.ts';

after(() => terminateFfjsCurve());

const r = FR_MODULUS;
const FIXTURE = new URL('../fixtures/pot4.ptau', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'zkml-ptau-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function rnd(): bigint {
  let v = 0n;
  for (const b of randomBytes(40)) v = (v << 8n) | BigInt(b);
  return v % r;
}
const pt = (buf: Uint8Array, i: number): G1Affine => buf.slice(i * 64, (i + 1) * 64);

/** Section id → [offset, size] of a .ptau buffer. */
function sections(b: Uint8Array): Map<number, [number, number]> {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = dv.getUint32(8, true);
  const out = new Map<number, [number, number]>();
  let pos = 12;
  for (let i = 0; i < n; i++) {
    const id = dv.getUint32(pos, true);
    const size = Number(dv.getBigUint64(pos + 4, true));
    out.set(id, [pos + 12, size]);
    pos += 12 + size;
  }
  return out;
}
function writeTmp(name: string, b: Uint8Array): string {
  const p = join(tmp, name);
  writeFileSync(p, b);
  return p;
}
function g1Raw(x: bigint, y: bigint): Uint8Array {
  const o = new Uint8Array(64);
  writeLE32(fqToMont(x), o, 0);
  writeLE32(fqToMont(y), o, 32);
  return o;
}

describe('.ptau loading (snarkjs fixture, power 4, prepared)', () => {
  const file = new Uint8Array(readFileSync(FIXTURE));
  const sec = sections(file);

  test('loads and passes checks; τ consistent between G1 and G2', async () => {
    for (const k of [0, 1, 3, 4]) {
      const srs = await loadPtau(FIXTURE, k);
      assert.equal(srs.maxK, k);
      assert.equal(srs.insecure, false);
      assert.equal(srs.g1Powers.length, (2 ** k + 1) * 64);
    }
    const srs = await loadPtau(FIXTURE, 4);
    const g = await g1Generator();
    assert.ok(g1Eq(pt(srs.g1Powers, 0), g));
    assert.ok(await pairingCheck([[pt(srs.g1Powers, 1), srs.g2Gen], [await g1Neg(g), srs.g2Tau]]));
  });

  test('our iFFT Lagrange key equals the prepared §12 blocks (root 5^((r−1)/2^k))', async () => {
    const srs = await loadPtau(FIXTURE, 4);
    const [off] = sec.get(12)!;
    for (let k = 0; k <= 4; k++) {
      const n = 2 ** k;
      const block = file.slice(off + (n - 1) * 64, off + (2 * n - 1) * 64);
      assert.deepEqual(await lagrangeFromPowers(srs.g1Powers, k), block, `iFFT k=${k}`);
      assert.deepEqual(await srs.lagrange(k), block, `k=${k}`);
    }
  });

  test('prepared §12 is used and checked: a tampered Lagrange point is rejected at lagrange(k)', async () => {
    const [o12] = sec.get(12)!;
    const t = file.slice();
    t.set(await g1Mul(await g1Generator(), 777n), o12 + (8 - 1 + 5) * 64); // block 2^3, point 5
    const srs = await loadPtau(writeTmp('t12.ptau', t), 4);
    await assert.rejects(srs.lagrange(3), /does not match/);
    assert.equal((await srs.lagrange(2)).length, 4 * 64); // other blocks unaffected
    const good = await loadPtau(FIXTURE, 4);
    assert.deepEqual(await good.lagrange(3), await lagrangeFromPowers(good.g1Powers, 3));
  });

  test('rejects: power too small, truncation, bad magic, missing file, trailing bytes', async () => {
    await assert.rejects(loadPtau(FIXTURE, 5), (e: unknown) => e instanceof FormatError && /2\^4/.test(e.message));
    for (const cut of [0, 10, 40, file.length - 1, sec.get(2)![0] + 100]) {
      const p = writeTmp(`trunc${cut}.ptau`, file.slice(0, cut));
      await assert.rejects(loadPtau(p, 4), (e: unknown) => e instanceof FormatError && e.message.includes(p));
    }
    const magic = file.slice();
    magic[0] = 0x71;
    await assert.rejects(loadPtau(writeTmp('magic.ptau', magic), 2), FormatError);
    await assert.rejects(loadPtau(join(tmp, 'nope.ptau'), 2), FormatError);
    const extra = new Uint8Array(file.length + 1);
    extra.set(file);
    await assert.rejects(loadPtau(writeTmp('extra.ptau', extra), 2), FormatError);
  });

  test('rejects tampered powers, generators and [τ]₂', async () => {
    const [o2] = sec.get(2)!;
    const [o3] = sec.get(3)!;
    // a valid curve point in place of [τ^5]₁ → pairing check
    const t1 = file.slice();
    t1.set(await g1Mul(await g1Generator(), 12345n), o2 + 5 * 64);
    await assert.rejects(loadPtau(writeTmp('t1.ptau', t1), 4), /inconsistent/);
    // the same file is fine for k = 2 (point 5 unused): only the D = 2^k + 1 powers used are checked
    await loadPtau(writeTmp('t1b.ptau', t1), 2);
    // off-curve point
    const t2 = file.slice();
    t2[o2 + 3 * 64 + 7] ^= 0x10;
    await assert.rejects(loadPtau(writeTmp('t2.ptau', t2), 4), /not on the curve|not below q/);
    // coordinate ≥ q (store q itself in x)
    const t3 = file.slice();
    writeLE32(21888242871839275222246405745257275088696311157297823662689037894645226208583n, t3, o2 + 2 * 64);
    await assert.rejects(loadPtau(writeTmp('t3.ptau', t3), 4), /below q/);
    // wrong G1 generator
    const t4 = file.slice();
    t4.set(await g1Mul(await g1Generator(), 2n), o2);
    await assert.rejects(loadPtau(writeTmp('t4.ptau', t4), 4), /generator/);
    // [τ]₂ replaced by 2·[1]₂ (valid subgroup point, wrong τ) → pairing check
    const t5 = file.slice();
    t5.set(await g2Mul(await g2Generator(), 2n), o3 + 128);
    await assert.rejects(loadPtau(writeTmp('t5.ptau', t5), 4), /inconsistent/);
    // [τ]₂ garbage → on-twist / subgroup check
    const t6 = file.slice();
    t6[o3 + 128 + 5] ^= 1;
    await assert.rejects(loadPtau(writeTmp('t6.ptau', t6), 4), FormatError);
    // degenerate τ = 1
    const t7 = file.slice();
    t7.set(await g1Generator(), o2 + 64);
    await assert.rejects(loadPtau(writeTmp('t7.ptau', t7), 1), /degenerate/);
    // section size mismatch
    const t8 = file.slice();
    const dv = new DataView(t8.buffer);
    dv.setUint32(12 + 4, 43, true); // section 1 declared size (section 1 is first in snarkjs files)
    await assert.rejects(loadPtau(writeTmp('t8.ptau', t8), 2), FormatError);
  });
});

describe('dev SRS', () => {
  test('known secret: [τ^i]₁ = τ^i·G, [τ]₂ = τ·H (vs noble)', async () => {
    const tau = 123456789n * 987654321n + 17n;
    const srs = await devSrs(5, tau);
    assert.equal(srs.insecure, true);
    assert.equal(srs.maxK, 5);
    assert.equal(srs.g1Powers.length, 33 * 64);
    for (const i of [0, 1, 2, 31, 32]) {
      const c = g1ToBigints(pt(srs.g1Powers, i))!;
      const want = bn254.G1.Point.BASE.multiply(frPow(tau, BigInt(i))).toAffine();
      assert.equal(c.x, want.x);
      assert.equal(c.y, want.y);
    }
    const t2 = bn254.G2.Point.BASE.multiply(tau).toAffine();
    const { g2ToBigints } = await import('../../src/curve/index.ts');
    assert.deepEqual(g2ToBigints(srs.g2Tau), { x: { c0: t2.x.c0, c1: t2.x.c1 }, y: { c0: t2.y.c0, c1: t2.y.c1 } });
    // serialization round trip
    const back = deserializeSrs(serializeSrs(srs));
    assert.deepEqual(back.g1Powers, srs.g1Powers);
    assert.deepEqual(back.g2Tau, srs.g2Tau);
    assert.equal(back.insecure, true);
    assert.equal(back.maxK, 5);
  });

  test('dev Lagrange key (from the known τ) equals the G1 iFFT of the powers', async () => {
    const srs = await devSrs(4, 0xdeadbeefn);
    for (const k of [0, 1, 2, 4]) assert.deepEqual(await srs.lagrange(k), await lagrangeFromPowers(srs.g1Powers, k), `k=${k}`);
    // τ in the domain (τ = ω₄) falls back to the iFFT and is still right
    const inH = await devSrs(2, rootOfUnity(2));
    assert.deepEqual(await inH.lagrange(2), await lagrangeFromPowers(inH.g1Powers, 2));
  });

  test('random secret: differs per call and is consistent', async () => {
    const a = await devSrs(2);
    const b = await devSrs(2);
    assert.ok(!g1Eq(pt(a.g1Powers, 1), pt(b.g1Powers, 1)));
    assert.ok(await pairingCheck([[pt(a.g1Powers, 1), a.g2Gen], [await g1Neg(await g1Generator()), a.g2Tau]]));
  });
});

describe('KZG commitments', () => {
  /** Naive inverse DFT over the 2^k domain with ω = 5^((r−1)/2^k) (bigint, independent of poly/). */
  function ifftNaive(evals: bigint[], k: number): bigint[] {
    const n = evals.length;
    const wInv = frInv(rootOfUnity(k));
    const nInv = frInv(BigInt(n));
    return Array.from({ length: n }, (_, j) => {
      let acc = 0n;
      for (let i = 0; i < n; i++) acc += frMul(evals[i]!, frPow(wInv, BigInt(i * j)));
      return frMul(acc % r, nInv);
    });
  }
  const evalPoly = (c: bigint[], z: bigint) => c.reduceRight((acc, ci) => (acc * z + ci) % r, 0n);

  test('commitLagrange(evals) = commitCoeffs(ifft(evals)); small-scalar path agrees', async () => {
    const srs = await devSrs(4);
    for (const k of [0, 1, 3, 4]) {
      const n = 2 ** k;
      const evals = Array.from({ length: n }, () => rnd());
      const cl = await commitLagrange(srs, k, frVecFromBigints(evals));
      const cc = await commitCoeffs(srs, frVecFromBigints(ifftNaive(evals, k)));
      assert.ok(g1Eq(cl, cc), `k=${k}`);
      const small = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? r - BigInt(i + 1) : BigInt(i * 1000)));
      const sl = await commitLagrange(srs, k, frVecFromBigints(small));
      const sc = await commitCoeffs(srs, frVecFromBigints(ifftNaive(small, k)));
      assert.ok(g1Eq(sl, sc), `small k=${k}`);
    }
    await assert.rejects(commitLagrange(srs, 5, frVecFromBigints(new Array(32).fill(1n))));
    await assert.rejects(commitCoeffs(srs, frVecFromBigints(new Array(18).fill(1n))));
    await assert.rejects(commitLagrange(srs, 3, frVecFromBigints([1n])));
  });

  test('opening identity e(C − v[1], [1]₂) = e(W, [τ]₂ − z[1]₂); a wrong value fails', async () => {
    for (const srs of [await devSrs(4), await loadPtau(FIXTURE, 4)]) {
      const n = 17; // degree 16 uses every power
      const f = Array.from({ length: n }, () => rnd());
      const z = rnd();
      const v = evalPoly(f, z);
      // w = (f − v)/(X − z) by synthetic division
      const w: bigint[] = new Array(n - 1);
      let acc = 0n;
      for (let i = n - 1; i >= 1; i--) {
        acc = (acc * z + f[i]!) % r;
        w[i - 1] = acc;
      }
      const C = await commitCoeffs(srs, frVecFromBigints(f));
      const W = await commitCoeffs(srs, frVecFromBigints(w));
      const g = await g1Generator();
      const rhs2 = await g2Add(srs.g2Tau, g2NegSync(await g2Mul(srs.g2Gen, z)));
      const lhs = await g1Add(C, await g1Neg(await g1Mul(g, v)));
      assert.ok(await pairingCheck([[lhs, srs.g2Gen], [await g1Neg(W), rhs2]]));
      const bad = await g1Add(C, await g1Neg(await g1Mul(g, v + 1n)));
      assert.equal(await pairingCheck([[bad, srs.g2Gen], [await g1Neg(W), rhs2]]), false);
    }
  });
});
