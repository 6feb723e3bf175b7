/**
 * Fr vectors: `Uint8Array` of n elements × 32 bytes, little-endian Montgomery form (a·2^256 mod r) — the
 * ffjavascript / wasmcurves Fr buffer format, so `curve.Fr.fft` etc. accept these buffers directly.
 * Every bulk operation runs in our WASM kernel (src/kernels/fr-wasm.ts), one call per chunk of CHUNK
 * elements; no BigInt or per-element objects in the hot loops. Single values cross as bigint (canonical,
 * non-Montgomery).
 */
import { FR_MODULUS, frFrom } from '../scalar/fr.ts';
import { readLE, writeLE, frFromMontBytes, frToMontBytes, type FrVec } from '../scalar/mont.ts';
import { CHUNK, N8, frKernel, type FrKernel } from '../kernels/fr-wasm.ts';

export { frFromMontBytes, frToMontBytes, type FrVec } from '../scalar/mont.ts';

const r = FR_MODULUS;
const R = (1n << 256n) % r; // Montgomery radix mod r

function check(v: FrVec): number {
  if (v.length % N8 !== 0) throw new RangeError(`FrVec byte length ${v.length} is not a multiple of 32`);
  return v.length / N8;
}
function sameLen(a: FrVec, b: FrVec): number {
  const n = check(a);
  if (check(b) !== n) throw new RangeError(`FrVec length mismatch: ${n} vs ${b.length / N8}`);
  return n;
}
function outFor(n: number, out: FrVec | undefined): FrVec {
  if (!out) return new Uint8Array(n * N8);
  if (out.length !== n * N8) throw new RangeError(`output FrVec has length ${out.length / N8}, expected ${n}`);
  return out;
}
function mem(k: FrKernel): Uint8Array {
  return new Uint8Array(k.memory.buffer);
}
function setConst(k: FrKernel, slot: number, x: bigint): void {
  frToMontBytes(x, mem(k), slot);
}

export function frVecAlloc(n: number): FrVec {
  return new Uint8Array(n * N8);
}
export function frVecLen(v: FrVec): number {
  return check(v);
}
export function frVecGet(v: FrVec, i: number): bigint {
  if (i < 0 || (i + 1) * N8 > v.length) throw new RangeError(`index ${i} out of range`);
  return frFromMontBytes(v, i * N8);
}
export function frVecSet(v: FrVec, i: number, x: bigint): void {
  if (i < 0 || (i + 1) * N8 > v.length) throw new RangeError(`index ${i} out of range`);
  frToMontBytes(x, v, i * N8);
}

/** Runs `fn(len)` per chunk after copying `ins[j]` chunk into scratch slots; copies `O` (or slot 0) out. */
function chunked(
  n: number,
  ins: FrVec[],
  out: FrVec | null,
  fn: (k: FrKernel, len: number) => void,
  outSlot: 'O' | 'A' = 'O',
): void {
  const k = frKernel();
  const slots = [k.A, k.B];
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    const m = mem(k);
    for (let j = 0; j < ins.length; j++) m.set(ins[j]!.subarray(start * N8, (start + len) * N8), slots[j]!);
    fn(k, len);
    if (out) {
      const src = outSlot === 'O' ? k.O : k.A;
      out.set(m.subarray(src, src + len * N8), start * N8);
    }
  }
}

function binop(name: string, a: FrVec, b: FrVec, out?: FrVec): FrVec {
  const n = sameLen(a, b);
  const o = outFor(n, out);
  chunked(n, [a, b], o, (k, len) => k.x[name]!(k.A, k.B, k.O, len));
  return o;
}
export const frVecAdd = (a: FrVec, b: FrVec, out?: FrVec): FrVec => binop('k_add', a, b, out);
export const frVecSub = (a: FrVec, b: FrVec, out?: FrVec): FrVec => binop('k_sub', a, b, out);
export const frVecMul = (a: FrVec, b: FrVec, out?: FrVec): FrVec => binop('k_mul', a, b, out);

function constop(name: string, a: FrVec, c: bigint, out?: FrVec): FrVec {
  const n = check(a);
  const o = outFor(n, out);
  const k = frKernel();
  setConst(k, k.C0, c);
  chunked(n, [a], o, (k, len) => k.x[name]!(k.A, k.C0, k.O, len));
  return o;
}
export const frVecScale = (a: FrVec, c: bigint, out?: FrVec): FrVec => constop('k_scale', a, c, out);
export const frVecAddScalar = (a: FrVec, c: bigint, out?: FrVec): FrVec => constop('k_addScalar', a, c, out);

/** −a. */
export function frVecNeg(a: FrVec, out?: FrVec): FrVec {
  return frVecScale(a, r - 1n, out);
}

/**
 * acc[i] += c·a[i] in place, for i < len(a). `a` may be shorter than `acc` (e.g. a quotient of lower degree);
 * it may not be longer. Returns acc.
 */
export function frVecMulAddScaled(acc: FrVec, a: FrVec, c: bigint): FrVec {
  const na = check(a);
  if (na > check(acc)) throw new RangeError(`frVecMulAddScaled: a (${na}) longer than acc (${acc.length / N8})`);
  const k = frKernel();
  setConst(k, k.C0, c);
  const head = acc.subarray(0, na * N8);
  chunked(na, [head, a], head, (k, len) => k.x.k_mulAddScaled!(k.A, k.B, k.C0, len), 'A');
  return acc;
}

/** Element-wise inverse with one field inversion per chunk; zero entries stay zero. */
export function frVecBatchInverse(a: FrVec, out?: FrVec): FrVec {
  const n = check(a);
  const o = outFor(n, out);
  chunked(n, [a], o, (k, len) => k.x.frm_batchInverse!(k.A, N8, len, k.O, N8));
  return o;
}

/** out[i] = first·base^i, i < n. */
export function frVecPowers(base: bigint, n: number, first: bigint = 1n): FrVec {
  const o = frVecAlloc(n);
  const k = frKernel();
  setConst(k, k.C0, first);
  setConst(k, k.C1, base);
  chunked(n, [], o, (k, len) => k.x.k_powers!(k.C0, k.C1, k.O, len));
  return o;
}

/** out[i] = a[i]·first·base^i (coset scaling). */
export function frVecMulPowers(a: FrVec, base: bigint, first: bigint = 1n, out?: FrVec): FrVec {
  const n = check(a);
  const o = outFor(n, out);
  const k = frKernel();
  setConst(k, k.C0, first);
  setConst(k, k.C1, base);
  chunked(n, [a], o, (k, len) => k.x.k_mulPowers!(k.A, k.C0, k.C1, k.O, len));
  return o;
}

/**
 * Exclusive scan: out_i = start ∘ a_0 ∘ … ∘ a_{i−1} (∘ = · or +), and the total start ∘ a_0 ∘ … ∘ a_{n−1}.
 * Sequential by nature; one WASM loop per chunk with the accumulator kept in a constant slot.
 */
export function frVecScan(a: FrVec, op: 'mul' | 'add', start: bigint, out?: FrVec): { prefix: FrVec; total: bigint } {
  const n = check(a);
  const o = outFor(n, out);
  const k = frKernel();
  setConst(k, k.C0, start);
  const fn = op === 'mul' ? 'k_scanMul' : 'k_scanAdd';
  chunked(n, [a], o, (k, len) => k.x[fn]!(k.A, k.C0, k.O, len));
  return { prefix: o, total: frFromMontBytes(mem(k), k.C0) };
}

/** Σ a_i. */
export function frVecSum(a: FrVec): bigint {
  const n = check(a);
  const k = frKernel();
  mem(k).fill(0, k.C1, k.C1 + N8);
  chunked(n, [a], null, (k, len) => k.x.k_sum!(k.A, k.C1, len));
  return frFromMontBytes(mem(k), k.C1);
}

/** Σ a_i·b_i. */
export function frVecInnerProduct(a: FrVec, b: FrVec): bigint {
  const n = sameLen(a, b);
  const k = frKernel();
  mem(k).fill(0, k.C1, k.C1 + N8);
  chunked(n, [a, b], null, (k, len) => k.x.k_dot!(k.A, k.B, k.C1, len));
  return frFromMontBytes(mem(k), k.C1);
}

/** Values reduced mod r (negatives allowed). */
export function frVecFromBigints(xs: readonly bigint[]): FrVec {
  const n = xs.length;
  const o = frVecAlloc(n);
  const k = frKernel();
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    const m = mem(k);
    for (let i = 0; i < len; i++) {
      let x = xs[start + i]!;
      if (x < 0n || x >= r) x = frFrom(x);
      writeLE(m, k.A + i * N8, x);
    }
    k.x.k_toMont!(k.A, k.O, len);
    o.set(m.subarray(k.O, k.O + len * N8), start * N8);
  }
  return o;
}

export function frVecToBigints(v: FrVec): bigint[] {
  const n = check(v);
  const res: bigint[] = new Array(n);
  const k = frKernel();
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    const m = mem(k);
    m.set(v.subarray(start * N8, (start + len) * N8), k.A);
    k.x.k_fromMont!(k.A, k.O, len);
    for (let i = 0; i < len; i++) res[start + i] = readLE(m, k.O + i * N8);
  }
  return res;
}

/** Signed integers with |x| ≤ 2^53 − 1 (negatives → r − |x|). Fast path for witnesses and weights. */
export function frVecFromInts(xs: ArrayLike<number>): FrVec {
  const n = xs.length;
  const o = frVecAlloc(n);
  const k = frKernel();
  for (let start = 0; start < n; start += CHUNK) {
    const len = Math.min(CHUNK, n - start);
    const m = mem(k);
    m.fill(0, k.A, k.A + len * N8);
    const u32 = new Uint32Array(k.memory.buffer);
    const a4 = k.A >>> 2;
    const s4 = k.S >>> 2;
    for (let i = 0; i < len; i++) {
      const x = xs[start + i]!;
      if (!Number.isSafeInteger(x)) throw new RangeError(`frVecFromInts: ${x} at ${start + i} is not a safe integer`);
      const ax = x < 0 ? -x : x;
      u32[a4 + i * 8] = ax >>> 0;
      u32[a4 + i * 8 + 1] = Math.floor(ax / 4294967296);
      u32[s4 + i] = x < 0 ? 1 : 0;
    }
    k.x.k_fromSigned!(k.A, k.S, k.O, len);
    o.set(m.subarray(k.O, k.O + len * N8), start * N8);
  }
  return o;
}

/** Uniform random elements mod r from crypto.getRandomValues (rejection sampling on 254-bit candidates). */
export function frVecRandom(n: number): FrVec {
  // A uniform value in [0, r) read as a Montgomery encoding is again uniform (x ↦ x·R⁻¹ is a bijection).
  const o = frVecAlloc(n);
  const rw = new Uint32Array(8);
  for (let w = 0; w < 8; w++) rw[w] = Number((r >> BigInt(32 * w)) & 0xffffffffn);
  const buf = new Uint8Array(N8 * 1024);
  const b32 = new Uint32Array(buf.buffer);
  let pos = 1024;
  for (let i = 0; i < n; ) {
    if (pos === 1024) {
      for (let off = 0; off < buf.length; off += 65536) crypto.getRandomValues(buf.subarray(off, Math.min(buf.length, off + 65536)));
      pos = 0;
    }
    const base = pos * 8;
    pos++;
    b32[base + 7] = b32[base + 7]! & 0x3fffffff;
    let less = false;
    for (let w = 7; w >= 0; w--) {
      const x = b32[base + w]!;
      const y = rw[w]!;
      if (x < y) {
        less = true;
        break;
      }
      if (x > y) break;
    }
    if (!less) continue;
    o.set(buf.subarray(base * 4, base * 4 + N8), i * N8);
    i++;
  }
  return o;
}

/** 32-byte little-endian canonical (non-Montgomery) encoding of every element: the MSM scalar format. */
export function frVecToStandard(v: FrVec): Uint8Array {
  const n = check(v);
  const o = new Uint8Array(n * N8);
  chunked(n, [v], o, (k, len) => k.x.k_fromMont!(k.A, k.O, len));
  return o;
}
/** Inverse of frVecToStandard (inputs must be canonical, < r). */
export function frVecFromStandard(bytes: Uint8Array): FrVec {
  const n = check(bytes);
  const o = new Uint8Array(n * N8);
  chunked(n, [bytes], o, (k, len) => k.x.k_toMont!(k.A, k.O, len));
  return o;
}

/** Σ c_i x^i by Horner in WASM (chunks from the top down). */
export function frVecEval(coeffs: FrVec, x: bigint): bigint {
  const n = check(coeffs);
  const k = frKernel();
  setConst(k, k.C0, x);
  mem(k).fill(0, k.C1, k.C1 + N8);
  const top = Math.ceil(n / CHUNK) * CHUNK;
  for (let start = top - CHUNK; start >= 0; start -= CHUNK) {
    const len = Math.min(CHUNK, n - start);
    if (len <= 0) continue;
    const m = mem(k);
    m.set(coeffs.subarray(start * N8, (start + len) * N8), k.A);
    k.x.k_horner!(k.A + (len - 1) * N8, k.C0, k.C1, len);
  }
  return frFromMontBytes(mem(k), k.C1);
}

/**
 * Quotient q of (p(X) − p(z)) / (X − z) by synthetic division. Returns a vector of the SAME length n as
 * `coeffs` whose top entry is 0 (deg q ≤ n − 2), so it combines directly with length-n polynomials.
 */
export function frVecDivLinear(coeffs: FrVec, z: bigint): FrVec {
  const n = check(coeffs);
  const o = frVecAlloc(n);
  if (n <= 1) return o;
  // S_i = Σ_{j ≥ i} c_j z^{j−i}; q_{i−1} = S_i for i = 1..n−1. Feed c_1..c_{n−1}, write S_i at o[i−1].
  const src = coeffs.subarray(N8);
  const dst = o.subarray(0, (n - 1) * N8);
  const m1 = n - 1;
  const k = frKernel();
  setConst(k, k.C0, z);
  mem(k).fill(0, k.C1, k.C1 + N8);
  const top = Math.ceil(m1 / CHUNK) * CHUNK;
  for (let start = top - CHUNK; start >= 0; start -= CHUNK) {
    const len = Math.min(CHUNK, m1 - start);
    if (len <= 0) continue;
    const m = mem(k);
    m.set(src.subarray(start * N8, (start + len) * N8), k.A);
    k.x.k_hornerSuffix!(k.A + (len - 1) * N8, k.C0, k.C1, k.O + (len - 1) * N8, len);
    dst.set(m.subarray(k.O, k.O + len * N8), start * N8);
  }
  return o;
}

/** out[i] = v[(i + shift) mod n]; shift may be negative. */
export function frVecRotate(v: FrVec, shift: number): FrVec {
  const n = check(v);
  const o = new Uint8Array(v.length);
  if (n === 0) return o;
  const s = ((shift % n) + n) % n;
  o.set(v.subarray(s * N8), 0);
  o.set(v.subarray(0, s * N8), (n - s) * N8);
  return o;
}

/** Copy of elements [start, end). */
export function frVecSlice(v: FrVec, start: number, end: number = frVecLen(v)): FrVec {
  return v.slice(start * N8, end * N8);
}
export function frVecConcat(...vs: FrVec[]): FrVec {
  let total = 0;
  for (const v of vs) total += check(v) * N8;
  const o = new Uint8Array(total);
  let off = 0;
  for (const v of vs) {
    o.set(v, off);
    off += v.length;
  }
  return o;
}
/** Copy padded with zeros (or truncated) to n elements. */
export function frVecResize(v: FrVec, n: number): FrVec {
  const o = frVecAlloc(n);
  o.set(v.subarray(0, Math.min(v.length, n * N8)));
  return o;
}
export function frVecClone(v: FrVec): FrVec {
  return v.slice();
}
export function frVecEquals(a: FrVec, b: FrVec): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
/** True iff every element is zero. */
export function frVecIsZero(v: FrVec): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}
