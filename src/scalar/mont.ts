/**
 * The packed Fr encoding shared by the field vectors and the WASM kernels: n elements × 32 bytes,
 * little-endian Montgomery form (a·2^256 mod r) — the ffjavascript / wasmcurves buffer format. Single values
 * cross it as canonical bigints.
 */
import { FR_MODULUS, frFrom, modInv } from './fr.ts';

/** Fr elements packed 32 bytes each, little-endian Montgomery form. */
export type FrVec = Uint8Array;

const r = FR_MODULUS;
const R = (1n << 256n) % r; // Montgomery radix mod r
const RINV = modInv(R, r);
/** Bytes per element. */
export const FR_BYTES = 32;

export function writeLE(buf: Uint8Array, off: number, x: bigint): void {
  let v = x;
  for (let w = 0; w < 4; w++) {
    const lo = Number(v & 0xffffffffn);
    const hi = Number((v >> 32n) & 0xffffffffn);
    const o = off + w * 8;
    buf[o] = lo & 0xff;
    buf[o + 1] = (lo >>> 8) & 0xff;
    buf[o + 2] = (lo >>> 16) & 0xff;
    buf[o + 3] = lo >>> 24;
    buf[o + 4] = hi & 0xff;
    buf[o + 5] = (hi >>> 8) & 0xff;
    buf[o + 6] = (hi >>> 16) & 0xff;
    buf[o + 7] = hi >>> 24;
    v >>= 64n;
  }
}

export function readLE(buf: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let w = 3; w >= 0; w--) {
    const o = off + w * 8;
    const lo = (buf[o]! | (buf[o + 1]! << 8) | (buf[o + 2]! << 16) | (buf[o + 3]! << 24)) >>> 0;
    const hi = (buf[o + 4]! | (buf[o + 5]! << 8) | (buf[o + 6]! << 16) | (buf[o + 7]! << 24)) >>> 0;
    v = (v << 64n) | (BigInt(hi) << 32n) | BigInt(lo);
  }
  return v;
}

/** Canonical bigint → 32-byte Montgomery encoding written at buf[off..off+32). */
export function frToMontBytes(x: bigint, buf: Uint8Array = new Uint8Array(FR_BYTES), off = 0): Uint8Array {
  writeLE(buf, off, (frFrom(x) * R) % r);
  return buf;
}

/** 32-byte Montgomery encoding → canonical bigint. */
export function frFromMontBytes(buf: Uint8Array, off = 0): bigint {
  return (readLE(buf, off) * RINV) % r;
}
