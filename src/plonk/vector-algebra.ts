/**
 * Expression evaluation over whole column vectors (base-domain Lagrange values or extended-coset values).
 * A value is either a scalar (constants, challenges — never expanded to a vector) or a vector; every
 * operation is one batch kernel call over the vector, never per-element JS.
 */
import { frAdd, frMul, frNeg, frSub } from '../scalar/fr.ts';
import {
  frVecAdd,
  frVecAddScalar,
  frVecAlloc,
  frVecMul,
  frVecRotate,
  frVecScale,
  frVecSub,
  type FrVec,
} from '../field/frvec.ts';
import type { Column, ExprAlgebra } from './expression.ts';
import type { ConstraintAlgebra, ProofPoly } from './constraints.ts';
import type { ExprDag, NodeId } from '../kernels/expr-eval.ts';

export type VecValue = FrVec | bigint;

const isScalar = (v: VecValue): v is bigint => typeof v === 'bigint';

export const vecOps = {
  constant: (v: bigint): VecValue => v,
  add(a: VecValue, b: VecValue): VecValue {
    if (isScalar(a)) return isScalar(b) ? frAdd(a, b) : frVecAddScalar(b, a);
    return isScalar(b) ? frVecAddScalar(a, b) : frVecAdd(a, b);
  },
  sub(a: VecValue, b: VecValue): VecValue {
    if (isScalar(b)) return isScalar(a) ? frSub(a, b) : frVecAddScalar(a, frNeg(b));
    if (isScalar(a)) return frVecAddScalar(frVecScale(b, frNeg(1n)), a);
    return frVecSub(a, b);
  },
  mul(a: VecValue, b: VecValue): VecValue {
    if (isScalar(a)) return isScalar(b) ? frMul(a, b) : frVecScale(b, a);
    return isScalar(b) ? frVecScale(a, b) : frVecMul(a, b);
  },
  neg(a: VecValue): VecValue {
    return isScalar(a) ? frNeg(a) : frVecScale(a, frNeg(1n));
  },
};

/** Memoizes rotated views: the same (leaf, rotation) is shifted once per evaluation pass. */
function rotator(stride: number) {
  const cache = new Map<string, FrVec>();
  return (key: string, v: FrVec, rotation: number): FrVec => {
    if (rotation === 0) return v;
    const id = `${key}@${rotation}`;
    let r = cache.get(id);
    if (!r) {
      r = frVecRotate(v, rotation * stride);
      cache.set(id, r);
    }
    return r;
  };
}

/** A scalar result (constant-only expression) spread over n rows. */
export function toVector(v: VecValue, n: number): FrVec {
  return isScalar(v) ? frVecAddScalar(frVecAlloc(n), v) : v;
}

/** Base-domain algebra over circuit columns (rotation ρ reads row i+ρ, cyclically). */
export function lagrangeVectorAlgebra(column: (c: Column) => FrVec, challenges: readonly bigint[] = []): ExprAlgebra<VecValue> {
  const rot = rotator(1);
  return {
    ...vecOps,
    query: (c: Column, rotation: number) => rot(`${c.type}:${c.index}`, column(c), rotation),
    challenge: (i: number) => challenges[i]!,
  };
}

/**
 * Extended-coset algebra for the quotient, recording into an ExprDag (evaluated chunk-wise in WASM):
 * rotation ρ is a shift by ρ·2^e points.
 */
export function extendedDagAlgebra(
  dag: ExprDag,
  extFactor: number,
  column: (c: Column) => FrVec,
  poly: (id: ProofPoly) => FrVec,
): ConstraintAlgebra<NodeId> {
  return {
    constant: (v) => dag.scalar(v),
    add: (a, b) => dag.add(a, b),
    sub: (a, b) => dag.sub(a, b),
    mul: (a, b) => dag.mul(a, b),
    column: (c, rotation) => dag.leaf(column(c), rotation * extFactor),
    poly: (id, rotation) => dag.leaf(poly(id), rotation * extFactor),
  };
}
