import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromInts, type FrVec } from '../../src/field/frvec.ts';
import { advice, fixed, instance, mul, sub, type Column } from '../../src/plonk/expression.ts';
import { type ConstraintSystem, csShape } from '../../src/plonk/cs.ts';
import type { CopyConstraint } from '../../src/plonk/permutation/keygen.ts';
import { type Assignment, describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';

const K = 5;
const A: Column = { type: 'advice', index: 0 };
const B: Column = { type: 'advice', index: 1 };
const C: Column = { type: 'advice', index: 2 };
const I: Column = { type: 'instance', index: 0 };

/**
 * fixed 0 = q_mul, fixed 1 = q_range, fixed 2 = table 0..15; advice a, b, c (+ optional free column d).
 * gate 'mul': q_mul·(a·b − c); lookups 'range a', 'range b' into 'u4'. Instance [3, 4, 5, 60]:
 * row 0: a=3 (= inst 0), b=4 (= inst 1), c=12; row 1: a = c@0 = 12, b=5 (= inst 2), c=60 (= inst 3).
 */
function circuit(extraAdvice = 0): ConstraintSystem {
  return {
    numFixed: 3,
    numInstance: 1,
    advicePhases: Array(3 + extraAdvice).fill(0),
    challengePhases: [],
    gates: [{ name: 'mul', polys: [mul(fixed(0), sub(mul(advice(0), advice(1)), advice(2)))] }],
    lookupTables: [{ name: 'u4', columns: [fixed(2)] }],
    lookups: [
      { name: 'range a', table: 0, selector: fixed(1), inputs: [advice(0)] },
      { name: 'range b', table: 0, selector: fixed(1), inputs: [advice(1)] },
    ],
    equality: [A, B, C, I],
  };
}

const copies: CopyConstraint[] = [
  { a: { column: A, row: 0 }, b: { column: I, row: 0 } },
  { a: { column: B, row: 0 }, b: { column: I, row: 1 } },
  { a: { column: C, row: 0 }, b: { column: A, row: 1 } },
  { a: { column: B, row: 1 }, b: { column: I, row: 2 } },
  { a: { column: C, row: 1 }, b: { column: I, row: 3 } },
];

function honest(extra: FrVec[] = []): Assignment {
  return {
    fixed: [frVecFromInts([1, 1]), frVecFromInts([1, 1]), frVecFromInts(Array.from({ length: 16 }, (_, i) => i))],
    advice: [frVecFromInts([3, 12]), frVecFromInts([4, 5]), frVecFromInts([12, 60]), ...extra],
    instance: [[3n, 4n, 5n, 60n]],
    copies,
  };
}

test('honest assignment passes', () => {
  const res = mockProve(circuit(), K, honest());
  assert.deepEqual(res.failures.map(describe), []);
  assert.equal(res.ok, true);
});

test('broken gate cell is reported with gate name, row and cells', () => {
  const a = honest();
  const res = mockProve(circuit(), K, { ...a, advice: [a.advice[0]!, a.advice[1]!, frVecFromInts([12, 61])] });
  assert.equal(res.ok, false);
  const gate = res.failures.filter((f) => f.kind === 'gate');
  assert.equal(gate.length, 1);
  assert.equal(gate[0]!.name, 'mul');
  assert.equal(gate[0]!.poly, 0);
  assert.equal(gate[0]!.row, 1);
  assert.equal(gate[0]!.reason, 'gate is nonzero');
  assert.equal(gate[0]!.value, FR_MODULUS - 1n); // 12·5 − 61
  const cCell = gate[0]!.cells.find((c) => c.column.type === 'advice' && c.column.index === 2)!;
  assert.equal(cCell.value, 61n);
  // c@1 is also copied to instance 3 (= 60): the copy breaks too.
  const copy = res.failures.filter((f) => f.kind === 'copy');
  assert.deepEqual(copy.map((f) => f.name), ['copy #4']);
  const text = describe(gate[0]!);
  assert.match(text, /gate 'mul' poly 0 fails on row 1/);
  assert.match(text, /advice\[2\]@\+0 \(row 1\) = 61/);
  assert.match(text, /value -1/);
});

test('lookup input outside the table is reported', () => {
  const a = honest();
  const res = mockProve(circuit(), K, {
    ...a,
    advice: [frVecFromInts([3, 20]), frVecFromInts([4, 3]), frVecFromInts([20, 60])],
    instance: [[3n, 4n, 3n, 60n]],
  });
  // row 0: 3·4 ≠ 20 → gate row 0; a@1 = 20 not in 0..15 → lookup 'range a' row 1.
  const lk = res.failures.filter((f) => f.kind === 'lookup');
  assert.equal(lk.length, 1);
  assert.equal(lk[0]!.name, 'range a');
  assert.equal(lk[0]!.row, 1);
  assert.equal(lk[0]!.poly, 0);
  assert.deepEqual(lk[0]!.inputs, [20n]);
  assert.match(describe(lk[0]!), /lookup 'range a' fails on row 1: input not in table 'u4'; input \(20\)/);
  assert.deepEqual(res.failures.filter((f) => f.kind === 'gate').map((f) => [f.name, f.row]), [['mul', 0]]);
});

test('broken copy and wrong instance value are reported', () => {
  const a = honest();
  // Break c@0 → a@1 copy only: a@1 = 13, c@0 = 12 (gate row 1 then also breaks: 13·5 ≠ 60).
  const r1 = mockProve(circuit(), K, { ...a, advice: [frVecFromInts([3, 13]), a.advice[1]!, a.advice[2]!] });
  const cp = r1.failures.filter((f) => f.kind === 'copy');
  assert.equal(cp.length, 1);
  assert.equal(cp[0]!.name, 'copy #2');
  assert.equal(cp[0]!.row, 0);
  assert.deepEqual(cp[0]!.cells.map((c) => [c.column.type, c.row, c.value]), [['advice', 0, 12n], ['advice', 1, 13n]]);
  assert.match(describe(cp[0]!), /copy #2 fails: values differ: advice\[2\] row 0 = 12, advice\[0\] row 1 = 13/);

  // Wrong public input: instance 2 = 6 while b@1 = 5.
  const r2 = mockProve(circuit(), K, { ...a, instance: [[3n, 4n, 6n, 60n]] });
  assert.equal(r2.ok, false);
  assert.equal(r2.failures.length, 1);
  const f = r2.failures[0]!;
  assert.equal(f.kind, 'copy');
  assert.equal(f.name, 'copy #3');
  assert.deepEqual(f.cells.map((c) => [c.column.type, c.row, c.value]), [['advice', 1, 5n], ['instance', 2, 6n]]);
  assert.match(describe(f), /instance\[0\] row 2 = 6/);
});

test('gate reaching past usable rows and gate without selector on blinding rows', () => {
  const { u } = csShape(circuit(), K);
  const cs: ConstraintSystem = {
    ...circuit(),
    gates: [
      // next-row gate: q·(a@+1 − a) enabled on the last usable row reads the blinding row u.
      { name: 'next', polys: [mul(fixed(0), sub(advice(0, 1), advice(0)))] },
    ],
    lookups: [],
  };
  const a = honest();
  const q = Array(u).fill(0);
  q[u - 1] = 1;
  const res = mockProve(cs, K, { ...a, fixed: [frVecFromInts(q), a.fixed[1]!, a.fixed[2]!], copies: [] });
  assert.equal(res.failures.length, 1);
  assert.equal(res.failures[0]!.reason, 'reaches past usable rows');
  assert.equal(res.failures[0]!.row, u - 1);
  assert.equal(res.failures[0]!.cells.find((c) => c.rotation === 1)!.value, null);

  // A gate with no selector (a·b − c everywhere) cannot vanish on blinding rows.
  const noSel: ConstraintSystem = { ...circuit(), gates: [{ name: 'raw', polys: [sub(mul(advice(0), advice(1)), advice(2))] }], lookups: [] };
  const pad = (xs: number[]) => frVecFromInts([...xs, ...Array(u - xs.length).fill(0)]);
  const r2 = mockProve(noSel, K, { ...a, advice: [pad([3, 12]), pad([4, 5]), pad([12, 60])] });
  assert.ok(r2.failures.length > 0);
  assert.ok(r2.failures.every((f) => f.kind === 'gate' && f.row >= u));
  assert.equal(mockProve(noSel, K, { ...a, advice: [pad([3, 12]), pad([4, 5]), pad([12, 60])] }, { checkBlindingRows: false }).ok, true);
});

test('underconstrained finder: nothing for the constrained circuit, exactly the free cell otherwise', () => {
  assert.deepEqual(findUnderconstrainedCells(circuit(), K, honest()), []);
  // Advice column 3 holds a value at row 1 that no gate, lookup or copy reads.
  const free = findUnderconstrainedCells(circuit(1), K, honest([frVecFromInts([0, 7])]));
  assert.deepEqual(free.map((c) => [c.column.type, c.column.index, c.row, c.original]), [['advice', 3, 1, 7n]]);
  // Dropping the copy b@1 = instance 2 leaves b@1 pinned by the gate (a@1 and c@1 are fixed): nothing free.
  const loose = { ...honest(), copies: copies.filter((_, i) => i !== 3), instance: [[3n, 4n, 5n, 60n]] };
  assert.deepEqual(findUnderconstrainedCells(circuit(), K, loose), []);
  // A lookup-only cell: drop the mul gate's selector on row 1, so b@1 is only range-checked (and no longer copied).
  const a = honest();
  const r = findUnderconstrainedCells(circuit(), K, {
    ...a,
    fixed: [frVecFromInts([1, 0]), a.fixed[1]!, a.fixed[2]!],
    copies: copies.filter((_, i) => i !== 3),
  });
  assert.deepEqual(r.map((c) => [c.column.index, c.row]), [[1, 1]]);
});
