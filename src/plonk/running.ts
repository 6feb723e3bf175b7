/**
 * Running accumulators on the base domain: acc(1) = start, acc(ω^{i+1}) = acc(ω^i) ∘ step(ω^i) for i < u;
 * row u holds the final value, rows u+1..n−1 are fresh random values (zero knowledge, PROTOCOL §1).
 */
import { frAdd, frMul } from '../field/fr.ts';
import { frVecAlloc, frVecGet, frVecRandom, frVecSet, type FrVec } from '../field/frvec.ts';

function running(step: FrVec, n: number, u: number, start: bigint, op: (a: bigint, b: bigint) => bigint): FrVec {
  const out = frVecAlloc(n);
  let acc = start;
  frVecSet(out, 0, acc);
  for (let i = 0; i < u; i++) {
    acc = op(acc, frVecGet(step, i));
    frVecSet(out, i + 1, acc);
  }
  out.set(frVecRandom(n - u - 1), (u + 1) * 32);
  return out;
}

export const prefixSum = (step: FrVec, n: number, u: number): FrVec => running(step, n, u, 0n, frAdd);
export const prefixProduct = (step: FrVec, n: number, u: number, start: bigint): FrVec => running(step, n, u, start, frMul);
