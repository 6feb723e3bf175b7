/**
 * Every polynomial identity of the proof, in the order PROTOCOL §4(d) folds them into Φ: gates, then the
 * permutation (P1, P2, P3_c, P4_c), then per logUp argument (L1_g, L2, L3_g). Written once over an
 * abstract algebra so the prover (vectors on the extended coset) and the verifier (scalars at x) evaluate
 * exactly the same thing — the two sides cannot drift apart.
 */
import { type Column, evaluate } from './expression.ts';
import type { ConstraintSystem, CsShape } from './cs.ts';
import { permutationDelta } from './permutation/delta.ts';
import { frMul } from '../scalar/fr.ts';

/** Polynomials of the proof other than circuit columns. Rotation `u` on z reads the "last" row. */
export type ProofPoly =
  | `sigma:${number}`
  | `z:${number}`
  | `m:${number}`
  | `phi:${number}:${number}`
  | 'l0'
  | 'llast'
  | 'lblind'
  | 'x';

export interface ConstraintAlgebra<T> {
  constant(v: bigint): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  column(column: Column, rotation: number): T;
  poly(id: ProofPoly, rotation: number): T;
}

export interface ArgumentChallenges {
  /** Values of the circuit's own challenges, by index. */
  readonly circuit: readonly bigint[];
  readonly theta: bigint;
  readonly betaL: bigint;
  readonly beta: bigint;
  readonly gamma: bigint;
}

/** Σ θ^(w−c) e_c by Horner from e_1 (PROTOCOL §4b). */
export function compressTuple<T>(alg: ConstraintAlgebra<T>, items: T[], theta: bigint): T {
  let acc = items[0] as T;
  for (let i = 1; i < items.length; i++) acc = alg.add(alg.mul(acc, alg.constant(theta)), items[i] as T);
  return acc;
}

function product<T>(alg: ConstraintAlgebra<T>, xs: T[]): T {
  return xs.reduce((a, b) => alg.mul(a, b));
}

/** Emits every constraint K_0..K_{κ−1} in order; the caller folds them (Horner in y). */
export function emitConstraints<T>(
  cs: ConstraintSystem,
  shape: CsShape,
  ch: ArgumentChallenges,
  alg: ConstraintAlgebra<T>,
  emit: (name: string, value: T) => void,
): void {
  const exprAlg = {
    constant: (v: bigint) => alg.constant(v),
    query: (c: Column, rot: number) => alg.column(c, rot),
    challenge: (i: number) => alg.constant(ch.circuit[i]!),
    add: alg.add,
    mul: alg.mul,
    neg: (a: T) => alg.sub(alg.constant(0n), a),
  };
  for (const g of cs.gates) g.polys.forEach((p, i) => emit(`gate '${g.name}' poly ${i}`, evaluate(p, exprAlg)));

  const one = alg.constant(1n);
  const l0 = alg.poly('l0', 0);
  const llast = alg.poly('llast', 0);
  const active = alg.sub(alg.sub(one, llast), alg.poly('lblind', 0));

  const C = shape.chunks.length;
  if (C > 0) {
    const z = (c: number, rot: number) => alg.poly(`z:${c}`, rot);
    emit('permutation P1 z_0(1) = 1', alg.mul(l0, alg.sub(one, z(0, 0))));
    const zl = z(C - 1, 0);
    emit('permutation P2 end is 0 or 1', alg.mul(llast, alg.sub(alg.mul(zl, zl), zl)));
    for (let c = 1; c < C; c++) emit(`permutation P3 chunk ${c} start`, alg.mul(l0, alg.sub(z(c, 0), z(c - 1, shape.u))));
    const x = alg.poly('x', 0);
    const beta = alg.constant(ch.beta);
    const gamma = alg.constant(ch.gamma);
    for (let c = 0; c < C; c++) {
      const left: T[] = [z(c, 1)];
      const right: T[] = [z(c, 0)];
      for (const j of shape.chunks[c]!) {
        const p = alg.column(cs.equality[j]!, 0);
        left.push(alg.add(alg.add(p, alg.mul(beta, alg.poly(`sigma:${j}`, 0))), gamma));
        right.push(alg.add(alg.add(p, alg.mul(alg.constant(frMul(ch.beta, permutationDelta(j))), x)), gamma));
      }
      emit(`permutation P4 chunk ${c}`, alg.mul(active, alg.sub(product(alg, left), product(alg, right))));
    }
  }

  shape.lookupArgs.forEach((arg, l) => {
    const table = cs.lookupTables[arg.table]!;
    const T = alg.add(
      alg.constant(ch.betaL),
      compressTuple(alg, table.columns.map((e) => evaluate(e, exprAlg)), ch.theta),
    );
    const phi = (g: number, rot: number) => alg.poly(`phi:${l}:${g}`, rot);
    arg.groups.forEach((_, g) => emit(`lookup '${table.name}' L1 group ${g}`, alg.mul(l0, phi(g, 0))));
    let sum = phi(0, 0);
    for (let g = 1; g < arg.groups.length; g++) sum = alg.add(sum, phi(g, 0));
    emit(`lookup '${table.name}' L2`, alg.mul(llast, sum));
    arg.groups.forEach((group, g) => {
      const F: T[] = [];
      const S: T[] = [];
      for (const idx of group) {
        const lk = cs.lookups[arg.inputs[idx]!]!;
        F.push(alg.add(alg.constant(ch.betaL), compressTuple(alg, lk.inputs.map((e) => evaluate(e, exprAlg)), ch.theta)));
        S.push(evaluate(lk.selector, exprAlg));
      }
      const diff = alg.sub(phi(g, 1), phi(g, 0));
      const prodF = F.length ? product(alg, F) : one;
      let sel: T | null = null;
      for (let j = 0; j < F.length; j++) {
        const others = F.filter((_, k) => k !== j);
        const term = others.length ? alg.mul(S[j]!, product(alg, others)) : S[j]!;
        sel = sel === null ? term : alg.add(sel, term);
      }
      let body: T;
      if (g === 0) {
        body = alg.mul(alg.mul(diff, T), prodF);
        if (sel !== null) body = alg.sub(body, alg.mul(T, sel));
        body = alg.add(body, alg.mul(alg.poly(`m:${l}`, 0), prodF));
      } else {
        body = alg.sub(alg.mul(diff, prodF), sel!);
      }
      emit(`lookup '${table.name}' L3 group ${g}`, alg.mul(active, body));
    });
  });
}

