/**
 * Running accumulators on the base domain: acc(1) = start, acc(ω^{i+1}) = acc(ω^i) ∘ step(ω^i) for i < u;
 * row u holds the final value, rows u+1..n−1 are fresh random values (zero knowledge, PROTOCOL §1).
 * The scan runs in the WASM field kernel (frVecScan).
 */
import { frVecAlloc, frVecRandom, frVecScan, frVecSet, type FrVec } from '../field/frvec.ts';

function running(step: FrVec, n: number, u: number, start: bigint, op: 'mul' | 'add'): FrVec {
  const out = frVecAlloc(n);
  const { total } = frVecScan(step.subarray(0, u * 32), op, start, out.subarray(0, u * 32));
  frVecSet(out, u, total);
  out.set(frVecRandom(n - u - 1), (u + 1) * 32);
  return out;
}

export const prefixSum = (step: FrVec, n: number, u: number): FrVec => running(step, n, u, 0n, 'add');
export const prefixProduct = (step: FrVec, n: number, u: number, start: bigint): FrVec => running(step, n, u, start, 'mul');
