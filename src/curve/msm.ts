/**
 * G1 multi-scalar multiplication on ffjavascript's multi-threaded Pippenger (`multiExpAffine`).
 * ffjavascript infers the scalar width from the buffer length (bytes per scalar), and the number of
 * Pippenger windows grows with it: small signed scalars are packed into 1..4 bytes with the base negated
 * for negative values, which is several times cheaper than a 32-byte MSM.
 */
import { FR_MODULUS } from '../field/fr.ts';
import { getFfjsCurve } from '../kernels/ffjs.ts';
import { G1_BYTES, writeLE32, type G1Affine } from './g1.ts';

const Q_LIMBS = limbsOf(21888242871839275222246405745257275088696311157297823662689037894645226208583n);
const R_LIMBS = limbsOf(FR_MODULUS);

function limbsOf(v: bigint): Uint32Array {
  const out = new Uint32Array(8);
  for (let i = 0; i < 8; i++) {
    out[i] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return out;
}

function checkSizes(bases: Uint8Array, nScalars: number, what: string): number {
  if (bases.length % G1_BYTES !== 0) throw new RangeError(`${what}: bases length ${bases.length} is not a multiple of 64`);
  const n = bases.length / G1_BYTES;
  if (n !== nScalars) throw new RangeError(`${what}: ${n} bases but ${nScalars} scalars`);
  return n;
}

/** MSM with scalars already in standard (non-Montgomery) little-endian form, `width` bytes each. */
async function msmRaw(bases: Uint8Array, scalars: Uint8Array, n: number): Promise<G1Affine> {
  if (n === 0) return new Uint8Array(G1_BYTES);
  const c = await getFfjsCurve();
  const res = await c.G1.multiExpAffine(bases, scalars, false, '');
  return new Uint8Array(c.G1.toAffine(res));
}

/** Σ s_i·B_i with scalars in standard (non-Montgomery) LE form, any fixed width (bytes/scalar = len/n). */
export async function g1MsmStandard(bases: Uint8Array, stdScalars: Uint8Array): Promise<G1Affine> {
  if (bases.length % G1_BYTES !== 0) throw new RangeError('g1MsmStandard: bases length is not a multiple of 64');
  const n = bases.length / G1_BYTES;
  if (n === 0) return new Uint8Array(G1_BYTES);
  if (stdScalars.length % n !== 0 || stdScalars.length === 0) throw new RangeError('g1MsmStandard: scalar buffer size');
  return msmRaw(bases, stdScalars, n);
}

/** Σ s_i·B_i, bases n×64 affine, scalars an FrVec (n×32 LE Montgomery). */
export async function g1Msm(bases: Uint8Array, scalars: Uint8Array): Promise<G1Affine> {
  if (scalars.length % 32 !== 0) throw new RangeError('g1Msm: scalars length is not a multiple of 32');
  const n = checkSizes(bases, scalars.length / 32, 'g1Msm');
  if (n === 0) return new Uint8Array(G1_BYTES);
  const c = await getFfjsCurve();
  const std: Uint8Array = await c.Fr.batchFromMontgomery(scalars);
  return msmRaw(bases, std, n);
}

/** Σ s_i·B_i for small signed scalars (|s_i| < 2^31). */
export async function g1MsmSmallSigned(bases: Uint8Array, scalars: Int32Array): Promise<G1Affine> {
  const n = checkSizes(bases, scalars.length, 'g1MsmSmallSigned');
  if (n === 0) return new Uint8Array(G1_BYTES);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const s = scalars[i]!;
    if (s === -2147483648) throw new RangeError('g1MsmSmallSigned: |s| must be < 2^31');
    const a = s < 0 ? -s : s;
    if (a > maxAbs) maxAbs = a;
  }
  const width = byteWidth(maxAbs);
  const packed = new Uint8Array(n * width);
  const nb = bases.slice(); // own copy, 4-byte aligned at offset 0
  const w32 = new Uint32Array(nb.buffer, 0, nb.length >>> 2);
  for (let i = 0; i < n; i++) {
    const s = scalars[i]!;
    let a = s;
    if (s < 0) {
      a = -s;
      negateYInPlace(w32, i);
    }
    for (let j = 0, v = a; j < width; j++, v >>>= 8) packed[i * width + j] = v & 0xff;
  }
  return msmRaw(nb, packed, n);
}

function byteWidth(maxAbs: number): number {
  if (maxAbs < 0x100) return 1;
  if (maxAbs < 0x10000) return 2;
  if (maxAbs < 0x1000000) return 3;
  return 4;
}

/** y ← q − y on point i (limb view of a 64-byte-per-point buffer); the identity is left alone. */
function negateYInPlace(w: Uint32Array, i: number): void {
  const o = i * 16 + 8;
  let zero = true;
  for (let j = 0; j < 8; j++) if (w[o + j] !== 0) { zero = false; break; }
  if (zero) return; // identity (y = 0 never happens on BN254 G1 otherwise: −3 is not a cube... and x=0 ⇒ y²=3)
  let borrow = 0;
  for (let j = 0; j < 8; j++) {
    const d = Q_LIMBS[j]! - w[o + j]! - borrow;
    w[o + j] = d >>> 0;
    borrow = d < 0 ? 1 : 0;
  }
}

/**
 * If every scalar (standard LE form, 32 bytes each) is a small signed value — |s| < 2^31, values in
 * (r − 2^31, r) read as negatives — returns them as an Int32Array; otherwise null.
 */
export function smallSignedScalars(std: Uint8Array): Int32Array | null {
  const n = std.length / 32;
  const w = new Uint32Array(std.buffer, std.byteOffset, std.length >>> 2);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * 8;
    const lo = w[o]!;
    let hiZero = true;
    for (let j = 1; j < 8; j++) if (w[o + j] !== 0) { hiZero = false; break; }
    if (hiZero) {
      if (lo >= 0x80000000) return null;
      out[i] = lo;
      continue;
    }
    // negative: limbs 1..7 equal r's, and r − 2^31 < v < r (r's low limb 0xf0000001 ≥ 2^31: no borrow)
    for (let j = 1; j < 8; j++) if (w[o + j] !== R_LIMBS[j]) return null;
    const rl = R_LIMBS[0]!;
    if (lo >= rl || rl - lo >= 0x80000000) return null;
    out[i] = -(rl - lo);
  }
  return out;
}

/** g1Msm that switches to the small signed path when every scalar is small (common for NN witnesses). */
export async function g1MsmAuto(bases: Uint8Array, scalars: Uint8Array): Promise<G1Affine> {
  if (scalars.length % 32 !== 0) throw new RangeError('g1MsmAuto: scalars length is not a multiple of 32');
  const n = checkSizes(bases, scalars.length / 32, 'g1MsmAuto');
  if (n === 0) return new Uint8Array(G1_BYTES);
  const c = await getFfjsCurve();
  let std: Uint8Array = await c.Fr.batchFromMontgomery(scalars);
  if (std.byteOffset % 4 !== 0) std = std.slice();
  const small = smallSignedScalars(std);
  if (small) return g1MsmSmallSigned(bases, small);
  return msmRaw(bases, std, n);
}

/** Σ s_i·P_i for a handful of points with bigint scalars (any integers, reduced mod r). Verifier side. */
export async function g1LinearCombination(points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
  if (points.length !== scalars.length) throw new RangeError('g1LinearCombination: length mismatch');
  const n = points.length;
  if (n === 0) return new Uint8Array(G1_BYTES);
  const bases = new Uint8Array(n * G1_BYTES);
  const sc = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    if (p.length !== G1_BYTES) throw new RangeError('g1LinearCombination: point must be 64 bytes');
    bases.set(p, i * G1_BYTES);
    let s = scalars[i]! % FR_MODULUS;
    if (s < 0n) s += FR_MODULUS;
    writeLE32(s, sc, i * 32);
  }
  return msmRaw(bases, sc, n);
}

/**
 * [s_i]·B for one base and many scalars (FrVec, Montgomery): one WASM scalar multiplication per point,
 * spread over ffjavascript's worker pool. Used for dev-SRS Lagrange keys (τ known).
 */
export async function g1FixedBaseBatch(base: G1Affine, scalars: Uint8Array): Promise<Uint8Array> {
  if (base.length !== G1_BYTES) throw new RangeError('g1FixedBaseBatch: base must be 64 bytes');
  if (scalars.length % 32 !== 0) throw new RangeError('g1FixedBaseBatch: scalars length is not a multiple of 32');
  const n = scalars.length / 32;
  const c = await getFfjsCurve();
  const CHUNK = 2048;
  const jobs: Promise<Uint8Array[]>[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    const m = Math.min(CHUNK, n - start);
    const task: object[] = [
      { cmd: 'ALLOCSET', var: 0, buff: scalars.slice(start * 32, (start + m) * 32) },
      { cmd: 'ALLOCSET', var: 1, buff: base },
      { cmd: 'ALLOC', var: 2, len: m * 96 },
    ];
    for (let i = 0; i < m; i++)
      task.push({ cmd: 'CALL', fnName: 'g1m_timesFrAffine', params: [{ var: 1 }, { var: 0, offset: i * 32 }, { var: 2, offset: i * 96 }] });
    task.push({ cmd: 'CALL', fnName: 'g1m_batchToAffine', params: [{ var: 2 }, { val: m }, { var: 2 }] });
    task.push({ cmd: 'GET', out: 0, var: 2, len: m * 64 });
    jobs.push(c.tm.queueAction(task));
  }
  const parts = await Promise.all(jobs);
  const out = new Uint8Array(n * 64);
  let o = 0;
  for (const [p] of parts) {
    out.set(p!, o);
    o += p!.length;
  }
  return out;
}
