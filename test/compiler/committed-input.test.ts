/**
 * Committed graph inputs: the input's cells stay private, its salted Poseidon commitment is the public
 * value in its place; the commitment is the reference's (src/commit/tensor-commitment.ts) over the
 * quantized input; the layout does not depend on the salt; every cell is pinned (tampering sweep, freedom
 * finder). A committed output likewise, under the salt its prover draws.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { buildModelCircuit, resolveVisibility } from '../../src/compiler/index.ts';
import { findFreedoms } from '../../src/circuit/underconstrained.ts';
import { commitTensor, commitmentPermutations } from '../../src/commit/tensor-commitment.ts';
import { poseidonRows } from '../../src/circuit/chips/poseidon.ts';
import { CircuitError } from '../../src/errors.ts';
import { checkModel, graph, modelInputCells, quantizeSmall, tamperCaught } from './lowering-helpers.ts';

/** Gemm(6 → 3, bias) → Relu. */
function model() {
  const w = Array.from({ length: 18 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
  const g = graph('committed', [1, 6], [1, 3], [
    { op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['h'], attrs: { transB: attr.int(1) } },
    { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['y'], attrs: {} },
  ], { w: floatTensor([3, 6], w), b: floatTensor([3], [0.1, -0.2, 0.3]) });
  return quantizeSmall(g, [1, 6], -1, 1);
}

const SALT = 0x1234567890abcdef1234567890abcdefn;
const opts = (salt = SALT) => ({ width: 4, visibility: { x: 'committed' as const }, salts: { x: salt } });

test('the commitment to the quantized input is the first public value, then the outputs; no input value is public', () => {
  const { model: m, inputs } = model();
  const q = inputs[0]!;
  const c = checkModel(m, q, ['poseidon9/sbox', 'poseidon9/mix', 'poseidon9/partial'], opts());
  const values = Array.from(q.x!.data, BigInt);
  assert.deepEqual(c.publicLayout.map((t) => [t.name, t.kind, t.shape, t.offset, t.length]), [
    ['x', 'commitment', [1], 0, 1],
    ['y', 'output', [1, 3], 1, 3],
  ]);
  assert.equal(c.instances[0]![0], commitTensor(values, SALT));
  assert.equal(c.instances[0]!.length, 4, 'the commitment and the three outputs, nothing else');
  // Rows: the inputs' own rows plus one salt row and the Poseidon permutations.
  const plain = buildModelCircuit(m, q, { width: 4 });
  assert.equal(c.stats.rows - plain.stats.rows, 1 + poseidonRows(9) * commitmentPermutations(6));
  assert.equal(c.stats.advice, Math.max(plain.stats.advice, 10));
});

test('hiding and binding: another salt gives another commitment over the same layout; other data another one', () => {
  const { model: m, inputs } = model();
  const a = buildModelCircuit(m, inputs[0]!, opts());
  const b = buildModelCircuit(m, inputs[0]!, opts(SALT + 1n));
  const other = buildModelCircuit(m, inputs[1]!, opts());
  assert.notEqual(a.instances[0]![0], b.instances[0]![0]);
  assert.deepEqual(a.instances[0]!.slice(1), b.instances[0]!.slice(1), 'same outputs');
  assert.notEqual(a.instances[0]![0], other.instances[0]![0]);
  // The salt is witness only: the constraint system, fixed columns and copies are those of any other salt.
  assert.deepEqual(JSON.stringify(a.cs, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), JSON.stringify(b.cs, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  assert.deepEqual(a.circuit.fixed, b.circuit.fixed);
  assert.deepEqual(a.circuit.copies, b.circuit.copies);
  assert.equal(a.k, b.k);
});

test('every cell is pinned: a tampering sweep is rejected and the freedom finder reports nothing', () => {
  const { model: m, inputs } = model();
  const c = buildModelCircuit(m, inputs[0]!, opts());
  assert.ok(tamperCaught(c, 5) > 50);
  // Moving the private input (with its copies) must break the public commitment, so it is not declared free.
  assert.deepEqual(findFreedoms(c.cs, c.k, c.assignment, {}), []);
  assert.equal(modelInputCells(c).length, 6);
});

test('a committed output: its commitment (the reference over the quantized output) is public in its place, every cell pinned', () => {
  const { model: m, inputs } = model();
  const q = inputs[0]!;
  const o = (salt: bigint) => ({ width: 4, visibility: { y: 'committed' as const }, salts: { y: salt } });
  const c = checkModel(m, q, ['poseidon9/sbox', 'poseidon9/mix', 'poseidon9/partial'], o(SALT));
  assert.deepEqual(c.publicLayout.map((t) => [t.name, t.kind, t.shape, t.offset, t.length]), [['y', 'commitment', [1], 0, 1]]);
  assert.equal(c.instances[0]!.length, 1, 'the commitment only: no output value is public');
  assert.deepEqual(c.publicOutputs, []);
  assert.equal(c.committedOutputs.length, 1);
  const values = c.committedOutputs[0]!.values.map(BigInt);
  assert.equal(c.instances[0]![0], commitTensor(values, SALT));
  // Hiding (another salt, same layout) and binding (other data, other commitment).
  const b = buildModelCircuit(m, q, o(SALT + 1n));
  assert.notEqual(b.instances[0]![0], c.instances[0]![0]);
  assert.deepEqual(b.circuit.copies, c.circuit.copies);
  const other = buildModelCircuit(m, inputs[1]!, o(SALT));
  assert.notDeepEqual(other.committedOutputs[0]!.values, c.committedOutputs[0]!.values, 'the samples give other outputs');
  assert.notEqual(other.instances[0]![0], c.instances[0]![0]);
  const built = buildModelCircuit(m, q, o(SALT));
  assert.ok(tamperCaught(built, 5) > 50);
  assert.deepEqual(findFreedoms(built.cs, built.k, built.assignment, {}), []);
});

test('unknown visibility kinds are refused', () => {
  const { model: m } = model();
  assert.equal(resolveVisibility(m.graph, { y: 'committed' }).get('y'), 'committed');
  assert.throws(() => resolveVisibility(m.graph, { x: 'hashed' as never }), CircuitError);
});
