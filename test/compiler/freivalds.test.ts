/**
 * Freivalds check of runtime × runtime MatMul at a transcript challenge (second-phase advice): the chip on
 * its own (honest values, a forged product caught by MockProver and by the real verifier, nothing
 * under-constrained) and inside an attention model (bit-exact, MockProver, real proof).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import { CircuitBuilder, type Value } from '../../src/circuit/builder.ts';
import { freivaldsMatMul, type FreivaldsOptions } from '../../src/circuit/chips/freivalds.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { checkModel, quantizeSmall, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const A = [3, -1, 2, 0, 5, -4];
const B = [1, 2, -3, 4, 0, -1, 2, 5, 7, 1, -2, 3];

/** C = A·B (2×3 · 3×4) with A and B private inputs and C public. */
function matmulCircuit(opts: FreivaldsOptions = {}) {
  const b = new CircuitBuilder();
  const [a, bb] = [b.privateInputs(A), b.privateInputs(B)];
  const C: Value[] = freivaldsMatMul(b, a, bb, 2, 3, 4, { width: 2, ...opts });
  for (const c of C) b.publicOutput(c);
  return { built: b.build(), C };
}

const product = (): bigint[] =>
  Array.from({ length: 8 }, (_, i) => {
    const [m, n] = [Math.floor(i / 4), i % 4];
    return BigInt(A[m * 3]! * B[n]! + A[m * 3 + 1]! * B[4 + n]! + A[m * 3 + 2]! * B[8 + n]!);
  });

test('freivalds chip: C equals A·B, MockProver passes at the sampled challenge, nothing under-constrained', () => {
  const { built, C } = matmulCircuit();
  assert.deepEqual(C.map((c) => c.value), product());
  assert.deepEqual(built.cs.advicePhases.filter((p) => p === 1).length > 0, true);
  assert.deepEqual(built.cs.challengePhases, [0]);
  const m = mockProve(built.cs, built.k, built.assignment);
  assert.ok(m.ok, m.failures.map(describe).join('\n'));
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment), []);
});

test('freivalds chip: a forged product (all phase-1 values consistent with it) fails the final copy; the verifier rejects its proof', async () => {
  const forge = (m: number, n: number, v: bigint) => (m === 1 && n === 2 ? v + 1n : v);
  const { built } = matmulCircuit({ forge });
  const m = mockProve(built.cs, built.k, built.assignment);
  assert.equal(m.ok, false);
  assert.ok(m.failures.every((f) => f.kind === 'copy'), m.failures.map(describe).join('\n'));
  const srs = await devSrs(built.k);
  const pk = await keygen(srs, built.circuit);
  const proof = await prove(pk, built.instances, built.witness, { cheat: true });
  assert.equal((await verify(pk.vk, built.instances, proof)).valid, false);
  // The honest circuit proves (challenge drawn from the transcript, phase-1 witness recomputed) and verifies.
  const honest = matmulCircuit();
  const pk2 = await keygen(srs, honest.built.circuit);
  const good = await prove(pk2, honest.built.instances, honest.built.witness);
  assert.deepEqual(await verify(pk2.vk, honest.built.instances, good), { valid: true });
  const wrong = honest.built.instances.map((c) => [...c]);
  wrong[0]![0] = (wrong[0]![0]! + 1n) % FR_MODULUS;
  assert.equal((await verify(pk2.vk, wrong, good)).valid, false);
});

function attention(): Graph {
  return {
    name: 'attention',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 3, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2, 3, 4] }],
    initializers: { scale: floatTensor([], [0.5]) },
    nodes: [
      { op: 'Transpose', name: 'kt', inputs: ['x'], outputs: ['kt'], attrs: { perm: attr.ints([0, 1, 3, 2]) } },
      { op: 'MatMul', name: 'qk', inputs: ['x', 'kt'], outputs: ['s'], attrs: {} },
      { op: 'Mul', name: 'sc', inputs: ['s', 'scale'], outputs: ['ss'], attrs: {} },
      { op: 'Softmax', name: 'sm', inputs: ['ss'], outputs: ['p'], attrs: { axis: attr.int(-1) } },
      { op: 'MatMul', name: 'pv', inputs: ['p', 'x'], outputs: ['y'], attrs: {} },
    ],
    valueInfo: {},
  };
}

test('attention with freivalds: bit-exact vs evaluateIntQ (same outputs as dot rows), MockProver passes, tampering caught, proves and verifies', async () => {
  const { model, inputs } = quantizeSmall(attention(), [1, 2, 3, 4], -2, 2);
  const c = checkModel(model, inputs[0]!, ['freivalds-horner', 'freivalds-dot/', 'softmax-exp/'], { width: 4, freivalds: true });
  assert.ok(!c.cs.gates.some((g) => g.name.startsWith('dot/advice')), 'no advice-weight dot rows');
  const direct = buildModelCircuit(model, inputs[0]!, { width: 4 });
  assert.deepEqual(direct.publicOutputs, c.publicOutputs);
  assert.ok(tamperCaught(c, 17) > 30);
  const srs = await devSrs(c.k);
  const pk = await keygen(srs, c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.deepEqual(await verify(pk.vk, c.instances, proof), { valid: true });
});
