import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS } from '../../src/field/fr.ts';
import {
  frVecAdd, frVecAddScalar, frVecAlloc, frVecBatchInverse, frVecConcat, frVecDivLinear, frVecEval, frVecFromBigints,
  frVecFromInts, frVecFromStandard, frVecGet, frVecLen, frVecMul, frVecMulAddScaled, frVecMulPowers, frVecNeg,
  frVecPowers, frVecRandom, frVecRotate, frVecScale, frVecSet, frVecSlice, frVecSub, frVecToBigints, frVecToStandard,
  frVecResize, frVecSum, frVecInnerProduct, frVecScan,
} from '../../src/field/frvec.ts';
import { CHUNK } from '../../src/kernels/fr-wasm.ts';

const r = FR_MODULUS;
const F = bn254.fields.Fr;
const mod = (x: bigint) => ((x % r) + r) % r;

function rand(): bigint {
  const b = crypto.getRandomValues(new Uint8Array(40));
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v % r;
}
const EDGE = [0n, 1n, 2n, r - 1n, r - 2n, r - (1n << 15n), 1n << 15n, (1n << 253n) % r, (1n << 128n) - 1n, r >> 1n];
function sample(n: number): bigint[] {
  const out = EDGE.slice(0, Math.min(n, EDGE.length));
  while (out.length < n) out.push(rand());
  return out;
}
// Sizes crossing the chunk boundary exercise the chunked loops.
const SIZES = [0, 1, 3, 17, CHUNK + 5];

test('noble Fr is the same field', () => {
  assert.equal(F.ORDER, r);
});

test('bigint round trip and get/set', () => {
  for (const n of SIZES) {
    const xs = sample(n);
    const v = frVecFromBigints(xs);
    assert.equal(frVecLen(v), n);
    assert.deepEqual(frVecToBigints(v), xs);
  }
  const v = frVecFromBigints([-1n, r, r + 5n, -(r + 2n)]);
  assert.deepEqual(frVecToBigints(v), [r - 1n, 0n, 5n, r - 2n]);
  const w = frVecAlloc(4);
  frVecSet(w, 2, r - 7n);
  assert.equal(frVecGet(w, 2), r - 7n);
  assert.equal(frVecGet(w, 0), 0n);
  assert.throws(() => frVecGet(w, 4));
});

test('Montgomery layout matches ffjavascript (1 encodes as 2^256 mod r)', () => {
  const v = frVecFromBigints([1n]);
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(v[i]!);
  assert.equal(x, (1n << 256n) % r);
});

test('fromInts: signed small integers, edges', () => {
  const ints = [0, 1, -1, 2 ** 15, -(2 ** 15), 2 ** 32, -(2 ** 32) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 123456789];
  assert.deepEqual(frVecToBigints(frVecFromInts(ints)), ints.map((x) => mod(BigInt(x))));
  const big = Array.from({ length: CHUNK + 3 }, (_, i) => (i % 7 === 0 ? -i : i * 1000));
  assert.deepEqual(frVecToBigints(frVecFromInts(Int32Array.from(big))), big.map((x) => mod(BigInt(x))));
  assert.throws(() => frVecFromInts([0.5]));
  assert.throws(() => frVecFromInts([2 ** 53]));
});

test('add/sub/mul vs noble, with aliasing', () => {
  for (const n of SIZES) {
    const xs = sample(n);
    const ys = sample(n).reverse();
    const a = frVecFromBigints(xs);
    const b = frVecFromBigints(ys);
    assert.deepEqual(frVecToBigints(frVecAdd(a, b)), xs.map((x, i) => F.add(x, ys[i]!)));
    assert.deepEqual(frVecToBigints(frVecSub(a, b)), xs.map((x, i) => F.sub(x, ys[i]!)));
    assert.deepEqual(frVecToBigints(frVecMul(a, b)), xs.map((x, i) => F.mul(x, ys[i]!)));
    assert.deepEqual(frVecToBigints(frVecNeg(a)), xs.map((x) => F.neg(x)));
    const a2 = frVecFromBigints(xs);
    frVecMul(a2, b, a2);
    assert.deepEqual(frVecToBigints(a2), xs.map((x, i) => F.mul(x, ys[i]!)));
    const b2 = frVecFromBigints(ys);
    frVecSub(a, b2, b2);
    assert.deepEqual(frVecToBigints(b2), xs.map((x, i) => F.sub(x, ys[i]!)));
  }
  assert.throws(() => frVecAdd(frVecAlloc(2), frVecAlloc(3)));
});

test('scale, addScalar, mulAddScaled', () => {
  for (const n of SIZES) {
    const xs = sample(n);
    const ys = sample(n);
    for (const c of [0n, 1n, r - 1n, rand()]) {
      const a = frVecFromBigints(xs);
      assert.deepEqual(frVecToBigints(frVecScale(a, c)), xs.map((x) => F.mul(x, c)));
      assert.deepEqual(frVecToBigints(frVecAddScalar(a, c)), xs.map((x) => F.add(x, c)));
      const acc = frVecFromBigints(ys);
      frVecMulAddScaled(acc, a, c);
      assert.deepEqual(frVecToBigints(acc), ys.map((y, i) => F.add(y, F.mul(c, xs[i]!))));
    }
  }
  // shorter a
  const acc = frVecFromBigints([1n, 2n, 3n]);
  frVecMulAddScaled(acc, frVecFromBigints([10n]), 2n);
  assert.deepEqual(frVecToBigints(acc), [21n, 2n, 3n]);
  assert.throws(() => frVecMulAddScaled(frVecAlloc(1), frVecAlloc(2), 1n));
  // negative scalar
  assert.deepEqual(frVecToBigints(frVecScale(frVecFromBigints([3n]), -2n)), [r - 6n]);
});

test('batch inverse: zeros stay zero', () => {
  for (const n of SIZES) {
    const xs = sample(n).map((x, i) => (i % 5 === 3 ? 0n : x));
    const inv = frVecToBigints(frVecBatchInverse(frVecFromBigints(xs)));
    assert.deepEqual(inv, xs.map((x) => (x === 0n ? 0n : F.inv(x))));
  }
  const allZero = frVecBatchInverse(frVecAlloc(5));
  assert.deepEqual(frVecToBigints(allZero), [0n, 0n, 0n, 0n, 0n]);
});

test('powers and mulPowers', () => {
  const b = rand();
  const f = rand();
  for (const n of [0, 1, 5, CHUNK + 2]) {
    const got = frVecToBigints(frVecPowers(b, n, f));
    let acc = f;
    for (let i = 0; i < n; i++) {
      if (got[i] !== acc) assert.fail(`powers mismatch at ${i}`);
      acc = F.mul(acc, b);
    }
    assert.equal(got.length, n);
  }
  assert.deepEqual(frVecToBigints(frVecPowers(3n, 4)), [1n, 3n, 9n, 27n]);
  const xs = sample(40);
  const got = frVecToBigints(frVecMulPowers(frVecFromBigints(xs), b, f));
  let acc = f;
  xs.forEach((x, i) => {
    assert.equal(got[i], F.mul(x, acc));
    acc = F.mul(acc, b);
  });
});

function evalRef(cs: bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let i = cs.length - 1; i >= 0; i--) acc = F.add(F.mul(acc, x), cs[i]!);
  return acc;
}

test('eval (Horner) vs reference', () => {
  for (const n of SIZES) {
    const cs = sample(n);
    for (const x of [0n, 1n, r - 1n, rand()]) assert.equal(frVecEval(frVecFromBigints(cs), x), evalRef(cs, x), `n=${n}`);
  }
});

test('divLinear: q·(X − z) + p(z) = p, length n with top 0', () => {
  for (const n of SIZES) {
    const cs = sample(n);
    const z = rand();
    const q = frVecToBigints(frVecDivLinear(frVecFromBigints(cs), z));
    assert.equal(q.length, n);
    if (n === 0) continue;
    assert.equal(q[n - 1], 0n);
    // reconstruct: p_i = q_{i−1} − z·q_i (q_{−1} = 0), p_0 = −z q_0 + p(z)
    const pz = evalRef(cs, z);
    for (let i = 0; i < n; i++) {
      const prev = i === 0 ? pz : q[i - 1]!;
      if (F.sub(prev, F.mul(z, q[i]!)) !== cs[i]) assert.fail(`divLinear mismatch n=${n} i=${i}`);
    }
  }
});

test('rotate, slice, concat, resize', () => {
  const xs = [1n, 2n, 3n, 4n, 5n];
  const v = frVecFromBigints(xs);
  assert.deepEqual(frVecToBigints(frVecRotate(v, 1)), [2n, 3n, 4n, 5n, 1n]);
  assert.deepEqual(frVecToBigints(frVecRotate(v, -1)), [5n, 1n, 2n, 3n, 4n]);
  assert.deepEqual(frVecToBigints(frVecRotate(v, 12)), [3n, 4n, 5n, 1n, 2n]);
  assert.deepEqual(frVecToBigints(frVecSlice(v, 1, 3)), [2n, 3n]);
  assert.deepEqual(frVecToBigints(frVecConcat(v, frVecSlice(v, 4))), [...xs, 5n]);
  assert.deepEqual(frVecToBigints(frVecResize(v, 7)), [...xs, 0n, 0n]);
});

test('toStandard / fromStandard', () => {
  const xs = sample(50);
  const st = frVecToStandard(frVecFromBigints(xs));
  for (let i = 0; i < xs.length; i++) {
    let x = 0n;
    for (let j = 31; j >= 0; j--) x = (x << 8n) | BigInt(st[i * 32 + j]!);
    assert.equal(x, xs[i]);
  }
  assert.deepEqual(frVecToBigints(frVecFromStandard(st)), xs);
});

test('random: canonical, distinct, roughly uniform top bits', () => {
  const n = 4000;
  const v = frVecRandom(n);
  const xs = frVecToBigints(v);
  assert.equal(new Set(xs).size, n);
  // raw Montgomery words must be < r as well
  for (let i = 0; i < n; i++) {
    let x = 0n;
    for (let j = 31; j >= 0; j--) x = (x << 8n) | BigInt(v[i * 32 + j]!);
    assert.ok(x < r);
  }
  const above = xs.filter((x) => x > r >> 1n).length;
  assert.ok(above > n * 0.4 && above < n * 0.6);
});

test('sum and inner product', () => {
  for (const n of SIZES) {
    const xs = sample(n);
    const ys = sample(n).reverse();
    assert.equal(frVecSum(frVecFromBigints(xs)), xs.reduce((s, x) => F.add(s, x), 0n));
    assert.equal(
      frVecInnerProduct(frVecFromBigints(xs), frVecFromBigints(ys)),
      xs.reduce((s, x, i) => F.add(s, F.mul(x, ys[i]!)), 0n),
    );
  }
});

test('scan: exclusive running products and sums vs noble, across chunk boundaries', () => {
  for (const n of SIZES) {
    const xs = sample(n);
    for (const [op, f, start] of [['mul', (a: bigint, b: bigint) => F.mul(a, b), 5n], ['add', (a: bigint, b: bigint) => F.add(a, b), r - 3n]] as const) {
      const { prefix, total } = frVecScan(frVecFromBigints(xs), op, start);
      const want: bigint[] = [];
      let acc = start;
      for (const x of xs) {
        want.push(acc);
        acc = f(acc, x);
      }
      assert.deepEqual(frVecToBigints(prefix), want, `${op} n=${n}`);
      assert.equal(total, acc, `${op} total n=${n}`);
    }
  }
});
