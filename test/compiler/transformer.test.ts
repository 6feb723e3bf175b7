/**
 * Transformer models end to end: a small block shaped like the bundled tiny transformer (attention with
 * runtime MatMuls, Softmax, LayerNorm, Erf-GELU, Mul/Div by constants) is bit-exact, passes MockProver,
 * catches tampering, and proves/verifies for real (the bundled tiny_transformer.onnx: tiny-transformer.test.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelCircuit, estimateModelCost } from '../../src/compiler/index.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { checkModel, quantizeSmall, tamperCaught } from './lowering-helpers.ts';
import { miniTransformer } from './mini-transformer.ts';

after(terminateFfjsCurve);

const cfg = { tokens: 4, dim: 8, heads: 2, hidden: 16, layers: 1 };
const mini = () => quantizeSmall(miniTransformer(cfg), [1, cfg.tokens, cfg.dim], -2, 2);
const OPS = ['dot/advice', 'softmax-exp/', 'divvar/', 'rsqrt/', 'Erf/', 'product', 'affine', 'difference'];

test('mini transformer block: bit-exact vs evaluateIntQ, MockProver passes, layout input-independent, cost estimate agrees', () => {
  const { model, inputs } = mini();
  const [c0, c1] = inputs.map((q) => checkModel(model, q, OPS, { width: 4 }));
  assert.deepEqual(c1!.circuit.fixed, c0!.circuit.fixed);
  assert.deepEqual(c1!.circuit.copies, c0!.circuit.copies);
  const est = estimateModelCost(model, { width: 4 });
  assert.equal(est.k, c0!.k);
  assert.equal(est.rows, c0!.stats.rows);
});

test('mini transformer block: tampered witness cells and public outputs are caught', () => {
  const { model, inputs } = mini();
  const c = buildModelCircuit(model, inputs[0]!, { width: 4 });
  assert.ok(tamperCaught(c, 211) > 40);
});

test('mini transformer block (3 tokens × 4, 2 heads, k = 11) proves and verifies; a changed public output is rejected', async () => {
  const small = { tokens: 3, dim: 4, heads: 2, hidden: 8, layers: 1 };
  const { model, inputs } = quantizeSmall(miniTransformer(small), [1, small.tokens, small.dim], -2, 2);
  const c = buildModelCircuit(model, inputs[1]!, { width: 4 });
  assert.equal(c.k, 11);
  const srs = await devSrs(c.k);
  const pk = await keygen(srs, c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.deepEqual(await verify(pk.vk, c.instances, proof), { valid: true });
  const wrong = c.instances.map((col) => [...col]);
  wrong[0]![5] = (wrong[0]![5]! + 1n) % FR_MODULUS;
  assert.equal((await verify(pk.vk, wrong, proof)).valid, false);
});

test('under-constrained finder: nothing free in a one-head attention circuit (Q·Kᵀ, scale, Softmax, ·V, ArgMax)', () => {
  const g: Graph = {
    name: 'attention',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 2] }],
    outputs: [
      { name: 'y', dtype: 'float32', shape: [1, 2, 2] },
      { name: 'i', dtype: 'int64', shape: [1, 2] },
    ],
    initializers: { half: floatTensor([], [0.5]) },
    nodes: [
      { op: 'Transpose', name: 'kt', inputs: ['x'], outputs: ['kt'], attrs: { perm: attr.ints([0, 2, 1]) } },
      { op: 'MatMul', name: 'qk', inputs: ['x', 'kt'], outputs: ['s'], attrs: {} },
      { op: 'Mul', name: 'sc', inputs: ['s', 'half'], outputs: ['ss'], attrs: {} },
      { op: 'Softmax', name: 'sm', inputs: ['ss'], outputs: ['p'], attrs: { axis: attr.int(-1) } },
      { op: 'MatMul', name: 'pv', inputs: ['p', 'x'], outputs: ['y'], attrs: {} },
      { op: 'ArgMax', name: 'am', inputs: ['y'], outputs: ['i'], attrs: { axis: attr.int(-1), keepdims: attr.int(0) } },
    ],
    valueInfo: {},
  };
  const { model, inputs } = quantizeSmall(g, [1, 2, 2], -1, 1, 3, 3);
  const c = checkModel(model, inputs[0]!, ['dot/advice', 'softmax-exp/', 'divvar/', 'argmax-first'], { width: 2, tableBits: 4 });
  assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment), []);
});
