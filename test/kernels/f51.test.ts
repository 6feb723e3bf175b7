import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { buildF51, elem51, value51 } from '../../src/kernels/msm/f51.ts';
import { fmaAvailable } from '../../src/kernels/msm/fma.ts';
import { Q_MOD as q } from '../../src/kernels/msm/build.ts';

/** The f51 field (FMA Montgomery multiplier, R = 2^255) against BigInt arithmetic. */
const require = createRequire(import.meta.url);
const { ModuleBuilder } = require('wasmbuilder');

function modPow(b: bigint, e: bigint): bigint {
  let r = 1n;
  for (b %= q; e > 0n; e >>= 1n, b = (b * b) % q) if (e & 1n) r = (r * b) % q;
  return r;
}
const R = (1n << 255n) % q;
const RINV = modPow(R, q - 2n);
const rnd = () => BigInt('0x' + randomBytes(40).toString('hex')) % q;
const EDGE = [0n, 1n, 2n, q - 1n, q - 2n, (1n << 51n) - 1n, 1n << 51n, (1n << 204n) - 1n, (1n << 253n) + 5n, q >> 1n, (q + 1n) / 2n];

describe('f51: Fq in 5×51-bit limbs, FMA multiplier', { skip: fmaAvailable() ? false : 'no fused multiply-add on this machine' }, () => {
  const m = new ModuleBuilder();
  buildF51(m, q);
  m.setMemory(2);
  const memory = new WebAssembly.Memory({ initial: 2 });
  const x = (fmaAvailable() ? new WebAssembly.Instance(new WebAssembly.Module(m.build()), { env: { memory } }).exports : {}) as any;
  const mem = new Uint8Array(memory.buffer);
  const A = 0x10000 - 1024; // scratch near the end of page 0 (static data sits at the start)
  const B = A + 80;
  const C = A + 160;
  const pair = (p: number, a: bigint, b: bigint) => {
    const ea = elem51(a);
    const eb = elem51(b);
    for (let k = 0; k < 5; k++) {
      mem.set(ea.subarray(8 * k, 8 * k + 8), p + 16 * k);
      mem.set(eb.subarray(8 * k, 8 * k + 8), p + 16 * k + 8);
    }
  };
  const lane = (p: number, l: number) => value51(mem.subarray(p, p + 80), 16, 8 * l);
  const one = (p: number) => value51(mem.subarray(p, p + 40));
  const vals = [...EDGE, ...Array.from({ length: 30 }, rnd)];

  test('pair multiplication and subtraction, both lanes, edge and random values', () => {
    for (const a of vals)
      for (const b of vals) {
        pair(A, a, b);
        pair(B, b, (a * 7n) % q);
        x.f51x2_mul(A, B, C);
        assert.equal(lane(C, 0), (((a * b) % q) * RINV) % q, `mul ${a} ${b}`);
        assert.equal(lane(C, 1), (((b * a * 7n) % q) * RINV) % q);
        x.f51x2_sub(A, B, C);
        assert.equal(lane(C, 0), (((a - b) % q) + q) % q, `sub ${a} ${b}`);
        assert.equal(lane(C, 1), (((b - a * 7n) % q) + q) % q);
      }
    // in place: r aliases an input
    pair(A, q - 1n, 3n);
    x.f51x2_mul(A, A, A);
    assert.equal(lane(A, 0), RINV);
    assert.equal(lane(A, 1), (9n * RINV) % q);
  });

  test('lane-wise inverse (0 ↦ 0), gather', () => {
    for (const a of vals.slice(0, 16)) {
      const b = (a * 5n + 1n) % q;
      pair(A, a, b);
      x.f51x2_inv(A, C);
      // in the R = 2^255 domain: inv(aR) = a⁻¹R = R²/(aR)
      for (const [l, v] of [
        [0, a],
        [1, b],
      ] as const)
        assert.equal(lane(C, l), v === 0n ? 0n : (((modPow(v, q - 2n) * R) % q) * R) % q, `inv ${v}`);
    }
    mem.set(elem51(123n), A);
    mem.set(elem51(q - 5n), B);
    x.f51x2_gather(A, B, C);
    assert.equal(lane(C, 0), 123n);
    assert.equal(lane(C, 1), q - 5n);
  });

  test('scalar add, sub, eq, isZero, copy', () => {
    for (const a of vals.slice(0, 20))
      for (const b of vals.slice(0, 20)) {
        mem.set(elem51(a), A);
        mem.set(elem51(b), B);
        x.f51_add(A, B, C);
        assert.equal(one(C), (a + b) % q);
        x.f51_sub(A, B, C);
        assert.equal(one(C), (((a - b) % q) + q) % q);
        assert.equal(x.f51_eq(A, B), a === b ? 1 : 0);
        assert.equal(x.f51_isZero(A), a === 0n ? 1 : 0);
      }
    mem.set(elem51(77n), A);
    x.f51_copy(A, C);
    assert.equal(one(C), 77n);
  });

  test('32-byte Montgomery form (R = 2^256) → f51 (R = 2^255) and back', () => {
    for (const a of vals) {
      const v = (a << 256n) % q; // a in the 2^256 form, as stored by ffjavascript
      const b32 = new Uint8Array(40);
      for (let i = 0, t = v; i < 32; i++, t >>= 8n) b32[i] = Number(t & 0xffn);
      mem.set(b32, A);
      x.f51_from32(A, B);
      assert.equal(one(B), (a * R) % q, `from32 ${a}`);
      mem.fill(0, C, C + 40);
      x.f51_to32(B, C);
      assert.deepEqual(mem.slice(C, C + 32), b32.subarray(0, 32), `to32 ${a}`);
    }
  });
});

test('the MSM picks f51 where a fused multiply-add is found, f29 otherwise or with ZKML_MSM_FMA=0', () => {
  const field = (env: Record<string, string>) => {
    const code = "import { msmWasm } from './src/kernels/msm/build.ts'; console.log(msmWasm().layout.field);";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim();
  };
  assert.equal(field({ ZKML_MSM_FMA: '0' }), 'f29');
  assert.equal(field({ ZKML_MSM_FMA: '' }), fmaAvailable() ? 'f51' : 'f29');
});
