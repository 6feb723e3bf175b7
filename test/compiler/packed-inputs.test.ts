/**
 * Private inputs packed several to a row (compiler/gadgets.ts rangedInputs) and limb lookups that share one
 * logUp input per column (builder taggedLookup): values and limbs where they belong, the padding slots
 * pinned to 0, no free cell; every kind of witness cell tampered (a value, each limb, a padding value or
 * limb) is rejected; a value outside the range cannot be written with in-range limbs; gadgets with
 * selectors on one row stay separate inputs; a real proof verifies and a changed public input is rejected.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBuilder, type Cell } from '../../src/circuit/builder.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { limbLookup, rangeCheck } from '../../src/circuit/chips/range.ts';
import { inputsPerRowFor, rangedInput, rangedInputs } from '../../src/compiler/gadgets.ts';
import { CircuitError } from '../../src/errors.ts';
import { fixed } from '../../src/plonk/expression.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { withAdviceCell } from '../circuit/cells.ts';

after(terminateFfjsCurve);

const BITS = 7; // inputs in [−64, 64)
const T = 3; // limbs of 3, 3 and 1 bits: L = 3, 4 columns per input
const VALUES = [-64n, 63n, 0n, -1n, 17n, -30n, 5n]; // 7 inputs, 3 to a row: the last row has 2 padding slots
const PER_ROW = 3;

function circuit(values = VALUES, perRow = PER_ROW) {
  const b = new CircuitBuilder();
  const cells = rangedInputs(b, values, BITS, T, perRow);
  for (const c of cells) b.publicOutput(c);
  return { built: b.build(), cells };
}

test('packed inputs: one row per 3 inputs, limbs in the low columns, values after them, padding copies of 0', () => {
  const { built, cells } = circuit();
  assert.equal(cells.length, VALUES.length);
  cells.forEach((c, i) => {
    assert.equal(c.value, VALUES[i]);
    assert.equal(c.cell.row, Math.floor(i / PER_ROW));
    assert.equal(c.cell.column.index, PER_ROW * 3 + (i % PER_ROW), 'value column after the 3·3 limb columns');
  });
  assert.equal(inputsPerRowFor(BITS, T, 12), 3);
  assert.equal(inputsPerRowFor(BITS, T, 3), 1, 'never fewer than one');
  // one logUp input per limb column (9 of them), however many slots and widths share it
  assert.equal(built.cs.lookups.length, 9);
  assert.deepEqual(mockProve(built.cs, built.k, built.assignment).failures, []);
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => `${c.column.type}[${c.column.index}]@${c.row}`), []);
  // Three rows where one input per row takes seven.
  const one = new CircuitBuilder();
  assert.equal(VALUES.map((v) => rangedInput(one, v, BITS, T)).at(-1)!.cell.row, 6);
  assert.equal(cells.at(-1)!.cell.row, 2);
});

test('packed inputs: every kind of witness cell tampered is rejected', () => {
  const { built } = circuit();
  const adv = (col: number, row: number): Cell => ({ column: { type: 'advice', index: col }, row });
  const cases: [string, Cell][] = [];
  for (let row = 0; row < 3; row++)
    for (let p = 0; p < PER_ROW; p++) {
      cases.push([`row ${row} slot ${p} value`, adv(PER_ROW * 3 + p, row)]);
      for (let i = 0; i < 3; i++) cases.push([`row ${row} slot ${p} limb ${i}`, adv(p * 3 + i, row)]);
    }
  for (const [what, cell] of cases) {
    const a = withAdviceCell(built.assignment, cell, valueAt(built, cell) + 1n);
    assert.ok(mockProve(built.cs, built.k, a).failures.length > 0, `${what} + 1 accepted`);
  }
});

function valueAt(built: ReturnType<typeof circuit>['built'], cell: Cell): bigint {
  return frVecToBigints(built.assignment.advice[cell.column.index]!)[cell.row] ?? 0n;
}

test('packed inputs: a value outside the range has no in-range limbs (the tag holds each limb to its width)', () => {
  assert.throws(() => circuit([64n]), CircuitError);
  assert.throws(() => circuit([-65n]), CircuitError);
  // 64 + 64 = 128 = limbs (0, 0, 2): its 1-bit top limb would have to be 2, found only under wider tags.
  const { built, cells } = circuit([63n]);
  const row = cells[0]!.cell.row;
  let a = withAdviceCell(built.assignment, cells[0]!.cell, 64n);
  a = withAdviceCell(a, { column: { type: 'advice', index: 0 }, row }, 0n);
  a = withAdviceCell(a, { column: { type: 'advice', index: 1 }, row }, 0n);
  a = withAdviceCell(a, { column: { type: 'advice', index: 2 }, row }, 2n);
  const failures = mockProve(built.cs, built.k, a).failures.map((f) => f.kind);
  assert.ok(failures.includes('lookup'), `only ${failures.join(', ')}`);
});

test('limb lookups whose selectors share a row stay separate logUp inputs', () => {
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([5]);
  rangeCheck(b, x!, 4, { limbBits: 4 }); // its limb in advice 1, under selector range/4/4/0
  // A second lookup on advice 1, enabled on the same row as the range check: summing the two selectors would
  // give 2 there, so the builder keeps it apart.
  const sel = b.selector('extra');
  limbLookup(b, 'extra: limb', { type: 'advice', index: 1 }, 3, fixed(sel.index));
  const rangeRow = 1; // privateInputs took row 0
  b.enable('extra', rangeRow);
  const built = b.build();
  assert.equal(built.cs.lookups.length, 2);
  assert.deepEqual(mockProve(built.cs, built.k, built.assignment).failures, []);
});

test('packed inputs prove and verify; a changed public input is rejected', async () => {
  const { built } = circuit();
  const pk = await keygen(await devSrs(built.k), built.circuit);
  const proof = await prove(pk, built.instances, built.witness);
  assert.deepEqual(await verify(pk.vk, built.instances, proof), { valid: true });
  const forged = built.instances.map((col) => col.map((v, i) => (i === 4 ? v + 1n : v)));
  assert.equal((await verify(pk.vk, forged, proof)).valid, false);
});
