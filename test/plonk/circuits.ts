/** Example circuits for the proof-system tests: each returns its description and an honest witness. */
import { frVecFromBigints, frVecFromInts, type FrVec } from '../../src/field/frvec.ts';
import { FR_MODULUS, frAdd, frInv, frMul, type Fr } from '../../src/scalar/fr.ts';
import { add, advice, challenge, constant, fixed, instance, mul, sub } from '../../src/plonk/expression.ts';
import type { ConstraintSystem } from '../../src/plonk/cs.ts';
import type { CircuitDescription } from '../../src/plonk/keygen.ts';
import type { Witness } from '../../src/plonk/prover.ts';

export interface Example {
  circuit: CircuitDescription;
  instances: bigint[][];
  /** Advice per phase (phase 1 may read the phase-0 challenge). */
  witness: Witness;
  /** Plain advice rows, for tampering tests (phase 0 only circuits). */
  advice?: number[][];
}

const A = (index: number) => ({ type: 'advice', index }) as const;
const I = (index: number) => ({ type: 'instance', index }) as const;

/**
 * Arithmetic with copies and a public output: c0 = a0·b0, a1 := c0 (copy), c1 = a1·b1, c1 = public[0].
 * Also a range lookup of every `a` into 0..15.
 */
export function arithmetic(values: { a0: number; b0: number; b1: number; publicOut?: number } = { a0: 3, b0: 4, b1: 2 }): Example {
  const cs: ConstraintSystem = {
    numFixed: 3,
    numInstance: 1,
    advicePhases: [0, 0, 0],
    challengePhases: [],
    gates: [{ name: 'mul', polys: [mul(fixed(0), sub(mul(advice(0), advice(1)), advice(2)))] }],
    lookupTables: [{ name: 'range4', columns: [fixed(2)] }],
    lookups: [{ name: 'a in range4', table: 0, selector: fixed(1), inputs: [advice(0)] }],
    equality: [A(2), A(0), I(0)],
  };
  const c0 = values.a0 * values.b0;
  const c1 = c0 * values.b1;
  const rows = [
    [values.a0, c0],
    [values.b0, values.b1],
    [c0, c1],
  ];
  return {
    circuit: {
      cs,
      k: 5,
      fixed: [frVecFromInts([1, 1]), frVecFromInts([1, 1]), frVecFromInts([...Array(16).keys()])],
      copies: [
        { a: { column: A(2), row: 0 }, b: { column: A(0), row: 1 } },
        { a: { column: A(2), row: 1 }, b: { column: I(0), row: 0 } },
      ],
      instanceLengths: [1],
    },
    instances: [[BigInt(values.publicOut ?? c1)]],
    witness: { advice: () => rows.map((r) => frVecFromInts(r)) },
    advice: rows,
  };
}

/** Range check of `count` values by logUp into the table 0..2^bits−1. */
export function rangeCheck(bits: number, values: number[]): Example {
  const cs: ConstraintSystem = {
    numFixed: 2,
    numInstance: 0,
    advicePhases: [0],
    challengePhases: [],
    gates: [],
    lookupTables: [{ name: `range${bits}`, columns: [fixed(1)] }],
    lookups: [{ name: 'value in range', table: 0, selector: fixed(0), inputs: [advice(0)] }],
    equality: [],
  };
  let k = bits + 1;
  while (2 ** k < Math.max(2 ** bits, values.length) + 10) k++;
  const table = new Float64Array(2 ** bits).map((_, i) => i);
  return {
    circuit: { cs, k, fixed: [frVecFromInts(new Array(values.length).fill(1)), frVecFromInts(table)], copies: [], instanceLengths: [] },
    instances: [],
    witness: { advice: () => [frVecFromInts(values)] },
    advice: [values],
  };
}

/** Two-column lookup: (a, b) must be a row of the table (x, x²), x in 0..15. */
export function squareTable(pairs: [number, number][]): Example {
  const cs: ConstraintSystem = {
    numFixed: 3,
    numInstance: 0,
    advicePhases: [0, 0],
    challengePhases: [],
    gates: [],
    lookupTables: [{ name: 'squares', columns: [fixed(1), fixed(2)] }],
    lookups: [{ name: '(a, b) is (x, x^2)', table: 0, selector: fixed(0), inputs: [advice(0), advice(1)] }],
    equality: [],
  };
  const xs = [...Array(16).keys()];
  return {
    circuit: {
      cs,
      k: 5,
      fixed: [frVecFromInts(pairs.map(() => 1)), frVecFromInts(xs), frVecFromInts(xs.map((x) => x * x))],
      copies: [],
      instanceLengths: [],
    },
    instances: [],
    witness: { advice: () => [frVecFromInts(pairs.map((p) => p[0])), frVecFromInts(pairs.map((p) => p[1]))] },
    advice: [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
  };
}

/**
 * Degree-5 gate with rotations: on enabled rows i, a(i)·a(i+1)·b(i)·b(i−1) = c(i+1). The selector is
 * off on row 0 so the −1 rotation never reads a blinding row.
 */
export function highDegree(): Example {
  const cs: ConstraintSystem = {
    numFixed: 1,
    numInstance: 0,
    advicePhases: [0, 0, 0],
    challengePhases: [],
    gates: [{ name: 'a·a′·b·b⁻ = c′', polys: [mul(fixed(0), sub(mul(advice(0), advice(0, 1), advice(1), advice(1, -1)), advice(2, 1)))] }],
    lookupTables: [],
    lookups: [],
    equality: [],
  };
  const a = [2, 3, 5, 7, 1];
  const b = [4, 6, 8, 10, 1];
  const c = [0, 0, 0, 0, 0];
  const sel = [0, 1, 1, 1, 0];
  for (let i = 1; i <= 3; i++) c[i + 1] = a[i]! * a[i + 1]! * b[i]! * b[i - 1]!;
  return {
    circuit: { cs, k: 5, fixed: [frVecFromInts(sel)], copies: [], instanceLengths: [] },
    instances: [],
    witness: { advice: () => [frVecFromInts(a), frVecFromInts(b), frVecFromInts(c)] },
    advice: [a, b, c],
  };
}

/** Two phases: phase-1 column acc = a·χ + b with χ drawn after phase-0 advice is committed. */
export function twoPhase(): Example {
  const cs: ConstraintSystem = {
    numFixed: 1,
    numInstance: 0,
    advicePhases: [0, 0, 1],
    challengePhases: [0],
    gates: [{ name: 'acc = a·χ + b', polys: [mul(fixed(0), sub(advice(2), add(mul(advice(0), challenge(0)), advice(1))))] }],
    lookupTables: [],
    lookups: [],
    equality: [],
  };
  const a = [1, 2, 3];
  const b = [4, 5, 6];
  return {
    circuit: { cs, k: 4, fixed: [frVecFromInts([1, 1, 1])], copies: [], instanceLengths: [] },
    instances: [],
    witness: {
      advice: (phase, ch): FrVec[] => {
        if (phase === 0) return [frVecFromInts(a), frVecFromInts(b)];
        return [frVecFromBigints(a.map((x, i) => (BigInt(x) * ch[0]! + BigInt(b[i]!)) % FR_MODULUS))];
      },
    },
  };
}

/** Values of the shuffle circuit, rows 0..N−1: public keys a, c; private payloads b, d. */
export interface ShuffleValues {
  a: Fr[];
  b: Fr[];
  c: Fr[];
  d: Fr[];
}

export const SHUFFLE: ShuffleValues = { a: [1n, 2n, 3n, 4n], b: [10n, 20n, 30n, 40n], c: [3n, 1n, 4n, 2n], d: [30n, 10n, 40n, 20n] };

/** acc(0) = start, acc(i+1) = acc(i)·(a_i + χ0·b_i + χ1)/(c_i + χ0·d_i + χ1), rows 0..N. */
export function shuffleProduct(v: ShuffleValues, chi0: Fr, chi1: Fr, start = 1n): Fr[] {
  const acc = [start];
  for (let i = 0; i < v.a.length; i++) {
    const num = frAdd(frAdd(v.a[i]!, frMul(chi0, v.b[i]!)), chi1);
    const den = frAdd(frAdd(v.c[i]!, frMul(chi0, v.d[i]!)), chi1);
    acc.push(frMul(acc[i]!, frMul(num, frInv(den))));
  }
  return acc;
}

/**
 * Two phases, two challenges: the pairs (c_i, d_i) are a rearrangement of the pairs (a_i, b_i), with keys
 * a, c public (instance columns) and payloads b, d private (phase-0 advice) — so the statement is "c is a
 * rearrangement of a". A phase-1 running product acc checks Π(a + χ0·b + χ1) = Π(c + χ0·d + χ1), with
 * χ0 (tuple compression) and χ1 (shift) both of phase 0, drawn after b and d are committed. Three gates:
 * acc starts at 1, steps, ends at 1. `witness` takes acc's start and the values it is built from.
 */
export function shuffle(values: ShuffleValues = SHUFFLE, accStart = 1n): Example {
  const N = values.a.length;
  const [b, d, acc] = [advice(0), advice(1), advice(2)];
  const tuple = (key: ReturnType<typeof instance>, payload: ReturnType<typeof advice>) => add(key, mul(challenge(0), payload), challenge(1));
  const cs: ConstraintSystem = {
    numFixed: 3,
    numInstance: 2,
    advicePhases: [0, 0, 1],
    challengePhases: [0, 0],
    gates: [
      { name: 'acc starts at 1', polys: [mul(fixed(0), sub(acc, constant(1)))] },
      { name: 'acc step', polys: [mul(fixed(1), sub(mul(advice(2, 1), tuple(instance(1), d)), mul(acc, tuple(instance(0), b))))] },
      { name: 'acc ends at 1', polys: [mul(fixed(2), sub(acc, constant(1)))] },
    ],
    lookupTables: [],
    lookups: [],
    equality: [],
  };
  const ones = (at: number[]) => frVecFromInts(Array.from({ length: N + 1 }, (_, i) => (at.includes(i) ? 1 : 0)));
  return {
    circuit: {
      cs,
      k: 4,
      fixed: [ones([0]), ones([...Array(N).keys()]), ones([N])],
      copies: [],
      instanceLengths: [N, N],
    },
    instances: [values.a, values.c],
    witness: {
      advice: (phase, ch): FrVec[] =>
        phase === 0 ? [frVecFromBigints(values.b), frVecFromBigints(values.d)] : [frVecFromBigints(shuffleProduct(values, ch[0]!, ch[1]!, accStart))],
    },
  };
}

/**
 * Three gates and five lookups into two tables, interleaved, so that each logUp argument has two groups
 * (d = 4: group 0 holds the table term and one input, later groups two inputs of degree 1):
 *   range4 = 0..15     ← 'a in range4' (group 0), 'b in range4', 'c in range4' (group 1)
 *   squares = (x, x²)  ← '(a, c) in squares' (group 0), '(b, a) in squares' (group 1)
 * Gates: 'mul' c = a·b, 'add' c = a + b, 'select' (two polys) b ∈ {0,1} and c = a·(1 − b).
 * Rows (a, b, c), each checked by one gate or one set of lookups only, so one cell can break one thing:
 *   0 mul + ranges   1 add + ranges   2 select   3 ranges   4 (a, c) square   5 (b, a) square
 */
export const LOOKUP_ROWS: readonly (readonly [number, number, number])[] = [
  [3, 4, 12],
  [2, 5, 7],
  [9, 0, 9],
  [1, 2, 3],
  [5, 0, 25],
  [9, 3, 0],
];

export function manyLookups(rows: readonly (readonly [number, number, number])[] = LOOKUP_ROWS): Example {
  const [a, b, c] = [advice(0), advice(1), advice(2)];
  const cs: ConstraintSystem = {
    numFixed: 11,
    numInstance: 0,
    advicePhases: [0, 0, 0],
    challengePhases: [],
    gates: [
      { name: 'mul', polys: [mul(fixed(0), sub(mul(a, b), c))] },
      { name: 'add', polys: [mul(fixed(1), sub(add(a, b), c))] },
      { name: 'select', polys: [mul(fixed(2), sub(mul(b, b), b)), mul(fixed(2), sub(mul(a, sub(constant(1), b)), c))] },
    ],
    lookupTables: [
      { name: 'range4', columns: [fixed(8)] },
      { name: 'squares', columns: [fixed(9), fixed(10)] },
    ],
    lookups: [
      { name: 'a in range4', table: 0, selector: fixed(3), inputs: [a] },
      { name: '(a, c) in squares', table: 1, selector: fixed(6), inputs: [a, c] },
      { name: 'b in range4', table: 0, selector: fixed(4), inputs: [b] },
      { name: '(b, a) in squares', table: 1, selector: fixed(7), inputs: [b, a] },
      { name: 'c in range4', table: 0, selector: fixed(5), inputs: [c] },
    ],
    equality: [],
  };
  const on = (...at: number[]) => frVecFromInts(Array.from({ length: rows.length }, (_, i) => (at.includes(i) ? 1 : 0)));
  const xs = [...Array(8).keys()];
  const cols = [0, 1, 2].map((j) => rows.map((r) => r[j]!));
  return {
    circuit: {
      cs,
      k: 5,
      fixed: [
        on(0),
        on(1),
        on(2),
        on(0, 1, 3),
        on(0, 1, 3),
        on(0, 1, 3),
        on(4),
        on(5),
        frVecFromInts([...Array(16).keys()]),
        frVecFromInts(xs),
        frVecFromInts(xs.map((x) => x * x)),
      ],
      copies: [],
      instanceLengths: [],
    },
    instances: [],
    witness: { advice: () => cols.map((col) => frVecFromInts(col)) },
    advice: cols,
  };
}
