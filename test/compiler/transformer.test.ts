/**
 * Transformer models end to end: a small block shaped like the bundled tiny transformer (attention with
 * runtime MatMuls, Softmax, LayerNorm, Erf-GELU, Mul/Div by constants) is bit-exact, passes MockProver,
 * catches tampering, and proves/verifies for real (the bundled tiny_transformer.onnx: tiny-transformer.test.ts).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelCircuit, estimateModelCost } from '../../src/compiler/index.ts';
import { FR_MODULUS } from '../../src/field/fr.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
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

test('mini transformer block proves and verifies; a changed public output is rejected', async () => {
  const { model, inputs } = mini();
  const c = buildModelCircuit(model, inputs[1]!, { width: 4 });
  const srs = await devSrs(c.k);
  const pk = await keygen(srs, c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.deepEqual(await verify(pk.vk, c.instances, proof), { valid: true });
  const wrong = c.instances.map((col) => [...col]);
  wrong[0]![5] = (wrong[0]![5]! + 1n) % FR_MODULUS;
  assert.equal((await verify(pk.vk, wrong, proof)).valid, false);
});
