/**
 * BN254 G1 points in ffjavascript's byte format, and their canonical big-endian encoding (PROTOCOL §3).
 *
 * G1Affine: 64 bytes, x ‖ y, each a 32-byte little-endian Montgomery element of Fq (x·2^256 mod q).
 * The identity is 64 zero bytes ((0,0) is off the curve, so the encoding is unambiguous).
 * Addition runs on the BN254 WASM module (bn254-wasm.ts), scalar multiples on @noble/curves, each imported
 * on first use (loading noble costs 20–35 ms, which a prover or verifier, needing none of it, should not
 * pay); results are always normalized affine. Bulk work (MSM) is in msm.ts; a verifier's combination and
 * pairing in bn254-wasm.ts.
 */
import { FormatError } from '../errors.ts';
import { FQ_MODULUS, FR_MODULUS, modInv } from '../scalar/fr.ts';

/** G1 affine point, 64 bytes: x‖y each 32-byte LE Montgomery (ffjavascript affine format); identity = all zero. */
export type G1Affine = Uint8Array;

export const G1_BYTES = 64;

const q = FQ_MODULUS;
const R_MOD_Q = (1n << 256n) % q;
const R_INV_MOD_Q = modInv(R_MOD_Q, q);

// The four 32-byte converters go 64 bits at a time (4 BigInt steps, not 32): every point read or absorbed
// passes through them.
const view32 = (b: Uint8Array, off: number, what: string): DataView => {
  if (off < 0 || off + 32 > b.length) throw new RangeError(`${what}: 32 bytes at offset ${off} exceed ${b.length}`);
  return new DataView(b.buffer, b.byteOffset + off, 32);
};

/** Reads a 32-byte little-endian unsigned integer. */
export function readLE32(b: Uint8Array, off: number): bigint {
  const d = view32(b, off, 'readLE32');
  return (d.getBigUint64(24, true) << 192n) | (d.getBigUint64(16, true) << 128n) | (d.getBigUint64(8, true) << 64n) | d.getBigUint64(0, true);
}
/** Writes v (< 2^256) as 32 little-endian bytes. */
export function writeLE32(v: bigint, out: Uint8Array, off: number): void {
  const d = view32(out, off, 'writeLE32');
  for (let i = 0; i < 4; i++) d.setBigUint64(8 * i, BigInt.asUintN(64, v >> BigInt(64 * i)), true);
}
export function readBE32(b: Uint8Array, off: number): bigint {
  const d = view32(b, off, 'readBE32');
  return (d.getBigUint64(0) << 192n) | (d.getBigUint64(8) << 128n) | (d.getBigUint64(16) << 64n) | d.getBigUint64(24);
}
export function writeBE32(v: bigint, out: Uint8Array, off: number): void {
  const d = view32(out, off, 'writeBE32');
  for (let i = 0; i < 4; i++) d.setBigUint64(24 - 8 * i, BigInt.asUintN(64, v >> BigInt(64 * i)));
}

/** Montgomery Fq element (stored a·R mod q) → standard value a. */
export const fqFromMont = (m: bigint): bigint => (m * R_INV_MOD_Q) % q;
/** Standard Fq value a → Montgomery a·R mod q. */
export const fqToMont = (a: bigint): bigint => (a * R_MOD_Q) % q;

export function isAllZero(b: Uint8Array, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[off + i] !== 0) return false;
  return true;
}

/** True when p is the identity (all-zero encoding). */
export function g1IsIdentity(p: G1Affine): boolean {
  checkLen(p, G1_BYTES, 'G1');
  return isAllZero(p, 0, G1_BYTES);
}

export function checkLen(p: Uint8Array, n: number, what: string): void {
  if (p.length !== n) throw new RangeError(`${what} point must be ${n} bytes, got ${p.length}`);
}

/** Standard affine coordinates of a G1 point (null for the identity). Verifier / test use. */
export function g1ToBigints(p: G1Affine): { x: bigint; y: bigint } | null {
  if (g1IsIdentity(p)) return null;
  return { x: fqFromMont(readLE32(p, 0)), y: fqFromMont(readLE32(p, 32)) };
}

/** Builds a G1Affine from standard coordinates (no curve check; use g1FromBytesBE for untrusted input). */
export function g1FromBigints(x: bigint, y: bigint): G1Affine {
  const out = new Uint8Array(G1_BYTES);
  if (x === 0n && y === 0n) return out;
  writeLE32(fqToMont(x), out, 0);
  writeLE32(fqToMont(y), out, 32);
  return out;
}

/** 64 bytes x‖y big-endian standard form; identity = 64 zero bytes (PROTOCOL §3). */
export function g1ToBytesBE(p: G1Affine): Uint8Array {
  const out = new Uint8Array(64);
  const c = g1ToBigints(p);
  if (!c) return out;
  writeBE32(c.x, out, 0);
  writeBE32(c.y, out, 32);
  return out;
}

/** True when (x, y) (standard) satisfies y² = x³ + 3 over Fq. */
function onCurveG1(x: bigint, y: bigint): boolean {
  return (y * y - (x * x % q) * x - 3n) % q === 0n;
}

/**
 * Parses a 64-byte big-endian encoding: coordinates must be < q and on y² = x³ + 3, or the all-zero
 * identity (PROTOCOL §5.1; the G1 cofactor is 1, so no subgroup check). Throws FormatError otherwise.
 */
export function g1FromBytesBE(b: Uint8Array, off = 0, what = 'G1 point'): G1Affine {
  if (off < 0 || b.length < off + 64) throw new FormatError(what, `needs 64 bytes at offset ${off}, have ${b.length - off}`);
  if (isAllZero(b, off, 64)) return new Uint8Array(G1_BYTES);
  const x = readBE32(b, off);
  const y = readBE32(b, off + 32);
  if (x >= q || y >= q) throw new FormatError(what, 'coordinate is not below the base field modulus q');
  if (!onCurveG1(x, y)) throw new FormatError(what, 'not on the curve y² = x³ + 3');
  return g1FromBigints(x, y);
}

/** Affine generator (1, 2). */
export function g1GeneratorSync(): G1Affine {
  return g1FromBigints(1n, 2n);
}
export async function g1Generator(): Promise<G1Affine> {
  return g1GeneratorSync();
}

export async function g1Add(a: G1Affine, b: G1Affine): Promise<G1Affine> {
  checkLen(a, G1_BYTES, 'G1');
  checkLen(b, G1_BYTES, 'G1');
  const { g1AddWasm } = await import('./bn254-wasm.ts');
  return g1AddWasm(a, b);
}

export async function g1Sub(a: G1Affine, b: G1Affine): Promise<G1Affine> {
  return g1Add(a, g1NegSync(b));
}

/** −p: (x, q − y), identity stays identity (pure JS, no curve needed). */
export function g1NegSync(p: G1Affine): G1Affine {
  checkLen(p, G1_BYTES, 'G1');
  const out = p.slice();
  if (isAllZero(p, 0, 64)) return out;
  const y = readLE32(p, 32);
  writeLE32(y === 0n ? 0n : q - y, out, 32); // Montgomery form of −y is q − y·R
  return out;
}
export async function g1Neg(a: G1Affine): Promise<G1Affine> {
  return g1NegSync(a);
}

/** s·p for any integer s (reduced mod r; negative allowed). */
export async function g1Mul(p: G1Affine, s: bigint): Promise<G1Affine> {
  checkLen(p, G1_BYTES, 'G1');
  let e = s % FR_MODULUS;
  if (e < 0n) e += FR_MODULUS;
  if (e === 0n || g1IsIdentity(p)) return new Uint8Array(G1_BYTES);
  const { g1FromNoble, g1ToNoble } = await import('./noble.ts');
  return g1FromNoble(g1ToNoble(p).multiply(e));
}

export function g1Eq(a: G1Affine, b: G1Affine): boolean {
  checkLen(a, G1_BYTES, 'G1');
  checkLen(b, G1_BYTES, 'G1');
  for (let i = 0; i < G1_BYTES; i++) if (a[i] !== b[i]) return false;
  return true; // affine normalized, canonical Montgomery coordinates ⇒ byte equality
}

// ---- aliases used by other modules ----

/** Standard affine coordinates (null for the identity); alias of g1ToBigints. */
export const g1Coordinates = g1ToBigints;
/** G1Affine from standard coordinates (no curve check); alias of g1FromBigints. */
export const g1FromCoordinates = g1FromBigints;

