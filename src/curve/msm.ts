/**
 * G1 multi-scalar multiplication on our own WASM Pippenger (src/kernels/msm: signed digits, batch-affine
 * bucket additions, one worker per core). The number of windows follows the widest scalar, so small signed
 * scalars (|s| < 2^31, negatives as r − |s| in field form) take one or two windows only; g1MsmAuto detects them.
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { frVecToStandard } from '../field/frvec.ts';
import { getFfjsCurve } from '../kernels/ffjs.ts';
import { fixedBaseG1, msmG1, msmG1Many, prepareMsmTable, type MsmItem } from '../kernels/msm/pool.ts';
import { G1_BYTES, writeLE32, type G1Affine } from './g1.ts';
import { useWarmCombination } from './combination.ts';
import { g1MsmBytesWasm } from './bn254-wasm.ts';

/**
 * Up to this many points a linear combination runs on @noble/curves until the WASM engine has run once in
 * this process: a verifier's combinations are this short, and starting the engine (module build, worker
 * threads) would cost more than the work; once it runs, it is faster for any length.
 */
const SMALL_COMBINATION = 256;

/**
 * Up to this many points a full-width MSM runs on the jacobian multiexp of bn254-wasm.ts: a batch-affine
 * Pippenger needs long batches to share its inversions, and a few points never fill them (6 points, the
 * blinding rows of a witness column: 0.9 ms there against 2.6 ms on the engine; they break even near 24).
 */
const JACOBIAN_POINTS = 16;

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

/** Bit length of the largest of n little-endian scalars of `width` bytes each. */
function maxBits(scalars: Uint8Array, width: number): number {
  const n = scalars.length / width;
  let top = -1; // highest nonzero byte index seen
  let topByte = 0;
  for (let i = 0, o = 0; i < n; i++, o += width) {
    for (let j = width - 1; j >= top && j >= 0; j--) {
      const b = scalars[o + j]!;
      if (b === 0) continue;
      if (j > top) {
        top = j;
        topByte = b;
      } else topByte |= b;
      break;
    }
  }
  return top < 0 ? 0 : top * 8 + (32 - Math.clz32(topByte));
}

/** Set once an MSM has run: the engine's start-up is paid, so short combinations use it too. */
let engineWarm = false;
async function warmed<T>(p: Promise<T>): Promise<T> {
  const r = await p;
  if (!engineWarm) {
    engineWarm = true;
    useWarmCombination(wasmCombination);
  }
  return r;
}

/** MSM with scalars in standard (non-Montgomery) little-endian form, `width` bytes each. */
function msmStd(bases: Uint8Array, scalars: Uint8Array, width: number): Promise<G1Affine> {
  if (bases.length <= JACOBIAN_POINTS * G1_BYTES && width >= 16) return g1MsmBytesWasm(bases, scalars, width);
  return warmed(msmG1(bases, scalars, width, null, maxBits(scalars, width)));
}

/**
 * Builds the MSM threads' shifted-base table of `bases` now (kernels/msm/pool.ts prepareMsmTable), so that
 * full-width MSMs over them or a prefix use it from the first call. Resolves with the table's window width,
 * or 0 where none is built (too large, no saving at that size, one thread).
 */
export function prepareG1Bases(bases: Uint8Array): Promise<number> {
  return prepareMsmTable(bases);
}

/** Σ s_i·B_i with scalars in standard (non-Montgomery) LE form, any fixed width (bytes/scalar = len/n). */
export async function g1MsmStandard(bases: Uint8Array, stdScalars: Uint8Array): Promise<G1Affine> {
  if (bases.length % G1_BYTES !== 0) throw new RangeError('g1MsmStandard: bases length is not a multiple of 64');
  const n = bases.length / G1_BYTES;
  if (n === 0) return new Uint8Array(G1_BYTES);
  if (stdScalars.length % n !== 0 || stdScalars.length === 0) throw new RangeError('g1MsmStandard: scalar buffer size');
  return msmStd(bases, stdScalars, stdScalars.length / n);
}

/** Σ s_i·B_i, bases n×64 affine, scalars an FrVec (n×32 LE Montgomery). */
export async function g1Msm(bases: Uint8Array, scalars: Uint8Array): Promise<G1Affine> {
  if (scalars.length % 32 !== 0) throw new RangeError('g1Msm: scalars length is not a multiple of 32');
  const n = checkSizes(bases, scalars.length / 32, 'g1Msm');
  if (n === 0) return new Uint8Array(G1_BYTES);
  return msmStd(bases, frVecToStandard(scalars), 32);
}

/** Small signed scalars as the engine takes them: 4-byte magnitudes, a sign per point, and the widest's bits. */
function signedItem(scalars: Int32Array, what: string): MsmItem {
  const n = scalars.length;
  const mags = new Uint32Array(n);
  const signs = new Uint8Array(n);
  let maxAbs = 0;
  for (let i = 0; i < n; i++) {
    const s = scalars[i]!;
    if (s === -2147483648) throw new RangeError(`${what}: |s| must be < 2^31`);
    const a = s < 0 ? -s : s;
    mags[i] = a;
    signs[i] = s < 0 ? 1 : 0;
    if (a > maxAbs) maxAbs = a;
  }
  // Uint32Array bytes are little-endian on every platform Node runs on.
  return { scalars: new Uint8Array(mags.buffer), width: 4, signs, bits: 32 - Math.clz32(maxAbs) };
}

/** Σ s_i·B_i for small signed scalars (|s_i| < 2^31). */
export async function g1MsmSmallSigned(bases: Uint8Array, scalars: Int32Array): Promise<G1Affine> {
  const n = checkSizes(bases, scalars.length, 'g1MsmSmallSigned');
  if (n === 0) return new Uint8Array(G1_BYTES);
  const it = signedItem(scalars, 'g1MsmSmallSigned');
  return warmed(msmG1(bases, it.scalars, 4, it.signs, it.bits));
}

/**
 * g1MsmSmallSigned for several scalar vectors over the same bases, each MSM whole on one thread
 * (kernels/msm/pool.ts msmG1Many): for batches of MSMs too small to split over the threads one by one.
 */
export async function g1MsmSmallSignedMany(bases: Uint8Array, scalars: readonly Int32Array[]): Promise<G1Affine[]> {
  const items = scalars.map((s) => (checkSizes(bases, s.length, 'g1MsmSmallSignedMany'), signedItem(s, 'g1MsmSmallSignedMany')));
  return warmed(msmG1Many(bases, items));
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
  const std = frVecToStandard(scalars); // fresh buffer, offset 0: 4-byte aligned
  const small = smallSignedScalars(std);
  if (small) return g1MsmSmallSigned(bases, small);
  return msmStd(bases, std, 32);
}

/** Σ s_i·P_i for a handful of points with bigint scalars (any integers, reduced mod r). Verifier side. */
export async function g1LinearCombination(points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
  if (points.length !== scalars.length) throw new RangeError('g1LinearCombination: length mismatch');
  const n = points.length;
  if (n === 0) return new Uint8Array(G1_BYTES);
  if (n <= SMALL_COMBINATION && !engineWarm) {
    // @noble/curves (~250 KB of modules) is loaded only by the processes that take this path.
    const { g1LinearCombinationNoble } = await import('./noble.ts');
    return g1LinearCombinationNoble(points, scalars.map((s) => ((s % FR_MODULUS) + FR_MODULUS) % FR_MODULUS));
  }
  return wasmCombination(points, scalars);
}

/** Σ s_i·P_i on the WASM engine (any integers as scalars, reduced mod r). */
async function wasmCombination(points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
  const n = points.length;
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
  return msmStd(bases, sc, 32);
}

/**
 * [s_i]·B for one base and many scalars (FrVec, Montgomery), n × 64 bytes: signed 8-bit digits over a
 * fixed-base table of B (fixed-base.ts), 32 batch-affine additions per point in our MSM engine, split over
 * its workers. Used for the dev SRS ([τ^i]G and Lagrange keys [L_i(τ)]G, τ known).
 */
export async function g1FixedBaseBatch(base: G1Affine, scalars: Uint8Array): Promise<Uint8Array> {
  if (base.length !== G1_BYTES) throw new RangeError('g1FixedBaseBatch: base must be 64 bytes');
  if (scalars.length % 32 !== 0) throw new RangeError('g1FixedBaseBatch: scalars length is not a multiple of 32');
  if (scalars.length === 0) return new Uint8Array(0);
  const { fixedBaseTable } = await import('./fixed-base.ts'); // built with @noble/curves: loaded where used (setup)
  return fixedBaseG1(fixedBaseTable(base), frVecToStandard(scalars));
}
