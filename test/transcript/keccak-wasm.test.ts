/**
 * Keccak-256 on the WASM permutation (src/transcript/keccak-wasm.ts) against known answers and against
 * @noble/hashes on every length across several rate boundaries (136-byte blocks), inputs that grow its
 * memory, and calls in any order (no state carried between digests).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../../src/transcript/keccak-wasm.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('keccak256: known answers (the empty string, "abc", the EVM transfer selector)', () => {
  assert.equal(hex(keccak256(new Uint8Array(0))), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(hex(keccak256(new TextEncoder().encode('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
  assert.equal(hex(keccak256(new TextEncoder().encode('transfer(address,uint256)'))).slice(0, 8), 'a9059cbb');
});

test('keccak256 equals @noble/hashes keccak_256 on every length 0..600 and on large inputs', () => {
  for (let n = 0; n <= 600; n++) {
    const d = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 255);
    assert.equal(hex(keccak256(d)), hex(keccak_256(d)), `length ${n}`);
  }
  for (const n of [65_535, 200_000, 1 << 20]) {
    const d = Uint8Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 24);
    assert.equal(hex(keccak256(d)), hex(keccak_256(d)), `length ${n}`);
  }
  // a short input after a long one: nothing of the previous message or state remains
  assert.equal(hex(keccak256(new Uint8Array(0))), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
});
