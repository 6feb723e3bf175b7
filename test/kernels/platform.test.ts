import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import * as nodeHost from '../../src/kernels/platform.ts';
import * as browserHost from '../../src/kernels/platform.browser.ts';
import { MAX_PAGES, nttWasm, type NttExports } from '../../src/kernels/ntt/wasm.ts';
import { toMul29 } from '../../src/kernels/ntt/mont29.ts';
import { frFromMontBytes, frToMontBytes, frVecRandom, frVecToBigints } from '../../src/field/frvec.ts';
import { FR_MODULUS, frMul } from '../../src/scalar/fr.ts';

test('Node host: one thread per core, shared memory', () => {
  assert.equal(nodeHost.hardwareThreads(), Math.max(1, availableParallelism()));
  assert.equal(nodeHost.sharedMemory(), true);
});

test('browser host outside a cross-origin isolated page: no shared memory, so one thread', () => {
  assert.equal(globalThis.crossOriginIsolated, undefined);
  assert.equal(browserHost.sharedMemory(), false);
  assert.equal(browserHost.hardwareThreads(), 1);
  assert.throws(() => browserHost.startKernelThread(new URL('file:///x.mjs'), {}), /bundled kernel worker only/);
});

test("browser host's byte comparison agrees with Node's memcmp (aligned, unaligned, tails, one byte off)", () => {
  const buf = new Uint8Array(4096 + 16);
  crypto.getRandomValues(buf);
  const copy = buf.slice();
  for (const [off, len] of [[0, 4096], [1, 4095], [4, 1001], [3, 7], [0, 0]] as const) {
    const a = buf.subarray(off, off + len);
    const b = copy.subarray(off, off + len);
    assert.equal(browserHost.sameBytes(a, b), true);
    assert.equal(nodeHost.sameBytes(a, b), true);
    for (const at of len ? [0, len >> 1, len - 1] : []) {
      b[at]! ^= 0x10;
      assert.equal(browserHost.sameBytes(a, b), false, `differs at ${at} of ${len} (offset ${off})`);
      assert.equal(nodeHost.sameBytes(a, b), false);
      b[at]! ^= 0x10;
    }
  }
  assert.equal(browserHost.sameBytes(buf.subarray(0, 8), buf.subarray(0, 9)), false);
});

test('the NTT module built for unshared memory (a page without isolation) computes what the shared one does', () => {
  const shared = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES, shared: true });
  const plain = new WebAssembly.Memory({ initial: 2, maximum: MAX_PAGES });
  const exS = new WebAssembly.Instance(nttWasm(true).module, { env: { memory: shared } }).exports as unknown as NttExports;
  const exP = new WebAssembly.Instance(nttWasm(false).module, { env: { memory: plain } }).exports as unknown as NttExports;
  assert.throws(() => new WebAssembly.Instance(nttWasm(false).module, { env: { memory: shared } }), 'the memory kinds do not mix');
  const vals = frVecToBigints(frVecRandom(8));
  for (const a of vals) {
    for (const b of vals) {
      const outs = [shared, plain].map((memory, i) => {
        const m = new Uint8Array(memory.buffer);
        frToMontBytes(a, m, 4096);
        frToMontBytes(toMul29(b, FR_MODULUS), m, 4128);
        (i === 0 ? exS : exP).ntt_mul(4096, 4128, 4160);
        return frFromMontBytes(m, 4160);
      });
      assert.equal(outs[0], frMul(a, b));
      assert.equal(outs[1], frMul(a, b));
    }
  }
});
