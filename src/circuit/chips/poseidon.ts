/**
 * Poseidon permutation chip with circomlib's BN254 parameters (src/transcript/poseidon.ts is the reference
 * it must match): width t, state in advice columns 0..t−1, the partial rounds' square in column t, round
 * constants in fixed columns, so t + 1 advice columns and gates of degree 4 (selector included).
 *
 * Rows of one permutation (R_F full rounds, R_P partial rounds): 3·R_F + R_P + 1.
 *   full round, 3 rows:   s_0..s_{t−1}  (state; fixed F_j = c_j, the round constants)
 *                         q_0..q_{t−1}  (q_j = x_j², x_j = s_j + c_j)
 *                         u_0..u_{t−1}  (u_j = q_j²·x_j = x_j^5, the S-box outputs)
 *   partial round, 1 row: s_0..s_{t−1} | a   (a = x_0²; fixed F_i = K_i = Σ_{j≥1} M_ij·c_j, F_t = c_0)
 *   last row:             the output state
 * Gates (each on its own selector):
 *   `poseidon{t}/sbox`    on a full round's state row:  q_j(+1) − x_j² = 0,  u_j(+2) − q_j(+1)²·x_j = 0
 *   `poseidon{t}/mix`     on a full round's u row:      s_i(+1) − Σ_j M_ij·u_j = 0
 *   `poseidon{t}/partial` on a partial round's row:     a − x_0² = 0,
 *                                                        s_i(+1) − M_i0·a²·x_0 − Σ_{j≥1} M_ij·s_j − K_i = 0
 * The partial round's constant folds the round constants of the elements without S-box through the MDS
 * matrix (Σ_{j≥1} M_ij·(s_j + c_j) = Σ_{j≥1} M_ij·s_j + K_i), one fixed column per output instead of t − 1
 * additions in each of t polynomials.
 *
 * Soundness: the first state row is copied from the inputs; each constraint fixes the cells it defines (q,
 * u, a and the next state) as a function of cells above it, so by induction every cell of the region is
 * the honest one and the last row is the permutation of the inputs. Degree 4 keeps the extended domain of
 * circuits with lookups (which already need degree 4); the S-box written as one x^5 would be degree 6 with
 * its selector and double the quotient's cosets (8n instead of 4n) for the whole circuit. Splitting x^5
 * over the q and u rows keeps the MDS polynomials linear in cells: the prover evaluates every gate on every
 * row, so their cost is paid circuit-wide, and inline x^5 terms would repeat in each of the t outputs.
 * Rotations reach +2, so no column is queried at more than three rotations (blinding rows unchanged).
 */
import { CircuitError } from '../../errors.ts';
import { FR_MODULUS, frFrom } from '../../scalar/fr.ts';
import { type Expr, add, advice, constant, fixed, mul, sub } from '../../plonk/expression.ts';
import { type PoseidonParams, isFullRound, poseidonParams, poseidonRound } from '../../transcript/poseidon.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

/** Rows one permutation of width `t` takes. */
export function poseidonRows(t: number): number {
  const p = poseidonParams(t);
  return 3 * p.roundsF + p.roundsP + 1;
}

const mod = (v: bigint): bigint => v % FR_MODULUS;

/** K_i = Σ_{j≥1} M_ij·c_j of partial round `round`. */
function partialConstants(p: PoseidonParams, round: number): bigint[] {
  const c = p.roundConstants[round]!;
  return p.mds.map((row) => mod(row.reduce((acc, m, j) => (j === 0 ? acc : acc + m * c[j]!), 0n)));
}

/** Registers the three gates of width t (once) and returns the columns. */
function poseidonGates(b: CircuitBuilder, p: PoseidonParams) {
  const t = p.t;
  const name = `poseidon${t}`;
  const s = Array.from({ length: t }, (_, j) => b.advice(j));
  const a = b.advice(t);
  const F = Array.from({ length: t + 1 }, (_, j) => b.fixed(`${name}:F${j}`));
  const [selSbox, selMix, selPartial] = [b.selector(`${name}/sbox`), b.selector(`${name}/mix`), b.selector(`${name}/partial`)];
  const S = (j: number, rot = 0): Expr => advice(s[j]!.index, rot);
  const Fq = (j: number): Expr => fixed(F[j]!.index);
  const M = (i: number, j: number): Expr => constant(p.mds[i]![j]!);

  b.gate(`${name}/sbox`, () => {
    const q = fixed(selSbox.index);
    const polys: Expr[] = [];
    for (let j = 0; j < t; j++) polys.push(mul(q, sub(S(j, 1), mul(add(S(j), Fq(j)), add(S(j), Fq(j))))));
    for (let j = 0; j < t; j++) polys.push(mul(q, sub(S(j, 2), mul(S(j, 1), S(j, 1), add(S(j), Fq(j))))));
    return polys;
  });
  b.gate(`${name}/mix`, () => {
    const q = fixed(selMix.index);
    return Array.from({ length: t }, (_, i) => mul(q, sub(S(i, 1), add(...Array.from({ length: t }, (_, j) => mul(M(i, j), S(j)))))));
  });
  b.gate(`${name}/partial`, () => {
    const q = fixed(selPartial.index);
    const A = advice(a.index);
    const x0 = add(S(0), Fq(t));
    const polys: Expr[] = [mul(q, sub(A, mul(x0, x0)))];
    for (let i = 0; i < t; i++) {
      const linear = Array.from({ length: t - 1 }, (_, j) => mul(M(i, j + 1), S(j + 1)));
      polys.push(mul(q, sub(S(i, 1), add(mul(M(i, 0), A, A, x0), ...linear, Fq(i)))));
    }
    return polys;
  });
  return { name, s, a, F };
}

/**
 * Lays out the Poseidon permutation of `state` (width t = state.length, circomlib's parameters): the input
 * cells are copied into the first row; returns the t cells of the output state (field elements).
 */
export function poseidonPermutationCells(b: CircuitBuilder, state: readonly Value[]): Value[] {
  const p = poseidonParams(state.length);
  const t = p.t;
  const { name, s, a, F } = poseidonGates(b, p);
  const start = b.region(poseidonRows(t));
  let row = start;
  let cur = state.map((v, j) => frFrom(b.assignCopy(s[j]!, row, v).value));
  for (let r = 0; r < p.roundsF + p.roundsP; r++) {
    const c = p.roundConstants[r]!;
    const next = poseidonRound(p, r, cur);
    if (isFullRound(p, r)) {
      b.enable(`${name}/sbox`, row);
      b.enable(`${name}/mix`, row + 2);
      for (let j = 0; j < t; j++) {
        const x = mod(cur[j]! + c[j]!);
        const q = mod(x * x);
        b.setFixed(F[j]!, row, c[j]!);
        b.assign(s[j]!, row + 1, q);
        b.assign(s[j]!, row + 2, mod(mod(q * q) * x));
      }
      row += 3;
    } else {
      b.enable(`${name}/partial`, row);
      const x0 = mod(cur[0]! + c[0]!);
      b.assign(a, row, mod(x0 * x0));
      partialConstants(p, r).forEach((k, i) => b.setFixed(F[i]!, row, k));
      b.setFixed(F[t]!, row, c[0]!);
      row += 1;
    }
    cur = next;
    for (let j = 0; j < t; j++) b.assign(s[j]!, row, cur[j]!);
  }
  if (row !== start + poseidonRows(t) - 1) throw new CircuitError(`poseidon${t}: laid out ${row - start + 1} rows, expected ${poseidonRows(t)}`);
  return cur.map((value, j) => ({ cell: { column: s[j]!, row }, value }));
}

/** circomlib's Poseidon(n) of n cells: element 0 of the width-(n+1) permutation of [0, x_1, …, x_n]. */
export function poseidonHashCells(b: CircuitBuilder, inputs: readonly Value[]): Value {
  return poseidonPermutationCells(b, [b.constant(0), ...inputs])[0]!;
}
