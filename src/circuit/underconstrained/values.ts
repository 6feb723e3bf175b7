/**
 * Which values the finder writes into a copy class. Small and structured values find the holes that
 * matter in quantized circuits — booleans flipped either way (0, 1), a sign (−1), off-by-one (v ± 1), a
 * carry into the next limb or a remainder wrapped by a power of two (v ± 2^j) — and a random field
 * element finds a cell no constraint reads at all. The random stream is seeded so a report reproduces.
 */
import { FR_MODULUS, frAdd, frFrom, frSub } from '../../scalar/fr.ts';

/** A seeded stream of field elements (xorshift128+ words, 320 bits reduced mod r). */
export function randomFieldStream(seed: number): () => bigint {
  let s0 = BigInt.asUintN(64, BigInt(seed) * 0x9e3779b97f4a7c15n + 1n);
  let s1 = BigInt.asUintN(64, s0 * 0xbf58476d1ce4e5b9n + 0x94d049bb133111ebn);
  const next64 = (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = BigInt.asUintN(64, x ^ (x << 23n));
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return BigInt.asUintN(64, s1 + y);
  };
  return () => {
    let v = 0n;
    for (let i = 0; i < 5; i++) v = (v << 64n) | next64();
    return v % FR_MODULUS;
  };
}

export interface ValueOptions {
  /** Exponents j of the shifts v ± 2^j (default 1..4 and 8, 16). */
  readonly shifts?: readonly number[];
  /** Random values per class (default 1). */
  readonly randomTries?: number;
}

export const DEFAULT_SHIFTS: readonly number[] = [1, 2, 3, 4, 8, 16];

/** The candidate values for a class holding `v`, without `v` itself and without repeats. */
export function candidateValues(v: bigint, random: () => bigint, opts: ValueOptions = {}): bigint[] {
  const out: bigint[] = [];
  const push = (x: bigint) => {
    if (x !== v && !out.includes(x)) out.push(x);
  };
  push(frAdd(v, 1n));
  push(frSub(v, 1n));
  push(0n);
  push(1n);
  push(FR_MODULUS - 1n);
  for (const j of opts.shifts ?? DEFAULT_SHIFTS) {
    const d = frFrom(1n << BigInt(j));
    push(frAdd(v, d));
    push(frSub(v, d));
  }
  for (let t = 0; t < (opts.randomTries ?? 1); t++) push(random());
  return out;
}
