import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import {
  frVecAdd, frVecAddScalar, frVecAlloc, frVecBatchInverse, frVecConcat, frVecDivLinear, frVecEval, frVecFromBigints,
  frVecFromInts, frVecFromStandard, frVecGet, frVecLen, frVecMul, frVecMulAddScaled, frVecMulPowers, frVecNeg,
  frVecPowers, frVecRandom, frVecRotate, frVecScale, frVecSet, frVecSlice, frVecSub, frVecToBigints, frVecToStandard,
  frVecResize, frVecSum, frVecInnerProduct, frVecScan,
} from '../../src/field/frvec.ts';
import { CHUNK, frKernel } from '../../src/kernels/fr-wasm.ts';

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

test('kernel loops on raw Montgomery words: edge words near r, all pairs, aliasing in place', () => {
  // The multiplying loops use mont29's 29-bit-limb multiplier (x shifted 5 bits on load) and branch-free
  // add/sub: check them directly on raw 32-byte words (a word w encodes w·2^−256), edge words included.
  const k = frKernel();
  const RINV = F.inv(mod(1n << 256n));
  const mm = (x: bigint, y: bigint) => mod(x * y * RINV);
  const E = [
    0n, 1n, 2n, 3n, r - 1n, r - 2n, r - 3n, r >> 1n, (r + 1n) >> 1n, (1n << 29n) - 1n, 1n << 29n, (1n << 32n) - 1n,
    1n << 32n, (1n << 232n) - 1n, 1n << 232n, (1n << 227n) - 1n, (1n << 253n) - 1n, 1n << 253n, r - (1n << 29n),
    r - (1n << 227n), r - (1n << 232n), (1n << 256n) % r, (1n << 261n) % r, r - ((1n << 256n) % r), rand(), rand(),
  ];
  const xs: bigint[] = [];
  const ys: bigint[] = [];
  for (const x of E) for (const y of E) (xs.push(x), ys.push(y));
  const n = xs.length;
  const put = (p: number, vs: bigint[]) => {
    const m = new Uint8Array(k.memory.buffer);
    vs.forEach((v, i) => {
      for (let j = 0; j < 32; j++) m[p + 32 * i + j] = Number((v >> BigInt(8 * j)) & 0xffn);
    });
  };
  const get = (p: number, len: number) => {
    const m = new Uint8Array(k.memory.buffer);
    return Array.from({ length: len }, (_, i) => {
      let v = 0n;
      for (let j = 31; j >= 0; j--) v = (v << 8n) | BigInt(m[p + 32 * i + j]!);
      return v;
    });
  };
  const x = k.x;
  const vv: [string, (a: bigint, b: bigint) => bigint][] = [['k_mul', mm], ['k_add', (a, b) => F.add(a, b)], ['k_sub', (a, b) => F.sub(a, b)]];
  for (const [fn, f] of vv) {
    const want = xs.map((a, i) => f(a, ys[i]!));
    put(k.A, xs), put(k.B, ys);
    x[fn]!(k.A, k.B, k.O, n);
    assert.deepEqual(get(k.O, n), want, fn);
    x[fn]!(k.A, k.B, k.A, n); // out = a
    assert.deepEqual(get(k.A, n), want, `${fn} in place (a)`);
    put(k.A, xs);
    x[fn]!(k.A, k.B, k.B, n); // out = b
    assert.deepEqual(get(k.B, n), want, `${fn} in place (b)`);
    put(k.A, xs);
    x[fn]!(k.A, k.A, k.A, n); // both operands and out alias
    assert.deepEqual(get(k.A, n), xs.map((a) => f(a, a)), `${fn} a∘a in place`);
  }
  put(k.A, xs), put(k.B, ys);
  put(k.C0, [0n]);
  x.k_dot!(k.A, k.B, k.C0, n);
  assert.deepEqual(get(k.C0, 1), [xs.reduce((s, a, i) => F.add(s, mm(a, ys[i]!)), 0n)], 'k_dot');
  for (const c of E) {
    put(k.A, xs), put(k.B, ys), put(k.C0, [c]);
    x.k_scale!(k.A, k.C0, k.O, n);
    assert.deepEqual(get(k.O, n), xs.map((a) => mm(a, c)), `k_scale c=${c}`);
    x.k_scale!(k.A, k.C0, k.A, n);
    assert.deepEqual(get(k.A, n), xs.map((a) => mm(a, c)), `k_scale in place c=${c}`);
    put(k.A, xs);
    x.k_addScalar!(k.A, k.C0, k.A, n);
    assert.deepEqual(get(k.A, n), xs.map((a) => F.add(a, c)), `k_addScalar in place c=${c}`);
    put(k.A, xs);
    x.k_mulAddScaled!(k.B, k.A, k.C0, n);
    assert.deepEqual(get(k.B, n), ys.map((b, i) => F.add(b, mm(xs[i]!, c))), `k_mulAddScaled c=${c}`);
    put(k.B, ys);
    x.k_mulAddScaled!(k.A, k.A, k.C0, n); // acc = a
    assert.deepEqual(get(k.A, n), xs.map((a) => F.add(a, mm(a, c))), `k_mulAddScaled acc = a, c=${c}`);
    // Horner / suffix Horner, walking down from the last element
    put(k.A, xs), put(k.C1, [ys[7]!]);
    x.k_horner!(k.A + (n - 1) * 32, k.C0, k.C1, n);
    let acc = ys[7]!;
    const suffix: bigint[] = [];
    for (let i = n - 1; i >= 0; i--) (acc = F.add(mm(acc, c), xs[i]!)), (suffix[i] = acc);
    assert.deepEqual(get(k.C1, 1), [acc], `k_horner c=${c}`);
    put(k.C1, [ys[7]!]);
    x.k_hornerSuffix!(k.A + (n - 1) * 32, k.C0, k.C1, k.O + (n - 1) * 32, n);
    assert.deepEqual(get(k.O, n), suffix, `k_hornerSuffix c=${c}`);
    // powers, mulPowers, scanMul from start ys[5]
    const s0 = ys[5]!;
    put(k.C1, [s0]);
    x.k_powers!(k.C1, k.C0, k.O, n);
    const pw: bigint[] = [];
    acc = s0;
    for (let i = 0; i < n; i++) (pw.push(acc), (acc = mm(acc, c)));
    assert.deepEqual(get(k.O, n), pw, `k_powers c=${c}`);
    put(k.C1, [s0]);
    x.k_mulPowers!(k.A, k.C1, k.C0, k.A, n);
    assert.deepEqual(get(k.A, n), xs.map((a, i) => mm(a, pw[i]!)), `k_mulPowers in place c=${c}`);
  }
  put(k.A, xs), put(k.C1, [ys[3]!]);
  x.k_scanMul!(k.A, k.C1, k.O, n);
  const scan: bigint[] = [];
  let acc = ys[3]!;
  for (const a of xs) (scan.push(acc), (acc = mm(acc, a)));
  assert.deepEqual(get(k.O, n), scan, 'k_scanMul');
  assert.deepEqual(get(k.C1, 1), [acc], 'k_scanMul total');
});
