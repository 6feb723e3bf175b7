/** Keccak transcript: known Keccak-256 vectors, the exact byte layout of PROTOCOL §3, and binding. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { KeccakTranscript, TRANSCRIPT_DOMAIN } from '../../src/transcript/keccak.ts';

test('Keccak-256 known answers (Ethereum keccak256, not SHA3-256)', () => {
  assert.equal(bytesToHex(keccak_256(new Uint8Array())), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(bytesToHex(keccak_256(new TextEncoder().encode('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
});

test('squeeze follows the PROTOCOL §3 byte layout exactly', () => {
  const t = new KeccakTranscript();
  const point = hexToBytes('00'.repeat(31) + '01' + '00'.repeat(31) + '02'); // (1, 2)
  t.absorbPoint(point);
  t.absorbScalar(5n);
  t.absorbBytes32(new Uint8Array(32).fill(7));
  const c0 = t.squeeze();
  const c1 = t.squeeze();

  const S0 = keccak_256(new TextEncoder().encode(TRANSCRIPT_DOMAIN));
  const scalar5 = new Uint8Array(32);
  scalar5[31] = 5;
  const B = new Uint8Array([0x01, ...point, 0x02, ...scalar5, 0x03, ...new Uint8Array(32).fill(7)]);
  const D0 = keccak_256(new Uint8Array([...S0, 0x00, 0, 0, 0, 0, ...B]));
  const D1 = keccak_256(new Uint8Array([...D0, 0x00, 0, 0, 0, 1]));
  const asFr = (d: Uint8Array) => BigInt('0x' + bytesToHex(d)) % FR_MODULUS;
  assert.equal(c0, asFr(D0));
  assert.equal(c1, asFr(D1));
});

test('any change to an absorbed item changes every later challenge', () => {
  const run = (x: bigint) => {
    const t = new KeccakTranscript();
    t.absorbScalar(x);
    return [t.squeeze(), t.squeeze()];
  };
  const [a0, a1] = run(1n);
  const [b0, b1] = run(2n);
  assert.notEqual(a0, b0);
  assert.notEqual(a1, b1);
});

test('non-canonical scalars and wrong-length items are refused', () => {
  const t = new KeccakTranscript();
  assert.throws(() => t.absorbScalar(FR_MODULUS), RangeError);
  assert.throws(() => t.absorbPoint(new Uint8Array(63)), RangeError);
  assert.throws(() => t.absorbBytes32(new Uint8Array(31)), RangeError);
});
