/**
 * The Poseidon chip computes circomlib's Poseidon (the reference and poseidon-lite agree with its output
 * cells), every kind of cell it lays out is pinned (tampering with each is rejected by the gate that
 * defines it, or by a copy), the freedom finder reports nothing, and a real proof verifies.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { poseidon2, poseidon8 } from 'poseidon-lite';
import { FR_MODULUS, frFrom } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { CircuitBuilder, type BuiltCircuit, type Cell, type Value } from '../../src/circuit/builder.ts';
import { type Assignment, describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { findFreedoms } from '../../src/circuit/underconstrained.ts';
import { poseidonHashCells, poseidonPermutationCells, poseidonRows } from '../../src/circuit/chips/poseidon.ts';
import { poseidonParams, poseidonPermutation } from '../../src/transcript/poseidon.ts';
import { proofDegree, requiredDegree } from '../../src/plonk/cs.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import type { ModelCircuit } from '../../src/compiler/index.ts';
import { tamperCaught } from '../compiler/lowering-helpers.ts';

after(terminateFfjsCurve);

/** Poseidon(inputs) laid out on private input cells, the hash public. */
function hashCircuit(inputs: readonly (bigint | number)[]): { built: BuiltCircuit; xs: Value[]; out: Value } {
  const b = new CircuitBuilder();
  const xs = b.privateInputs(inputs);
  const out = poseidonHashCells(b, xs);
  b.publicOutput(out);
  const built = b.build();
  const res = mockProve(built.cs, built.k, built.assignment);
  assert.deepEqual(res.failures.map(describe), []);
  return { built, xs, out };
}

function withCell(a: Assignment, cell: Cell, v: bigint): Assignment {
  const advice = a.advice.map((col, i) => {
    if (i !== cell.column.index) return col;
    const vals = frVecToBigints(col);
    vals[cell.row] = frFrom(v);
    return frVecFromBigints(vals);
  });
  return { ...a, advice };
}

const cellValue = (a: Assignment, c: Cell): bigint => frVecToBigints(a.advice[c.column.index]!)[c.row] ?? 0n;

test('hash cells equal poseidon-lite: Poseidon(2) (t = 3) and Poseidon(8) (t = 9), signed and large inputs', () => {
  const a = [5n, -7n];
  assert.equal(hashCircuit(a).out.value, poseidon2(a.map(frFrom)));
  const big = [FR_MODULUS - 1n, 1n, 2n, -3n, 123456789012345678901234567890n, 0n, 42n, -1n];
  const { built, out } = hashCircuit(big);
  assert.equal(out.value, poseidon8(big.map(frFrom)));
  assert.deepEqual(built.instances, [[poseidon8(big.map(frFrom))]]);
});

test('permutation cells equal the reference permutation on a full state (every output element)', () => {
  const b = new CircuitBuilder();
  const state = [3n, 1n, 4n].map((v) => b.constant(v));
  const out = poseidonPermutationCells(b, state);
  assert.deepEqual(out.map((v) => v.value), poseidonPermutation([3n, 1n, 4n]));
  const built = b.build();
  assert.ok(mockProve(built.cs, built.k, built.assignment).ok);
});

test('rows per permutation: 3·R_F + R_P + 1 (t = 3: 82, t = 9: 88); gate degree 4 (selector included)', () => {
  assert.equal(poseidonRows(3), 3 * 8 + 57 + 1);
  assert.equal(poseidonRows(9), 3 * 8 + 63 + 1);
  const { built } = hashCircuit([1, 2]);
  assert.equal(built.rows, 2 + 82);
  assert.equal(built.cs.advicePhases.length, 4);
  assert.equal(requiredDegree(built.cs), 4);
  assert.ok(proofDegree(built.cs) <= 5, 'extended domain 4n, as circuits with lookups already have');
});

// ---- soundness ---------------------------------------------------------------------------------------

/**
 * Row layout of the first permutation (t = 3, hash of 2 inputs after 2 input rows): the rows of each kind
 * of cell, from the parameters.
 */
function layout(t: number, start: number) {
  const p = poseidonParams(t);
  const half = p.roundsF / 2;
  return {
    firstState: start,
    fullQ: start + 1, // first full round: q row
    fullU: start + 2, // first full round: u row
    afterFull: start + 3, // state after round 0 (written by the mix gate)
    partialRow: start + 3 * half + 5, // a partial round's state row
    lastFullState: start + 3 * half + p.roundsP + 3 * (half - 1),
    output: start + poseidonRows(t) - 1,
  };
}

test('tampering: every kind of cell is pinned — state, square, S-box output, partial square, output, input copy', () => {
  const { built, xs } = hashCircuit([11, 22]);
  const L = layout(3, 2);
  const a = built.assignment;
  const cases: { what: string; cell: Cell; expect: RegExp }[] = [
    { what: 'a full round square q', cell: { column: { type: 'advice', index: 1 }, row: L.fullQ }, expect: /poseidon3\/sbox/ },
    { what: 'a full round S-box output u', cell: { column: { type: 'advice', index: 2 }, row: L.fullU }, expect: /poseidon3\/(sbox|mix)/ },
    { what: 'the state after a full round', cell: { column: { type: 'advice', index: 0 }, row: L.afterFull }, expect: /poseidon3\/(mix|sbox)/ },
    { what: 'a partial round state element without S-box', cell: { column: { type: 'advice', index: 2 }, row: L.partialRow }, expect: /poseidon3\/partial/ },
    { what: "a partial round's square a", cell: { column: { type: 'advice', index: 3 }, row: L.partialRow }, expect: /poseidon3\/partial/ },
    { what: 'a state row of the last full rounds', cell: { column: { type: 'advice', index: 1 }, row: L.lastFullState }, expect: /poseidon3\/sbox/ },
    { what: 'the output element 0', cell: { column: { type: 'advice', index: 0 }, row: L.output }, expect: /poseidon3\/mix|copy/ },
    { what: 'the output element 2 (not public)', cell: { column: { type: 'advice', index: 2 }, row: L.output }, expect: /poseidon3\/mix/ },
    { what: 'the copied-in first input', cell: { column: { type: 'advice', index: 1 }, row: L.firstState }, expect: /copy|poseidon3\/sbox/ },
    { what: 'the capacity element (copied from constant 0)', cell: { column: { type: 'advice', index: 0 }, row: L.firstState }, expect: /copy|poseidon3\/sbox/ },
  ];
  for (const { what, cell, expect } of cases) {
    const v = cellValue(a, cell);
    for (const x of [v + 1n, v - 1n, 0n, 1n].map(frFrom).filter((x) => x !== v)) {
      const res = mockProve(built.cs, built.k, withCell(a, cell, x), { maxFailures: 20 });
      assert.equal(res.ok, false, `${what}: ${v} → ${x} accepted`);
      assert.ok(res.failures.some((f) => expect.test(f.name) || expect.test(f.kind)), `${what}: expected ${expect}, got ${res.failures.map(describe).join(' | ')}`);
    }
  }
  // A different private input with its copy moved along changes the public hash: the instance rejects it.
  const moved = withCell(withCell(a, xs[0]!.cell, 12n), { column: { type: 'advice', index: 1 }, row: L.firstState }, 12n);
  assert.equal(mockProve(built.cs, built.k, moved, { maxFailures: 1 }).ok, false);
  // A wrong public hash.
  assert.equal(mockProve(built.cs, built.k, { ...a, instance: [[frFrom(a.instance[0]![0]! + 1n)]] }, { maxFailures: 1 }).ok, false);
});

test('tampering sweep: every used cell of a t = 3 hash, alone (v ± 1, 0, ±1) and with its whole copy class, is rejected', () => {
  const { built } = hashCircuit([-3, 8]);
  const tried = tamperCaught(built as unknown as ModelCircuit, 1);
  assert.ok(tried >= 3 * 82, `tried ${tried} cells`);
});

test('the freedom finder reports nothing (t = 3 hash, t = 9 permutation); inputs fixed, single classes and pairs', () => {
  const { built, xs } = hashCircuit([7, -9]);
  assert.deepEqual(findFreedoms(built.cs, built.k, built.assignment, { inputs: xs.map((x) => x.cell) }), []);
  const b = new CircuitBuilder();
  const ins = b.privateInputs([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  for (const o of poseidonPermutationCells(b, ins)) b.publicOutput(o);
  const wide = b.build();
  assert.deepEqual(findFreedoms(wide.cs, wide.k, wide.assignment, { inputs: ins.map((x) => x.cell) }), []);
});

test('a real proof of Poseidon(2) verifies; another public hash is rejected', async () => {
  const { built } = hashCircuit([1, 2]);
  const srs = await devSrs(built.k);
  const pk = await keygen(srs, built.circuit);
  const proof = await prove(pk, built.instances, built.witness);
  assert.deepEqual(await verify(pk.vk, built.instances, proof), { valid: true });
  assert.equal(built.instances[0]![0], poseidon2([1n, 2n]));
  const wrong = [[frFrom(built.instances[0]![0]! + 1n)]];
  assert.equal((await verify(pk.vk, wrong, proof)).valid, false);
});
