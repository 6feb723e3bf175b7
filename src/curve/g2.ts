/**
 * BN254 G2 points (the SRS's [1]₂ and [τ]₂, the pairing's second argument) in ffjavascript's byte format:
 * 128 bytes, x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1, each a 32-byte little-endian Montgomery element of Fq; the identity
 * is all zeros. Arithmetic on @noble/curves (a handful of G2 operations per key or proof), imported on first
 * use: a verifier only validates G2 points (bn254-wasm.ts) and should not pay noble's load time.
 */
import { FormatError } from '../errors.ts';
import { FQ_MODULUS, FR_MODULUS } from '../scalar/fr.ts';
import { checkLen, fqFromMont, fqToMont, isAllZero, readLE32, writeBE32, writeLE32 } from './g1.ts';
import { g2IsValidWasm } from './bn254-wasm.ts';

/** G2 affine point, 128 bytes: x.c0‖x.c1‖y.c0‖y.c1, each 32-byte LE Montgomery; identity = all zero. */
export type G2Affine = Uint8Array;

export const G2_BYTES = 128;

const q = FQ_MODULUS;
let STANDARD_G2: G2Affine | null = null;
/** G2 points (as hex) that passed g2Validate in this process; a few SRSs at most, bounded anyway. */
const VALID_G2 = new Set<string>();
const hexOf = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Standard G2 generator (EIP-197 / snarkjs), affine, Montgomery. */
export async function g2Generator(): Promise<G2Affine> {
  return standardG2().slice();
}

/** The generator's coordinates (x.c0, x.c1, y.c0, y.c1; EIP-197), in our byte format (built once). */
function standardG2(): G2Affine {
  if (!STANDARD_G2) {
    const out = new Uint8Array(G2_BYTES);
    [
      10857046999023057135944570762232829481370756359578518086990519993285655852781n,
      11559732032986387107991004021392285783925812861821192530917403151452391805634n,
      8495653923123431417604973247489272438418190587263600148770280649306958101930n,
      4082367875863433681332203403145435568316851327593401208105741076214120093531n,
    ].forEach((v, i) => writeLE32(fqToMont(v), out, 32 * i));
    STANDARD_G2 = out;
  }
  return STANDARD_G2;
}

export function g2IsIdentity(p: G2Affine): boolean {
  checkLen(p, G2_BYTES, 'G2');
  return isAllZero(p, 0, G2_BYTES);
}

/** s·p for any integer s (reduced mod r; negative allowed). */
export async function g2Mul(p: G2Affine, s: bigint): Promise<G2Affine> {
  checkLen(p, G2_BYTES, 'G2');
  let e = s % FR_MODULUS;
  if (e < 0n) e += FR_MODULUS;
  if (e === 0n || g2IsIdentity(p)) return new Uint8Array(G2_BYTES);
  const { g2FromNoble, g2ToNoble } = await import('./noble.ts');
  return g2FromNoble(g2ToNoble(p).multiply(e));
}

export async function g2Add(a: G2Affine, b: G2Affine): Promise<G2Affine> {
  checkLen(a, G2_BYTES, 'G2');
  checkLen(b, G2_BYTES, 'G2');
  const { g2FromNoble, g2ToNoble } = await import('./noble.ts');
  return g2FromNoble(g2ToNoble(a).add(g2ToNoble(b)));
}

export function g2NegSync(p: G2Affine): G2Affine {
  checkLen(p, G2_BYTES, 'G2');
  const out = p.slice();
  if (g2IsIdentity(p)) return out;
  for (const off of [64, 96]) {
    const y = readLE32(p, off);
    writeLE32(y === 0n ? 0n : q - y, out, off);
  }
  return out;
}

export function g2Eq(a: G2Affine, b: G2Affine): boolean {
  checkLen(a, G2_BYTES, 'G2');
  checkLen(b, G2_BYTES, 'G2');
  for (let i = 0; i < G2_BYTES; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Standard coordinates {x:{c0,c1}, y:{c0,c1}} (null for identity). */
export function g2ToBigints(p: G2Affine): { x: { c0: bigint; c1: bigint }; y: { c0: bigint; c1: bigint } } | null {
  if (g2IsIdentity(p)) return null;
  const f = (o: number) => fqFromMont(readLE32(p, o));
  return { x: { c0: f(0), c1: f(32) }, y: { c0: f(64), c1: f(96) } };
}

/** 128 bytes for the EVM pairing precompile: x.c1 ‖ x.c0 ‖ y.c1 ‖ y.c0, big-endian standard form. */
export function g2ToBytesEvm(p: G2Affine): Uint8Array {
  const out = new Uint8Array(128);
  const c = g2ToBigints(p);
  if (!c) return out;
  writeBE32(c.x.c1, out, 0);
  writeBE32(c.x.c0, out, 32);
  writeBE32(c.y.c1, out, 64);
  writeBE32(c.y.c0, out, 96);
  return out;
}

/**
 * Validates a G2 point in ffjavascript format from an untrusted source: each coordinate < q (canonical
 * Montgomery), on the twist, and in the order-r subgroup (r·Q = O). Identity is rejected unless allowed.
 */
export async function g2Validate(p: G2Affine, what: string, allowIdentity = false): Promise<void> {
  if (p.length !== G2_BYTES) throw new FormatError(what, `G2 point must be ${G2_BYTES} bytes`);
  if (g2IsIdentity(p)) {
    if (allowIdentity) return;
    throw new FormatError(what, 'G2 point is the identity');
  }
  for (let o = 0; o < 128; o += 32) {
    if (readLE32(p, o) >= q) throw new FormatError(what, 'G2 coordinate is not below q');
  }
  // The standard generator is valid by definition; only other points need the subgroup check (r·Q = O, a few ms on WASM),
  // and a point that passed it once in this process (the same SRS's [τ]₂ in every key) is not checked again.
  if (g2Eq(p, standardG2())) return;
  const key = hexOf(p);
  if (VALID_G2.has(key)) return;
  if (!(await g2IsValidWasm(p))) throw new FormatError(what, 'G2 point is not on the twist curve or not in the order-r subgroup');
  if (VALID_G2.size >= 64) VALID_G2.clear();
  VALID_G2.add(key);
}

/** G2 in its 128-byte format (copy), for keys. */
export const g2ToBytes = (p: G2Affine): Uint8Array => p.slice();

/**
 * 128-byte G2 from a key file: checks length and canonical coordinates (< q). Keys get their G2 points from
 * an SRS validated at load (on twist, subgroup); use g2Validate for full checks.
 */
export function g2FromBytes(b: Uint8Array, off = 0, what = 'G2 point'): G2Affine {
  if (off < 0 || b.length < off + G2_BYTES) throw new FormatError(what, `needs ${G2_BYTES} bytes`);
  for (let o = 0; o < G2_BYTES; o += 32) if (readLE32(b, off + o) >= q) throw new FormatError(what, 'coordinate is not below q');
  return b.slice(off, off + G2_BYTES);
}
