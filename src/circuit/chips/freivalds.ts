/**
 * C = A·B for runtime integer matrices (A: M×K, B: K×N, row-major cells) by a Freivalds check at a
 * verifier challenge χ (drawn from the transcript after the phase-0 advice, C included, is committed).
 * C's cells are free phase-0 witnesses; only the check pins them.
 *
 * - `freivalds-horner`: a region of N rows per vector, advice X (phase 0) | H (phase 1), rows holding
 *   x_{N−1}, …, x_0:   first row: H = X;   then H' = H·χ + X'   so the last H is Σ_n x_n·χ^n.
 *   One region per row of C (X = the claimed C_mn, assigned there) and per row of B (X copied from B).
 * - `freivalds-dot/W`: Σ_k A_mk·u_k with u_k = Σ_n B_kn·χ^n (the B Horner results, copied in as phase-1
 *   weights) accumulated in a phase-1 column like the dot chip (A copied in, the start copied from 0);
 *   its result is copy-constrained to the Horner value of C's row m.
 * Soundness: the gates fix every phase-1 cell from χ and the copied/committed phase-0 cells; row m holds iff
 * P_m(χ) = Σ_n ((A·B)_mn − C_mn)·χ^n = 0. If C ≠ A·B some P_m is a nonzero polynomial of degree < N, so a
 * random χ satisfies all rows with probability ≤ (N − 1)/r (Schwartz–Zippel). Costs M·N + K·N + M·(⌈K/W⌉+1)
 * rows instead of M·N·(⌈K/W⌉+1). Degree 3.
 */
import { CircuitError } from '../../errors.ts';
import { add, advice, challenge, fixed, mul, sub } from '../../plonk/expression.ts';
import { frAdd, frMul } from '../../scalar/fr.ts';
import type { CircuitBuilder, Value } from '../builder.ts';

/**
 * One challenge per circuit serves every Freivalds check: all claimed products are phase-0 advice, fixed
 * before χ is drawn, so a union bound over the checked rows gives the soundness error.
 */
const challenges = new WeakMap<CircuitBuilder, number>();
function challengeOf(b: CircuitBuilder): number {
  let chi = challenges.get(b);
  if (chi === undefined) {
    chi = b.challenge();
    challenges.set(b, chi);
  }
  return chi;
}

/** Σ_n x_n·χ^n by Horner (rows in reverse order); integer xs are assigned as new (claimed) X cells, Values copied. */
function horner(b: CircuitBuilder, chi: number, xs: readonly Value[] | readonly bigint[]): { cells: Value[]; result: Value } {
  const kind = 'freivalds-horner';
  const [selStart, selStep] = [b.selector(`${kind}:start`), b.selector(`${kind}:step`)];
  const cx = b.advice(0);
  const ch = b.advicePhase1(0);
  b.gate(kind, () => {
    const [X, H, X1, H1] = [advice(cx.index), advice(ch.index), advice(cx.index, 1), advice(ch.index, 1)];
    return [mul(fixed(selStart.index), sub(H, X)), mul(fixed(selStep.index), sub(H1, add(mul(H, challenge(chi)), X1)))];
  });
  const N = xs.length;
  const start = b.region(N);
  const cells = new Array<Value>(N);
  let prev: Value | undefined;
  for (let i = 0; i < N; i++) {
    const n = N - 1 - i;
    const row = start + i;
    if (i === 0) b.enable(`${kind}:start`, row);
    if (i < N - 1) b.enable(`${kind}:step`, row);
    const x = xs[n]!;
    const xc = typeof x === 'bigint' ? b.assign(cx, row, x) : b.assignCopy(cx, row, x);
    cells[n] = xc;
    const p = prev;
    prev = b.assignPhase1(ch, row, (c, val) => (p ? frAdd(frMul(val(p), c[chi]!), val(xc)) : val(xc)));
  }
  return { cells, result: prev! };
}

/** Returns the cells of C = A·B (row-major M×N), pinned by the Freivalds check. */
export interface FreivaldsOptions {
  /** Products per row of the phase-1 dot (default 4). */
  readonly width?: number;
  /** Soundness tests only: the value a cheating prover claims for C_mn instead of the honest one. */
  readonly forge?: (m: number, n: number, honest: bigint) => bigint;
}

export function freivaldsMatMul(b: CircuitBuilder, A: readonly Value[], B: readonly Value[], M: number, K: number, N: number, opts: FreivaldsOptions = {}): Value[] {
  if (A.length !== M * K || B.length !== K * N) throw new CircuitError(`freivalds: A has ${A.length} cells, B ${B.length}; expected ${M}×${K} and ${K}×${N}`);
  const W = opts.width ?? 4;
  const chi = challengeOf(b);
  const u = Array.from({ length: K }, (_, k) => horner(b, chi, B.slice(k * N, (k + 1) * N)).result);
  const C: Value[] = [];
  for (let m = 0; m < M; m++) {
    // The claimed row of C (exact integers), assigned as the Horner region's X cells.
    const claimed = Array.from({ length: N }, (_, n) => {
      let acc = 0n;
      for (let k = 0; k < K; k++) acc += A[m * K + k]!.value * B[k * N + n]!.value;
      return opts.forge ? opts.forge(m, n, acc) : acc;
    });
    const h = horner(b, chi, claimed);
    C.push(...h.cells);
    b.copy(phase1Dot(b, A.slice(m * K, (m + 1) * K), u, W).cell, h.result.cell);
  }
  return C;
}

/** Σ x_i·w_i with x phase-0 cells and w phase-1 cells (both copied in), accumulated in phase 1. */
function phase1Dot(b: CircuitBuilder, xs: readonly Value[], ws: readonly Value[], W: number): Value {
  const kind = `freivalds-dot/${W}`;
  const sel = b.selector(kind);
  const xCol = Array.from({ length: W }, (_, j) => b.advice(j));
  const wCol = Array.from({ length: W }, (_, j) => b.advicePhase1(j));
  const accCol = b.advicePhase1(W);
  b.gate(kind, () => [
    mul(fixed(sel.index), sub(sub(advice(accCol.index, 1), advice(accCol.index)), add(...xCol.map((x, j) => mul(advice(x.index), advice(wCol[j]!.index)))))),
  ]);
  const R = Math.max(1, Math.ceil(xs.length / W));
  const start = b.region(R + 1);
  const zero = b.constant(0);
  let acc = b.assignPhase1(accCol, start, () => 0n);
  b.copy(acc.cell, zero.cell);
  for (let i = 0; i < R; i++) {
    const row = start + i;
    b.enable(kind, row);
    const terms: [Value, Value][] = [];
    for (let j = 0; j < W; j++) {
      const idx = i * W + j;
      const x = b.assignCopy(xCol[j]!, row, idx < xs.length ? xs[idx]! : zero);
      const w = b.assignPhase1(wCol[j]!, row, (_c, val) => (idx < ws.length ? val(ws[idx]!) : 0n));
      b.copy(w.cell, (idx < ws.length ? ws[idx]! : zero).cell);
      terms.push([x, w]);
    }
    const prev = acc;
    acc = b.assignPhase1(accCol, row + 1, (_c, val) => terms.reduce((s, [x, w]) => frAdd(s, frMul(val(x), val(w))), val(prev)));
  }
  return acc;
}
