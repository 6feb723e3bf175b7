/**
 * KZG structured reference string: [τ^i]₁ for i ≤ 2^maxK, [1]₂, [τ]₂, and cached Lagrange keys
 * [L_i(τ)]₁ = (1/n)Σ_j ω^(−ij)[τ^j]₁ (G1 iFFT of the first n powers; ω = 5^((r−1)/n), PROTOCOL §1, §6).
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS, frInv, frMul, frPow, frSub, rootOfUnity } from '../scalar/fr.ts';
import { frVecAddScalar, frVecBatchInverse, frVecMul, frVecNeg, frVecPowers, frVecScale } from '../field/frvec.ts';
import { getFfjsCurve } from '../kernels/ffjs.ts';
import { G1_BYTES, g1FixedBaseBatch, g1GeneratorSync, g2Generator, g2Mul, type G2Affine } from '../curve/index.ts';

export interface Srs {
  /** Largest k with 2^k (+1) powers available. */
  readonly maxK: number;
  /** [τ^i]₁ affine, count ≥ 2^maxK + 1 when available. */
  readonly g1Powers: Uint8Array;
  readonly g2Gen: G2Affine;
  readonly g2Tau: G2Affine;
  /** True for a locally generated (dev) SRS whose secret was known to this process. */
  readonly insecure: boolean;
  /** [L_i(τ)]₁ for the domain of size 2^k (root 5^((r−1)/2^k)), natural order, cached. */
  lagrange(k: number): Promise<Uint8Array>;
}

/** Number of G1 powers held by an SRS. */
export function srsPowerCount(srs: Srs): number {
  return srs.g1Powers.length / G1_BYTES;
}

class SrsImpl implements Srs {
  readonly #lagrange = new Map<number, Promise<Uint8Array>>();
  constructor(
    readonly maxK: number,
    readonly g1Powers: Uint8Array,
    readonly g2Gen: G2Affine,
    readonly g2Tau: G2Affine,
    readonly insecure: boolean,
    prepared?: Map<number, Uint8Array>,
    private readonly compute: (k: number) => Promise<Uint8Array> = (k) => lagrangeFromPowers(g1Powers, k),
  ) {
    if (prepared) for (const [k, v] of prepared) this.#lagrange.set(k, Promise.resolve(v));
  }

  lagrange(k: number): Promise<Uint8Array> {
    if (!Number.isInteger(k) || k < 0 || k > this.maxK)
      return Promise.reject(new InvalidArgumentError(`SRS supports domains up to 2^${this.maxK}, asked for 2^${k}`));
    let p = this.#lagrange.get(k);
    if (!p) {
      p = this.compute(k);
      p.catch(() => this.#lagrange.delete(k));
      this.#lagrange.set(k, p);
    }
    return p;
  }
}

/** [L_i(τ)]₁, i < 2^k, from the first 2^k powers by a G1 inverse FFT. */
export async function lagrangeFromPowers(powers: Uint8Array, k: number): Promise<Uint8Array> {
  const n = 1 << k;
  if (powers.length < n * G1_BYTES) throw new InvalidArgumentError(`need ${n} G1 powers for the 2^${k} Lagrange key`);
  if (n === 1) return powers.slice(0, G1_BYTES); // L_0 = 1
  const c = await getFfjsCurve();
  const out = await c.G1.ifft(powers.slice(0, n * G1_BYTES), 'affine', 'affine');
  return new Uint8Array(out);
}

/** Builds an Srs from already validated parts (loaders and deserialization). */
export function makeSrs(
  maxK: number,
  g1Powers: Uint8Array,
  g2Gen: G2Affine,
  g2Tau: G2Affine,
  insecure: boolean,
  prepared?: Map<number, Uint8Array>,
  computeLagrange?: (k: number) => Promise<Uint8Array>,
): Srs {
  return new SrsImpl(maxK, g1Powers, g2Gen, g2Tau, insecure, prepared, computeLagrange);
}

function randomScalar(): bigint {
  for (;;) {
    const b = randomBytes(48); // 384 bits reduced mod r: negligible bias
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    v %= FR_MODULUS;
    if (v > 1n) return v;
  }
}

/** [τ^i]₁ for i < count: the powers in Fr, then one fixed-base batch of the generator (g1FixedBaseBatch). */
export async function g1PowersOf(tau: bigint, count: number): Promise<Uint8Array> {
  return g1FixedBaseBatch(g1GeneratorSync(), frVecPowers(tau, count));
}

/** FrVec of L_i(t) = ω^i(t^n − 1)/(n(t − ω^i)), i < 2^k; null if t is in the domain. */
function lagrangeValuesAt(t: bigint, k: number): Uint8Array | null {
  const n = 2 ** k;
  const w = rootOfUnity(k);
  const c = frMul(frSub(frPow(t, BigInt(n)), 1n), frInv(BigInt(n) % FR_MODULUS));
  if (c === 0n) return null;
  const wi = frVecPowers(w, n);
  const den = frVecAddScalar(frVecNeg(wi), t); // t − ω^i, non-zero since t^n ≠ 1
  return frVecScale(frVecMul(wi, frVecBatchInverse(den)), c);
}

/**
 * Insecure local SRS with 2^k + 1 powers: τ from the CSPRNG unless given (tests). Prints nothing; the CLI
 * announces that it is insecure.
 */
export async function devSrs(k: number, secret?: bigint): Promise<Srs> {
  if (!Number.isInteger(k) || k < 0 || k > 28) throw new InvalidArgumentError(`dev SRS size 2^${k} out of range (0..28)`);
  let tau = secret === undefined ? randomScalar() : secret % FR_MODULUS;
  if (tau < 0n) tau += FR_MODULUS;
  if (tau === 0n) throw new InvalidArgumentError('dev SRS secret must be non-zero mod r');
  const powers = await g1PowersOf(tau, (1 << k) + 1);
  const g2 = await g2Generator();
  const g2Tau = await g2Mul(g2, tau);
  // τ is known (insecure by design): [L_i(τ)]₁ = L_i(τ)·G, n scalar multiplications instead of a G1
  // iFFT's (n/2)·log n. Falls back to the iFFT if τ happens to lie in the domain.
  const tauKnown = tau;
  const compute = async (kk: number): Promise<Uint8Array> => {
    const vals = lagrangeValuesAt(tauKnown, kk);
    if (!vals) return lagrangeFromPowers(powers, kk);
    return g1FixedBaseBatch(g1GeneratorSync(), vals);
  };
  return makeSrs(k, powers, g2, g2Tau, true, undefined, compute);
}

/**
 * Serialization for keys: u32 LE maxK, u8 insecure, u32 LE power count, powers (64 B each), [1]₂, [τ]₂.
 * Trusted input only (the proving key is the prover's own file); the verifier needs just [1]₂, [τ]₂.
 */
export function serializeSrs(srs: Srs): Uint8Array {
  const n = srs.g1Powers.length / G1_BYTES;
  const out = new Uint8Array(9 + srs.g1Powers.length + 256);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, srs.maxK, true);
  out[4] = srs.insecure ? 1 : 0;
  dv.setUint32(5, n, true);
  out.set(srs.g1Powers, 9);
  out.set(srs.g2Gen, 9 + srs.g1Powers.length);
  out.set(srs.g2Tau, 9 + srs.g1Powers.length + 128);
  return out;
}

export function deserializeSrs(b: Uint8Array, what = 'SRS'): Srs {
  if (b.length < 9) throw new InvalidArgumentError(`${what}: truncated`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const maxK = dv.getUint32(0, true);
  const insecure = b[4] === 1;
  const n = dv.getUint32(5, true);
  if (b.length !== 9 + n * G1_BYTES + 256 || maxK > 28 || n < 2 ** maxK) throw new InvalidArgumentError(`${what}: bad length`);
  const powers = b.slice(9, 9 + n * G1_BYTES);
  const g2Gen = b.slice(9 + n * G1_BYTES, 9 + n * G1_BYTES + 128);
  const g2Tau = b.slice(9 + n * G1_BYTES + 128);
  return makeSrs(maxK, powers, g2Gen, g2Tau, insecure);
}
