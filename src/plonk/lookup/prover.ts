/**
 * logUp prover side (PROTOCOL §4b; Haböck ePrint 2022/1530 Lemma 5): multiplicities m and the running
 * sums φ_g. Compressed tuples are computed as whole vectors; table rows are indexed by a hash of their
 * 32-byte representation (no per-row objects).
 */
import { ZkmlError } from '../../errors.ts';
import {
  frVecAddScalar,
  frVecAlloc,
  frVecBatchInverse,
  frVecFromInts,
  frVecGet,
  frVecMul,
  frVecRandom,
  frVecSub,
  frVecAdd,
  type FrVec,
} from '../../field/frvec.ts';
import { evaluate, type ExprAlgebra } from '../expression.ts';
import type { ConstraintSystem, LookupArgument } from '../cs.ts';
import { toVector, vecOps, type VecValue } from '../vector-algebra.ts';
import { TableIndex } from './table-index.ts';
import { prefixSum } from '../running.ts';

export class UnsatisfiedLookupError extends ZkmlError {}

export interface LookupVectors {
  /** Compressed table tuple ⟨t⟩ and inputs ⟨f_j⟩, selectors s_j, on the base domain. */
  table: FrVec;
  inputs: FrVec[];
  selectors: FrVec[];
}

function compress(items: VecValue[], theta: bigint, n: number): FrVec {
  let acc = items[0]!;
  for (let i = 1; i < items.length; i++) acc = vecOps.add(vecOps.mul(acc, theta), items[i]!);
  return toVector(acc, n);
}

export function lookupVectors(cs: ConstraintSystem, arg: LookupArgument, alg: ExprAlgebra<VecValue>, theta: bigint, n: number): LookupVectors {
  const table = compress(cs.lookupTables[arg.table]!.columns.map((e) => evaluate(e, alg)), theta, n);
  const inputs = arg.inputs.map((j) => compress(cs.lookups[j]!.inputs.map((e) => evaluate(e, alg)), theta, n));
  const selectors = arg.inputs.map((j) => toVector(evaluate(cs.lookups[j]!.selector, alg), n));
  return { table, inputs, selectors };
}

/** m(ω^i): how often table row i's tuple is looked up (first occurrence of each distinct tuple only). */
export function multiplicities(cs: ConstraintSystem, arg: LookupArgument, v: LookupVectors, n: number, u: number, cheat = false): FrVec {
  const index = new TableIndex(v.table, u);
  const counts = new Float64Array(n);
  arg.inputs.forEach((j, idx) => {
    const f = v.inputs[idx]!;
    const s = v.selectors[idx]!;
    for (let row = 0; row < u; row++) {
      if (index.isZero(s, row)) continue;
      const at = index.find(f, row);
      if (at < 0 && cheat) continue;
      if (at < 0)
        throw new UnsatisfiedLookupError(
          `lookup '${cs.lookups[j]!.name}': input on row ${row} (${frVecGet(f, row)}) is not in table '${cs.lookupTables[arg.table]!.name}'`,
        );
      counts[at]++;
    }
  });
  const m = frVecFromInts(counts.subarray(0, u));
  const out = frVecAlloc(n);
  out.set(m);
  out.set(frVecRandom(n - u), u * 32);
  return out;
}

/** φ_g for every group: φ(1) = 0, φ(ω^{i+1}) = φ(ω^i) + Σ s_j/F_j − [g=0]·m/T; random past row u. */
export function runningSums(arg: LookupArgument, v: LookupVectors, m: FrVec, betaL: bigint, n: number, u: number): FrVec[] {
  return arg.groups.map((group, g) => {
    let terms = frVecAlloc(n);
    for (const idx of group) {
      const inv = frVecBatchInverse(frVecAddScalar(v.inputs[idx]!, betaL));
      terms = frVecAdd(terms, frVecMul(v.selectors[idx]!, inv));
    }
    if (g === 0) terms = frVecSub(terms, frVecMul(m, frVecBatchInverse(frVecAddScalar(v.table, betaL))));
    return prefixSum(terms, n, u);
  });
}
