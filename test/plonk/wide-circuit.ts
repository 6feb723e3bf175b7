/**
 * A synthetic circuit at a real model's scale (k = 17 by default): two gates over eight advice and four
 * fixed columns (degree 4, rotations −1 and +1: an extended domain of 4 cosets), a range lookup, copies.
 * For the prover's memory tests; deterministic, so a key made in one process fits the witness of another.
 */
import { frVecFromInts } from '../../src/field/frvec.ts';
import { add, advice, fixed, mul, sub } from '../../src/plonk/expression.ts';
import type { ConstraintSystem } from '../../src/plonk/cs.ts';
import { csShape } from '../../src/plonk/cs.ts';
import type { Example } from './circuits.ts';

const A = (index: number) => ({ type: 'advice', index }) as const;

export function wideCircuit(k = 17): Example {
  const q = fixed(0);
  const cs: ConstraintSystem = {
    numFixed: 4,
    numInstance: 0,
    advicePhases: [0, 0, 0, 0, 0, 0, 0, 0],
    challengePhases: [],
    gates: [
      // a3 = a0·w0 + a1·w1 + a2
      { name: 'dot', polys: [mul(q, sub(add(add(mul(advice(0), fixed(1)), mul(advice(1), fixed(2))), advice(2)), advice(3)))] },
      // a5(next) = a3·a4·a1 + a6(prev) − a7
      { name: 'product', polys: [mul(q, sub(sub(add(mul(mul(advice(3), advice(4)), advice(1)), advice(6, -1)), advice(7)), advice(5, 1)))] },
    ],
    lookupTables: [{ name: 'range10', columns: [fixed(3)] }],
    lookups: [{ name: 'a0 in range10', table: 0, selector: q, inputs: [advice(0)] }],
    equality: [A(0), A(3), A(5), A(7)],
  };
  const { u } = csShape(cs, k);
  // The gates hold on rows 1..u−2 (row 0 has no previous row, row u−1 no next usable one).
  const rows = u;
  const col = (f: (i: number) => number) => Float64Array.from({ length: rows }, (_, i) => f(i));
  const on = (i: number) => i >= 1 && i <= rows - 2;
  const w0 = col((i) => (on(i) ? (i % 7) + 1 : 0));
  const w1 = col((i) => (on(i) ? (i % 5) + 2 : 0));
  const a0 = col((i) => (i * 37) % 1024);
  const a1 = col((i) => (i % 3) + 1);
  const a2 = col((i) => i % 11);
  const a3 = col((i) => a0[i]! * w0[i]! + a1[i]! * w1[i]! + a2[i]!);
  const a4 = col((i) => (i % 13) + 1);
  const a6 = col((i) => i % 17);
  const a7 = col((i) => i % 19);
  const a5 = col(() => 0);
  for (let i = 1; i <= rows - 2; i++) a5[i + 1] = a3[i]! * a4[i]! * a1[i]! + a6[i - 1]! - a7[i]!;
  // Copies: a0 on row 2i equals a0 on row 2i + 1024 (and so on for three more columns): long cycles.
  const copies = [];
  for (const c of [0, 3, 5, 7]) {
    const v = [a0, a3, a5, a7][[0, 3, 5, 7].indexOf(c)]!;
    for (let i = 0; i + 1024 < rows; i += 4096)
      if (v[i] === v[i + 1024]) copies.push({ a: { column: A(c), row: i }, b: { column: A(c), row: i + 1024 } });
  }
  const advice8 = [a0, a1, a2, a3, a4, a5, a6, a7];
  return {
    circuit: {
      cs,
      k,
      fixed: [frVecFromInts(col((i) => (on(i) ? 1 : 0))), frVecFromInts(w0), frVecFromInts(w1), frVecFromInts(Float64Array.from({ length: 1024 }, (_, i) => i))],
      copies,
      instanceLengths: [],
    },
    instances: [],
    witness: { advice: () => advice8.map((v) => frVecFromInts(v)) },
  };
}
