import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS, frInv, frPow, rootOfUnity } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecRandom, frVecToBigints, frVecEquals } from '../../src/field/frvec.ts';
import { Domain, cosetFft, cosetIfft, fft, ifft, lagrangeEvalsAt, setLocalFftMaxLog } from '../../src/poly/index.ts';
import { getFfjsCurve, terminateFfjsCurve } from '../../src/kernels/ffjs.ts';

after(() => terminateFfjsCurve());

const r = FR_MODULUS;
const F = bn254.fields.Fr;

function evalRef(cs: bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = cs.length - 1; i >= 0; i--) acc = F.add(F.mul(acc, x), cs[i]!);
  return acc;
}
function naiveDft(cs: bigint[], w: bigint, n: number, g = 1n): bigint[] {
  const out: bigint[] = [];
  let x = g;
  for (let i = 0; i < n; i++) {
    out.push(evalRef(cs, x));
    x = F.mul(x, w);
  }
  return out;
}

test('Domain: ω = 5^((r−1)/2^k), primitive, helpers', () => {
  for (const k of [0, 1, 4, 10, 28]) {
    const d = new Domain(k);
    assert.equal(d.omega, frPow(5n, (r - 1n) >> BigInt(k)));
    assert.equal(frPow(d.omega, BigInt(d.n)), 1n);
    if (k > 0) assert.notEqual(frPow(d.omega, BigInt(d.n / 2)), 1n);
    assert.equal(F.mul(d.omega, d.omegaInv), 1n);
    assert.equal(F.mul(d.nInv, BigInt(d.n)), 1n);
  }
  const d = new Domain(3);
  assert.equal(d.element(3), frPow(d.omega, 3n));
  assert.equal(d.element(-1), d.omegaInv);
  assert.deepEqual(frVecToBigints(d.elements()), Array.from({ length: 8 }, (_, i) => frPow(d.omega, BigInt(i))));
  assert.throws(() => new Domain(29));
});

// Run every check on both paths of our NTT: synchronous in-cache block and pooled four-step.
for (const [label, localMax] of [['sync', 16], ['pooled', 0]] as const) {
  test(`fft/ifft vs naive DFT, sizes 2^1..2^8 (${label})`, async () => {
    setLocalFftMaxLog(localMax);
    for (let k = 1; k <= 8; k++) {
      const n = 2 ** k;
      const w = rootOfUnity(k);
      for (const len of [n, Math.max(1, n - 3)]) {
        const cs = frVecToBigints(frVecRandom(len));
        const evals = await fft(frVecFromBigints(cs), k);
        assert.deepEqual(frVecToBigints(evals), naiveDft(cs, w, n), `fft k=${k} len=${len}`);
        const back = frVecToBigints(await ifft(evals, k));
        assert.deepEqual(back, [...cs, ...Array(n - len).fill(0n)], `ifft k=${k}`);
      }
    }
    setLocalFftMaxLog(12);
  });

  test(`coset fft vs direct evaluation at g·ζ^i, round trip (${label})`, async () => {
    setLocalFftMaxLog(localMax);
    const g = 7n;
    for (const [len, extK] of [[4, 3], [8, 5], [13, 6], [1, 1]] as const) {
      const cs = frVecToBigints(frVecRandom(len));
      const ev = await cosetFft(frVecFromBigints(cs), extK, g);
      assert.deepEqual(frVecToBigints(ev), naiveDft(cs, rootOfUnity(extK), 2 ** extK, g), `len=${len} extK=${extK}`);
      const back = frVecToBigints(await cosetIfft(ev, g));
      assert.deepEqual(back, [...cs, ...Array(2 ** extK - len).fill(0n)]);
    }
    await assert.rejects(() => cosetFft(frVecRandom(9), 3, g));
    setLocalFftMaxLog(12);
  });
}

test('fft ∘ ifft round trips; sync, pooled and ffjavascript agree at 2^12', async () => {
  const k = 12;
  const v = frVecRandom(2 ** k);
  setLocalFftMaxLog(16);
  const a = await fft(v, k);
  setLocalFftMaxLog(0);
  const b = await fft(v, k);
  setLocalFftMaxLog(12);
  assert.ok(frVecEquals(a, b));
  assert.ok(frVecEquals(a, await (await getFfjsCurve()).Fr.fft(v)));
  assert.ok(frVecEquals(await ifft(a, k), v));
  const k2 = 14; // default: pooled path
  const v2 = frVecRandom(2 ** k2);
  assert.ok(frVecEquals(await ifft(await fft(v2, k2), k2), v2));
  assert.ok(frVecEquals(await cosetIfft(await cosetFft(v2, k2 + 1, 7n), 7n), frVecFromBigints([...frVecToBigints(v2), ...Array(2 ** k2).fill(0n)])));
});

test('lagrangeEvalsAt matches interpolation of unit vectors', async () => {
  const k = 3;
  const n = 8;
  const x = 123456789n;
  const idx = [0, 1, 5, 7];
  const got = lagrangeEvalsAt(k, x, idx);
  for (let j = 0; j < idx.length; j++) {
    const e = Array(n).fill(0n);
    e[idx[j]!] = 1n;
    const cs = frVecToBigints(await ifft(frVecFromBigints(e), k));
    assert.equal(got[j], evalRef(cs, x));
  }
  // formula form
  const w = rootOfUnity(k);
  const l5 = F.div(F.mul(frPow(w, 5n), F.sub(frPow(x, 8n), 1n)), F.mul(8n, F.sub(x, frPow(w, 5n))));
  assert.equal(got[2], l5);
  // on the domain: indicator
  assert.deepEqual(lagrangeEvalsAt(k, frPow(w, 5n), [4, 5, 6]), [0n, 1n, 0n]);
  assert.equal(frInv(1n), 1n);
});
