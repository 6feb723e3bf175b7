import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { bn254 } from '@noble/curves/bn254.js';
import { FR_MODULUS, rootOfUnity } from '../../src/scalar/fr.ts';
import { frVecEquals, frVecFromBigints, frVecMulPowers, frVecRandom, frVecToBigints } from '../../src/field/frvec.ts';
import { getFfjsCurve, terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { toMul29 } from '../../src/kernels/ntt/mont29.ts';
import { MAX_PAGES, nttWasm, type NttExports } from '../../src/kernels/ntt/wasm.ts';
import { frFromMontBytes, frToMontBytes } from '../../src/field/frvec.ts';
import { NTT_SYNC_MAX_LOG, nttPooled, nttSync, setNttThreads, terminateNtt, type NttOptions } from '../../src/kernels/ntt/index.ts';

after(async () => {
  await terminateNtt();
  await terminateFfjsCurve();
});

const F = bn254.fields.Fr;
const r = FR_MODULUS;

function naive(cs: bigint[], k: number, opts: NttOptions): bigint[] {
  const n = 2 ** k;
  const w = opts.inverse ? F.inv(rootOfUnity(k)) : rootOfUnity(k);
  const g = opts.coset ?? 1n;
  const xs = opts.inverse ? cs : cs.map((c, j) => F.mul(c, F.pow(g, BigInt(j))));
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    let acc = 0n;
    for (let j = n - 1; j >= 0; j--) acc = F.add(F.mul(acc, F.pow(w, BigInt(i))), xs[j]!);
    out.push(opts.inverse ? F.mul(F.mul(acc, F.inv(BigInt(n))), F.inv(F.pow(g, BigInt(i)))) : acc);
  }
  return out;
}

type Runner = (v: Uint8Array, k: number, o?: NttOptions) => Promise<Uint8Array>;
const paths: [string, Runner, number][] = [
  ['sync', async (v, k, o) => nttSync(v, k, o), NTT_SYNC_MAX_LOG],
  ['pooled', nttPooled, 99],
];
const variants: NttOptions[] = [{}, { inverse: true }, { coset: 7n }, { coset: 7n, inverse: true }, { coset: r - 3n, inverse: false }];

test('agrees with a naive DFT (noble Fr), sizes 2^0..2^7, every variant, both paths', async () => {
  for (const [label, run] of paths) {
    for (let k = 0; k <= 7; k++) {
      const cs = frVecToBigints(frVecRandom(2 ** k));
      for (const o of variants) {
        const got = frVecToBigints(await run(frVecFromBigints(cs), k, o));
        assert.deepEqual(got, naive(cs, k, o), `${label} k=${k} ${JSON.stringify(o, (_, x) => (typeof x === 'bigint' ? String(x) : x))}`);
      }
    }
  }
});

test('edge values: all zeros, all ones, all r−1, one-hot; sizes 1, 2, 4, 16', async () => {
  for (const [label, run] of paths) {
    for (const k of [0, 1, 2, 4]) {
      const n = 2 ** k;
      const inputs = [Array(n).fill(0n), Array(n).fill(1n), Array(n).fill(r - 1n), Array.from({ length: n }, (_, i) => (i === n - 1 ? 1n : 0n))];
      for (const cs of inputs) {
        for (const o of variants) {
          const got = frVecToBigints(await run(frVecFromBigints(cs), k, o));
          assert.deepEqual(got, naive(cs, k, o), `${label} k=${k}`);
        }
      }
      // DFT of all ones is n·δ_0; DFT of δ_0 is all ones.
      assert.deepEqual(frVecToBigints(await run(frVecFromBigints(Array(n).fill(1n)), k)), [BigInt(n), ...Array(n - 1).fill(0n)]);
    }
  }
});

test('agrees with ffjavascript Fr.fft / Fr.ifft on random vectors, 2^11..2^16 and 2^18', async () => {
  const curve = await getFfjsCurve();
  for (const k of [11, 12, 13, 14, 15, 16, 18]) {
    const v = frVecRandom(2 ** k);
    const ref: Uint8Array = await curve.Fr.fft(v);
    const refInv: Uint8Array = await curve.Fr.ifft(v);
    assert.ok(frVecEquals(await nttPooled(v, k), ref), `pooled fft k=${k}`);
    assert.ok(frVecEquals(await nttPooled(v, k, { inverse: true }), refInv), `pooled ifft k=${k}`);
    if (k <= NTT_SYNC_MAX_LOG) {
      assert.ok(frVecEquals(nttSync(v, k), ref), `sync fft k=${k}`);
      assert.ok(frVecEquals(nttSync(v, k, { inverse: true }), refInv), `sync ifft k=${k}`);
    }
    if (k === 14) {
      const coset: Uint8Array = await curve.Fr.fft(frVecMulPowers(v, 7n));
      assert.ok(frVecEquals(await nttPooled(v, k, { coset: 7n }), coset), 'pooled coset fft k=14');
    }
  }
});

test('round trips fft∘ifft and coset, both paths, odd and even logs', async () => {
  for (const k of [5, 9, 12, 13, 17]) {
    const v = frVecRandom(2 ** k);
    for (const [label, run, max] of paths) {
      if (k > max) continue;
      assert.ok(frVecEquals(await run(await run(v, k), k, { inverse: true }), v), `${label} k=${k}`);
      const g = 0x1234567890abcdefn;
      assert.ok(frVecEquals(await run(await run(v, k, { coset: g }), k, { coset: g, inverse: true }), v), `${label} coset k=${k}`);
    }
  }
});

test('thread counts 1 (no workers) and 3 (more workers than needed) give the same result; concurrent calls queue', async () => {
  const k = 15;
  const v = frVecRandom(2 ** k);
  const ref = await nttPooled(v, k, { coset: 5n });
  for (const t of [1, 3]) {
    await setNttThreads(t);
    assert.ok(frVecEquals(await nttPooled(v, k, { coset: 5n }), ref), `threads=${t}`);
  }
  const vs = [frVecRandom(2 ** 13), frVecRandom(2 ** 14), v];
  const outs = await Promise.all(vs.map((x, i) => nttPooled(x, 13 + i)));
  for (let i = 0; i < vs.length; i++) assert.ok(frVecEquals(await nttPooled(outs[i]!, 13 + i, { inverse: true }), vs[i]!));
  await setNttThreads((await import('node:os')).availableParallelism());
});

test('rejects wrong lengths and sizes', async () => {
  assert.throws(() => nttSync(frVecRandom(3), 2), RangeError);
  assert.throws(() => nttSync(frVecRandom(2 ** 13), 13), RangeError);
  await assert.rejects(() => nttPooled(frVecRandom(4), 3), RangeError);
  await assert.rejects(() => nttPooled(frVecRandom(1), 25), RangeError);
});

test('field kernels: 29-bit-limb Montgomery multiply (packed and pair-form constant), fused butterfly and add/sub vs BigInt, edge values, canonical outputs', () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  const ex = new WebAssembly.Instance(nttWasm().module, { env: { memory } }).exports as unknown as NttExports;
  const m = new Uint8Array(memory.buffer);
  const raw = (at: number) => m.slice(at, at + 32).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const vals = [0n, 1n, 2n, r - 1n, r - 2n, (r - 1n) / 2n, 1n << 253n, ...frVecToBigints(frVecRandom(12))];
  const A = 4096;
  const B = A + 32;
  const O = B + 32;
  for (const a of vals) {
    for (const b of vals) {
      frToMontBytes(a, m, A);
      frToMontBytes(toMul29(b, r), m, B);
      ex.ntt_mul(A, B, O);
      assert.equal(frFromMontBytes(m, O), F.mul(a, b));
      assert.ok(raw(O) < r);
      ex.ntt_unpack(B, 8192, 1); // pair form of the same constant
      ex.ntt_mulc(A, 8192, O);
      assert.equal(frFromMontBytes(m, O), F.mul(a, b));
      assert.ok(raw(O) < r);
      // butterfly with w = b: (a + b², a − b²)
      frToMontBytes(b, m, O);
      ex.ntt_bfly(A, O, 8192);
      assert.equal(frFromMontBytes(m, A), F.add(a, F.mul(b, b)));
      assert.equal(frFromMontBytes(m, O), F.sub(a, F.mul(b, b)));
      frToMontBytes(a, m, A);
      frToMontBytes(b, m, B);
      ex.ntt_addsub(A, B, B);
      assert.equal(frFromMontBytes(m, A), F.add(a, b));
      assert.equal(frFromMontBytes(m, B), F.sub(a, b));
      assert.ok(raw(A) < r && raw(B) < r);
    }
  }
});
