/** Example circuits for the proof-system tests: each returns its description and an honest witness. */
import { frVecFromBigints, frVecFromInts, type FrVec } from '../../src/field/frvec.ts';
import { FR_MODULUS } from '../../src/field/fr.ts';
import { add, advice, challenge, fixed, mul, sub } from '../../src/plonk/expression.ts';
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
