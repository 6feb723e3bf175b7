/**
 * The kernel modules the build writes under dist/kernels/wasm/ (read by code running from dist instead of
 * generating them at start-up) are byte for byte what the sources generate now, with the same layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KERNEL_MODULES } from '../../src/kernels/prebuilt-all.ts';
import { fmaAvailable } from '../../src/kernels/msm/fma.ts';

const dir = resolve(import.meta.dirname, '../../dist/kernels/wasm');

test('every prebuilt kernel module equals the one generated from the sources (npm test builds dist first)', (t) => {
  if (!existsSync(dir)) {
    t.skip('dist/ is not built (npm test and npm ci build it)');
    return;
  }
  for (const [name, make] of Object.entries(KERNEL_MODULES)) {
    const { code, meta } = make();
    assert.ok(Buffer.from(code).equals(readFileSync(join(dir, `${name}.wasm`))), `${name}.wasm is stale: run npm run build`);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')), JSON.parse(JSON.stringify(meta)), `${name}.json`);
    // (the f51 MSM uses relaxed SIMD: fmaAvailable switches it on where the engine has it)
    if (name !== 'msm-f51' || fmaAvailable()) assert.ok(WebAssembly.validate(code as Uint8Array<ArrayBuffer>), `${name} is valid WASM`);
  }
});
