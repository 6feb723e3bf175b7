/**
 * The multi-output dot chip (C outputs over shared inputs): honest outputs equal the integer dot products,
 * one output is the single-output chip's circuit, no cell is left free, and each kind of witness cell —
 * the input itself, its copy in the region, a padding input, each accumulator's start (a bias or the
 * constant 0 of an unused slot), a running accumulator and an output — when tampered breaks a constraint.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { CircuitBuilder, type BuiltCircuit, type Cell } from '../../src/circuit/builder.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { withAdviceCell } from './cells.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { dotProduct } from '../../src/circuit/chips/dot.ts';
import { dotProductsShared } from '../../src/circuit/chips/dot-multi.ts';
import { CircuitError } from '../../src/errors.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';

after(terminateFfjsCurve);

const xsv = [3, -7, 12, 0, 5, -100, 41];
const wsv = [
  [2, 9, -4, 11, -6, 1, 3],
  [-1, 0, 5, 7, 2, -3, -8],
  [4, 4, -4, 4, -4, 4, 1],
];
const biases = [-17, 25, 0];
const ref = wsv.map((w, c) => xsv.reduce((s, x, i) => s + x * w[i]!, biases[c]!));

/** 3 outputs in a row of C = 4 slots (one unused), W = 3: R = 3 product rows, the last one padded. */
function circuit() {
  const b = new CircuitBuilder();
  const xs = b.privateInputs(xsv);
  const bias1 = b.privateInputs([biases[1]!])[0]!;
  const outs = dotProductsShared(b, xs, wsv, [biases[0]!, bias1, biases[2]!], { width: 3, outputs: 4 });
  for (const o of outs) b.publicOutput(o);
  return { built: b.build(), xs, outs };
}


function tamper(built: BuiltCircuit, cell: Cell, kind: 'gate' | 'copy', name?: RegExp): void {
  const v = frVecToBigints(built.assignment.advice[cell.column.index]!)[cell.row] ?? 0n;
  const res = mockProve(built.cs, built.k, withAdviceCell(built.assignment, cell, (v + 1n) % FR_MODULUS));
  assert.equal(res.ok, false, `tampered ${cell.column.type}[${cell.column.index}]@${cell.row} must fail`);
  const hit = res.failures.some((f) => f.kind === kind && (!name || name.test(f.name)));
  assert.ok(hit, `expected a ${kind} failure, got: ${res.failures.map(describe).join(' | ')}`);
}

test('multi-output dot: outputs equal the integer dot products; MockProver passes; no free cell', () => {
  const { built, outs } = circuit();
  assert.deepEqual(outs.map((o) => o.value), ref.map(BigInt));
  assert.deepEqual(built.publicValues, ref.map(BigInt));
  const res = mockProve(built.cs, built.k, built.assignment);
  assert.deepEqual(res.failures.map(describe), []);
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => `${c.column.type}[${c.column.index}]@${c.row}`), []);
  assert.deepEqual(built.cs.gates.map((g) => [g.name, g.polys.length]), [['dot/fixed/3x4', 4]]);
});

test('multi-output dot: every kind of witness cell, tampered, breaks a copy or the gate', () => {
  const { built, xs, outs } = circuit();
  const W = 3;
  const R = 3;
  const start = outs[0]!.cell.row - R;
  const x = (j: number, i: number): Cell => ({ column: { type: 'advice', index: j }, row: start + i });
  const acc = (c: number, i: number): Cell => ({ column: { type: 'advice', index: W + c }, row: start + i });
  tamper(built, xs[4]!.cell, 'copy'); // an input cell itself
  tamper(built, x(1, 1), 'copy'); // its copy in the region (x_4 sits at row 1, slot 1)
  tamper(built, x(2, 2), 'copy'); // a padding slot of the last row (copy of the constant 0)
  for (let c = 0; c < 4; c++) tamper(built, acc(c, 0), 'copy'); // each start: bias constant, bias cell, 0, unused slot's 0
  for (let c = 0; c < 4; c++) tamper(built, acc(c, 2), 'gate', /^dot\/fixed\/3x4$/); // running accumulators
  for (let c = 0; c < 3; c++) tamper(built, outs[c]!.cell, 'gate', /^dot\/fixed\/3x4$/); // outputs
  tamper(built, acc(3, R), 'gate', /^dot\/fixed\/3x4$/); // the unused slot's end
});

test('multi-output dot: one output is the single-output chip; bad shapes are refused', () => {
  const one = new CircuitBuilder();
  dotProductsShared(one, one.privateInputs(xsv), [wsv[0]!], [5], { width: 3 });
  const single = new CircuitBuilder();
  dotProduct(single, single.privateInputs(xsv), wsv[0]!, 5, { width: 3 });
  const [a, b] = [one.build(), single.build()];
  assert.deepEqual(a.cs, b.cs);
  assert.deepEqual(a.circuit.fixed, b.circuit.fixed);
  assert.deepEqual(a.circuit.copies, b.circuit.copies);
  const b2 = new CircuitBuilder();
  const xs = b2.privateInputs([1, 2]);
  assert.throws(() => dotProductsShared(b2, xs, [[1, 2], [3, 4], [5, 6]], [0, 0, 0], { outputs: 2 }), CircuitError);
  assert.throws(() => dotProductsShared(b2, xs, [[1, 2], [3]], [0, 0]), CircuitError);
  assert.throws(() => dotProductsShared(b2, xs, [[1, 2]], [0, 0]), CircuitError);
});

test('multi-output dot: a real proof verifies; a changed public output is rejected', async () => {
  const { built } = circuit();
  const srs = await devSrs(built.k);
  const pk = await keygen(srs, built.circuit);
  const proof = await prove(pk, built.instances, built.witness);
  assert.equal((await verify(pk.vk, built.instances, proof)).valid, true);
  const bad = built.instances.map((col) => col.map((v, i) => (i === 1 ? (v + 1n) % FR_MODULUS : v)));
  assert.equal((await verify(pk.vk, bad, proof)).valid, false);
});
