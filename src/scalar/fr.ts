/**
 * BN254's moduli and the scalar field Fr as single values (bigint), with the modular helpers everything
 * else uses: the one home of these constants, below the kernels (which build their WASM from them) and
 * the field vectors (src/field/frvec.ts: typed arrays, Montgomery form, WASM kernels). Used outside hot
 * paths: challenges, the verifier, kernel set-up, and reference code in tests.
 */
export const FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
/** Base field Fq modulus (curve coordinates). */
export const FQ_MODULUS = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
/** 2-adicity of r−1 and the generator whose 2^28-th power root defines every domain (PROTOCOL §1). */
export const FR_TWO_ADICITY = 28;
export const FR_ROOT_GENERATOR = 5n;

export type Fr = bigint;

const r = FR_MODULUS;

export const frAdd = (a: Fr, b: Fr): Fr => {
  const s = a + b;
  return s >= r ? s - r : s;
};
export const frSub = (a: Fr, b: Fr): Fr => {
  const s = a - b;
  return s < 0n ? s + r : s;
};
export const frMul = (a: Fr, b: Fr): Fr => (a * b) % r;
export const frNeg = (a: Fr): Fr => (a === 0n ? 0n : r - a);
/** Reduces any integer (negative too) into [0, r). */
export const frFrom = (a: bigint | number): Fr => {
  const v = BigInt(a) % r;
  return v < 0n ? v + r : v;
};

/** b^e mod m (square and multiply; e ≥ 0). */
export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let result = 1n;
  b %= m;
  if (b < 0n) b += m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) result = (result * b) % m;
  return result;
}

/** a⁻¹ mod m by the extended Euclidean algorithm (a coprime to m). */
export function modInv(a: bigint, m: bigint): bigint {
  let [old, cur] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (cur !== 0n) {
    const q = old / cur;
    [old, cur] = [cur, old - q * cur];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (old !== 1n) throw new RangeError('modInv: not invertible');
  return ((s0 % m) + m) % m;
}

export function frPow(base: Fr, exp: bigint): Fr {
  return modPow(base, exp, r);
}

/** A uniformly random element (40 random bytes reduced mod r: bias below 2^-64). */
export function frRandom(): Fr {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  let v = 0n;
  for (const x of bytes) v = (v << 8n) | BigInt(x);
  return v % r;
}

/**
 * Inverse by the extended Euclidean algorithm (several times faster than Fermat's a^(r−2) on BigInts);
 * throws on zero (callers must rule it out: a zero here is a soundness bug).
 */
export function frInv(a: Fr): Fr {
  let x = ((a % r) + r) % r;
  if (x === 0n) throw new RangeError('inverse of zero in Fr');
  // Invariant: s0·a ≡ x and s1·a ≡ y (mod r), with (x, y) running down the remainders of (a, r).
  let y = r;
  let s0 = 1n;
  let s1 = 0n;
  while (x !== 1n) {
    const q = y / x;
    [y, x] = [x, y - q * x];
    [s1, s0] = [s0, s1 - q * s0];
  }
  return s0 < 0n ? s0 + r : s0;
}

/** Inverts every element with one field inversion (Montgomery's trick). Zero entries are rejected. */
export function frBatchInv(xs: Fr[]): Fr[] {
  const prefix: Fr[] = new Array(xs.length);
  let acc = 1n;
  for (let i = 0; i < xs.length; i++) {
    prefix[i] = acc;
    acc = (acc * xs[i]!) % r;
  }
  let inv = frInv(acc);
  const out: Fr[] = new Array(xs.length);
  for (let i = xs.length - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]!) % r;
    inv = (inv * xs[i]!) % r;
  }
  return out;
}

/** Primitive 2^k-th root of unity: 5^((r−1)/2^k) (the snarkjs / ffjavascript choice). */
export function rootOfUnity(k: number): Fr {
  if (!(Number.isInteger(k) && k >= 0 && k <= FR_TWO_ADICITY)) throw new RangeError(`no 2^${k}-th root of unity in Fr`);
  // Every NTT asks for its root: kept, as a 254-bit BigInt power costs a fraction of a millisecond.
  return (rootsOfUnity[k] ??= frPow(FR_ROOT_GENERATOR, (r - 1n) >> BigInt(k)));
}
const rootsOfUnity: Fr[] = [];

/** Signed view of a field element: values above r/2 are read as negatives. */
export function frToSigned(a: Fr): bigint {
  return a > r >> 1n ? a - r : a;
}

/** 32-byte big-endian encoding (transcript, EVM). */
export function frToBytesBE(a: Fr): Uint8Array {
  const out = new Uint8Array(32);
  let v = a;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Reads 32 big-endian bytes; returns null when the value is not canonical (≥ r). */
export function frFromBytesBE(bytes: Uint8Array, offset = 0): Fr | null {
  let v = 0n;
  for (let i = 0; i < 32; i++) v = (v << 8n) | BigInt(bytes[offset + i]!);
  return v < r ? v : null;
}
