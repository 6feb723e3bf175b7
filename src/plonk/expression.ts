/**
 * Polynomial expressions over column queries — the language of gates, lookups and every constraint of the
 * proof system. Plain data: keygen, prover, verifier, MockProver and the cost model all read the same trees.
 */
export type ColumnType = 'fixed' | 'advice' | 'instance';

export interface Column {
  readonly type: ColumnType;
  readonly index: number;
}

export type Expr =
  | { readonly kind: 'const'; readonly value: bigint }
  | { readonly kind: 'query'; readonly column: Column; readonly rotation: number }
  | { readonly kind: 'challenge'; readonly index: number }
  | { readonly kind: 'add'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'mul'; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'neg'; readonly a: Expr };

export const constant = (value: bigint | number): Expr => ({ kind: 'const', value: BigInt(value) });
export const query = (column: Column, rotation = 0): Expr => ({ kind: 'query', column, rotation });
export const fixed = (index: number, rotation = 0): Expr => query({ type: 'fixed', index }, rotation);
export const advice = (index: number, rotation = 0): Expr => query({ type: 'advice', index }, rotation);
export const instance = (index: number, rotation = 0): Expr => query({ type: 'instance', index }, rotation);
export const challenge = (index: number): Expr => ({ kind: 'challenge', index });
export const add = (...xs: Expr[]): Expr => xs.reduce((a, b) => ({ kind: 'add', a, b }));
export const mul = (...xs: Expr[]): Expr => xs.reduce((a, b) => ({ kind: 'mul', a, b }));
export const neg = (a: Expr): Expr => ({ kind: 'neg', a });
export const sub = (a: Expr, b: Expr): Expr => add(a, neg(b));

/** Degree in the column polynomials (each query has degree 1). */
export function degree(e: Expr): number {
  switch (e.kind) {
    case 'const':
    case 'challenge':
      return 0;
    case 'query':
      return 1;
    case 'add':
      return Math.max(degree(e.a), degree(e.b));
    case 'mul':
      return degree(e.a) + degree(e.b);
    case 'neg':
      return degree(e.a);
  }
}

/** Calls `f` on every query in the tree, left to right (pre-order), so query order is deterministic. */
export function forEachQuery(e: Expr, f: (column: Column, rotation: number) => void): void {
  switch (e.kind) {
    case 'query':
      f(e.column, e.rotation);
      return;
    case 'add':
    case 'mul':
      forEachQuery(e.a, f);
      forEachQuery(e.b, f);
      return;
    case 'neg':
      forEachQuery(e.a, f);
      return;
    default:
      return;
  }
}

/** Generic evaluation: the caller supplies leaf values and the ring operations (bigint, vectors, …). */
export interface ExprAlgebra<T> {
  constant(v: bigint): T;
  query(column: Column, rotation: number): T;
  challenge(index: number): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  neg(a: T): T;
}

export function evaluate<T>(e: Expr, alg: ExprAlgebra<T>): T {
  switch (e.kind) {
    case 'const':
      return alg.constant(e.value);
    case 'query':
      return alg.query(e.column, e.rotation);
    case 'challenge':
      return alg.challenge(e.index);
    case 'add':
      return alg.add(evaluate(e.a, alg), evaluate(e.b, alg));
    case 'mul':
      return alg.mul(evaluate(e.a, alg), evaluate(e.b, alg));
    case 'neg':
      return alg.neg(evaluate(e.a, alg));
  }
}

/** True when the expression reads only fixed columns and constants (lookup tables and selectors). */
export function isFixedOnly(e: Expr): boolean {
  let ok = true;
  forEachQuery(e, (c) => {
    if (c.type !== 'fixed') ok = false;
  });
  const noChallenge = (x: Expr): boolean =>
    x.kind === 'challenge' ? false : x.kind === 'add' || x.kind === 'mul' ? noChallenge(x.a) && noChallenge(x.b) : x.kind === 'neg' ? noChallenge(x.a) : true;
  return ok && noChallenge(e);
}
