/**
 * Fiat–Shamir transcript over Keccak256 (PROTOCOL §3). Items are tagged and fixed-length, so the byte
 * stream is unambiguous and a Solidity verifier can replay it with the keccak256 opcode.
 *   point:   0x01 ‖ x ‖ y (32-byte big-endian affine coordinates; identity = 64 zero bytes)
 *   scalar:  0x02 ‖ 32-byte big-endian value < r
 *   bytes32: 0x03 ‖ 32 bytes
 *   squeeze: D = keccak256(S ‖ 0x00 ‖ ctr(4-byte BE) ‖ B); S ← D; B ← ∅; ctr += 1; challenge = D mod r
 */
import { keccak256 as keccak_256 } from './keccak-wasm.ts';
import { FR_MODULUS, frToBytesBE, type Fr } from '../scalar/fr.ts';

export const TRANSCRIPT_DOMAIN = 'zkml-plonk-bn254-kzg-shplonk-v1';

export class KeccakTranscript {
  private state: Uint8Array;
  private buffer: Uint8Array[] = [];
  private counter = 0;

  constructor(domain: string = TRANSCRIPT_DOMAIN) {
    this.state = keccak_256(new TextEncoder().encode(domain));
  }

  /** Absorbs a G1 point given as its 64-byte big-endian encoding (see curve/ g1ToBytesBE). */
  absorbPoint(encodedBE: Uint8Array): void {
    if (encodedBE.length !== 64) throw new RangeError('transcript point must be 64 bytes');
    this.push(0x01, encodedBE);
  }

  absorbScalar(x: Fr): void {
    if (x < 0n || x >= FR_MODULUS) throw new RangeError('transcript scalar must be canonical (< r)');
    this.push(0x02, frToBytesBE(x));
  }

  absorbBytes32(d: Uint8Array): void {
    if (d.length !== 32) throw new RangeError('transcript bytes32 must be 32 bytes');
    this.push(0x03, d);
  }

  /** Draws a challenge in Fr bound to everything absorbed so far. */
  squeeze(): Fr {
    const ctr = new Uint8Array(5);
    new DataView(ctr.buffer).setUint32(1, this.counter);
    const parts = [this.state, ctr, ...this.buffer];
    const total = parts.reduce((s, p) => s + p.length, 0);
    const input = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      input.set(p, off);
      off += p.length;
    }
    const digest = keccak_256(input);
    this.state = digest;
    this.buffer = [];
    this.counter++;
    let v = 0n;
    for (const byte of digest) v = (v << 8n) | BigInt(byte);
    return v % FR_MODULUS;
  }

  private push(tag: number, body: Uint8Array): void {
    const item = new Uint8Array(1 + body.length);
    item[0] = tag;
    item.set(body, 1);
    this.buffer.push(item);
  }
}
