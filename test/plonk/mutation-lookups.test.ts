/**
 * Mutation tests on a circuit with several gates and several lookups into several tables (circuits.ts
 * `manyLookups`): two logUp arguments, each with two groups, inputs of the two tables interleaved in the
 * lookup list. With the test-local prover/verifier copies of mutant.ts (checked against the real
 * prove()/verify() first):
 * - for every lookup and each of L1, L2, L3 as it applies to that lookup (L1 and L3 of its group, L2 of
 *   its argument), an input outside the table with running sums forged so that exactly that one
 *   constraint fails: the real verifier rejects, the copy with that one constraint deleted accepts, and
 *   deleting the same family's constraint of any other group or argument does not help;
 * - each gate (and each poly of a two-poly gate) is load-bearing, with the real prover and verifier on a
 *   cs copy without the gate as well as with the copies' fold.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { frAdd, frSub } from '../../src/scalar/fr.ts';
import { frVecGet, type FrVec } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import type { ProvingKey } from '../../src/plonk/keys.ts';
import type { Proof } from '../../src/plonk/proof.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { LOOKUP_ROWS, manyLookups, type Example } from './circuits.ts';
import {
  ACCEPT,
  assertGateLoadBearing,
  constraintNames,
  familyOf,
  forge,
  PAIRING,
  rowsWitness,
  setRows,
  verifyWithout,
  type Forgery,
} from './mutant.ts';

after(terminateFfjsCurve);

let pk: ProvingKey;
let ex: Example;
let honest: Proof;
before(async () => {
  ex = manyLookups();
  pk = await keygen(await devSrs(6), ex.circuit);
  honest = await prove(pk, ex.instances, ex.witness);
});

type Row = readonly [number, number, number];
/** The honest rows with cell (row, column a/b/c = 0/1/2) set to `value`. */
function withCell(row: number, column: number, value: number): Row[] {
  return LOOKUP_ROWS.map((r, i) => (i === row ? (r.map((v, j) => (j === column ? value : v)) as unknown as Row) : r));
}
const columnsOf = (rows: readonly Row[]): number[][] => [0, 1, 2].map((j) => rows.map((r) => r[j]!));

test('several lookups: the test-local prover and verifier agree with the real ones', async () => {
  const { shape } = pk.vk;
  assert.equal(shape.d, 4);
  assert.deepEqual(
    shape.lookupArgs.map((a) => ({ table: a.table, inputs: a.inputs, groups: a.groups })),
    [
      { table: 0, inputs: [0, 2, 4], groups: [[0], [1, 2]] },
      { table: 1, inputs: [1, 3], groups: [[0], [1]] },
    ],
  );
  assert.deepEqual(constraintNames(pk.vk), [
    "gate 'mul' poly 0",
    "gate 'add' poly 0",
    "gate 'select' poly 0",
    "gate 'select' poly 1",
    "lookup 'range4' L1 group 0",
    "lookup 'range4' L1 group 1",
    "lookup 'range4' L2",
    "lookup 'range4' L3 group 0",
    "lookup 'range4' L3 group 1",
    "lookup 'squares' L1 group 0",
    "lookup 'squares' L1 group 1",
    "lookup 'squares' L2",
    "lookup 'squares' L3 group 0",
    "lookup 'squares' L3 group 1",
  ]);
  const { proof, violated } = await forge(pk, ex.instances, ex.advice!);
  assert.deepEqual([...violated], []);
  assert.deepEqual(await verify(pk.vk, ex.instances, proof), ACCEPT);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, honest), ACCEPT);
  const altered = { ...honest, evals: honest.evals.map((v, i) => (i === honest.evals.length - 1 ? frAdd(v, 1n) : v)) };
  assert.deepEqual(await verify(pk.vk, ex.instances, altered), PAIRING);
  assert.deepEqual(await verifyWithout(pk.vk, ex.instances, altered), PAIRING);
});

// ---------------------------------------------------------------------------------------------------
// Each lookup × L1 / L2 / L3. The bad cell of each lookup sits on a row only that lookup reads.

const badCells: { lookup: string; row: number; column: number; value: number }[] = [
  { lookup: 'a in range4', row: 3, column: 0, value: 20 },
  { lookup: '(a, c) in squares', row: 4, column: 2, value: 26 },
  { lookup: 'b in range4', row: 3, column: 1, value: 20 },
  { lookup: '(b, a) in squares', row: 5, column: 0, value: 10 },
  { lookup: 'c in range4', row: 3, column: 2, value: 20 },
];

/** Where lookup j's inputs live (argument ℓ, group g) and the name of its `family` constraint there. */
function targetOf(j: number, family: 'L1' | 'L2' | 'L3'): { l: number; g: number; target: string } {
  const { cs, shape } = pk.vk;
  const l = shape.lookupArgs.findIndex((a) => a.inputs.includes(j));
  const arg = shape.lookupArgs[l]!;
  const g = arg.groups.findIndex((grp) => grp.includes(arg.inputs.indexOf(j)));
  const table = cs.lookupTables[arg.table]!.name;
  return { l, g, target: family === 'L2' ? `lookup '${table}' L2` : `lookup '${table}' ${family} group ${g}` };
}

test('the lookup cases below target every L1, L2, L3 constraint of every argument and group', () => {
  const targets = new Set(badCells.flatMap((_, j) => (['L1', 'L2', 'L3'] as const).map((f) => targetOf(j, f).target)));
  assert.deepEqual([...targets].sort(), constraintNames(pk.vk).filter((name) => name.startsWith('lookup')).sort());
});

/** Adds s to rows from..u of v. */
function shiftRows(v: FrVec, u: number, from: number, s: bigint): void {
  setRows(v, u, (i, old) => (i >= from ? frAdd(old, s) : old));
}

for (const [j, bad] of badCells.entries()) {
  for (const family of ['L1', 'L2', 'L3'] as const) {
    const what = {
      L1: 'its group’s running sum started at −S (S = the forged sum) so the sums close at 0',
      L2: 'honest running sums, closing at S ≠ 0',
      L3: 'its group’s running sum skips the forged input’s term',
    }[family];
    test(`lookup '${bad.lookup}': ${family} is load-bearing — ${what}`, async () => {
      assert.equal(pk.vk.cs.lookups[j]!.name, bad.lookup);
      const { l, g, target } = targetOf(j, family);
      /** Σ_g φ_{ℓ,g}(ω^u): what the forged input leaves over (its term s/F, the table holding no match). */
      const leftOver = (phi: FrVec[][], u: number) => phi[l]!.reduce((acc, v) => frAdd(acc, frVecGet(v, u)), 0n);
      const forgery: Omit<Forgery, 'omit'> = {
        L1: { tamperPhi: (phi: FrVec[][], u: number) => shiftRows(phi[l]![g]!, u, 0, frSub(0n, leftOver(phi, u))) },
        L2: {},
        L3: { tamperPhi: (phi: FrVec[][], u: number) => shiftRows(phi[l]![g]!, u, bad.row + 1, frSub(0n, leftOver(phi, u))) },
      }[family];
      const rows = columnsOf(withCell(bad.row, bad.column, bad.value));
      const { proof, violatedConstraints } = await forge(pk, [], rows, { ...forgery, omit: (name) => name === target });
      // The forgery breaks this one constraint of this argument/group and nothing else (checked on all of H) ...
      assert.deepEqual([...violatedConstraints], [target]);
      // ... the real verifier rejects it, and so does the copy with nothing or any other constraint deleted ...
      assert.deepEqual(await verify(pk.vk, [], proof), PAIRING);
      assert.deepEqual(await verifyWithout(pk.vk, [], proof), PAIRING);
      const siblings = constraintNames(pk.vk).filter((name) => name !== target && !name.startsWith('gate') && familyOf(name) === family);
      assert.ok(siblings.length >= 1);
      for (const other of siblings) assert.deepEqual(await verifyWithout(pk.vk, [], proof, (name) => name === other), PAIRING, other);
      // ... and with exactly it deleted, the verifier accepts an input that is not in the table.
      assert.deepEqual(await verifyWithout(pk.vk, [], proof, (name) => name === target), ACCEPT);
    });
  }
}

// ---------------------------------------------------------------------------------------------------
// Each gate, and each poly of the two-poly gate.

const gateCases: { gate: string; row: number; cells: Row; broken: string[] }[] = [
  { gate: 'mul', row: 0, cells: [3, 4, 13], broken: ["gate 'mul' poly 0"] },
  { gate: 'add', row: 1, cells: [2, 5, 8], broken: ["gate 'add' poly 0"] },
  { gate: 'select', row: 2, cells: [0, 2, 0], broken: ["gate 'select' poly 0"] }, // b = 2 not boolean; c = a·(1 − b) holds
  { gate: 'select', row: 2, cells: [9, 0, 8], broken: ["gate 'select' poly 1"] }, // b = 0 but c ≠ a
];

for (const c of gateCases) {
  test(`several gates: '${c.gate}' is load-bearing (${c.broken.join(', ')} fails on row ${c.row})`, async () => {
    const rows = LOOKUP_ROWS.map((r, i) => (i === c.row ? c.cells : r));
    await assertGateLoadBearing(pk, [], rowsWitness(columnsOf(rows)), c.gate, c.broken);
  });
}

test('several gates: one poly of a two-poly gate deleted lets exactly its own violation through', async () => {
  for (const [broken, kept] of [
    ["gate 'select' poly 0", "gate 'select' poly 1"],
    ["gate 'select' poly 1", "gate 'select' poly 0"],
  ] as const) {
    const c = gateCases.find((g) => g.broken[0] === broken)!;
    const rows = LOOKUP_ROWS.map((r, i) => (i === c.row ? c.cells : r));
    const { proof, violatedConstraints } = await forge(pk, [], columnsOf(rows), { omit: (name) => name === broken });
    assert.deepEqual([...violatedConstraints], [broken]);
    assert.deepEqual(await verifyWithout(pk.vk, [], proof, (name) => name === broken), ACCEPT);
    assert.deepEqual(await verifyWithout(pk.vk, [], proof, (name) => name === kept), PAIRING);
    assert.deepEqual(await verify(pk.vk, [], proof), PAIRING);
  }
});
