/**
 * Transformer models end to end: a small block shaped like the bundled tiny transformer (attention with
 * runtime MatMuls, Softmax, LayerNorm, Erf-GELU, Mul/Div by constants) is bit-exact, passes MockProver,
 * catches tampering, and proves/verifies for real; the bundled tiny_transformer.onnx compiles bit-exactly
 * (its MockProver run takes minutes at k = 19, so it runs only with ZKML_SLOW=1).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadModelFile } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateIntQ, quantizeInput } from '../../src/model/int-eval.ts';
import { buildModelCircuit, estimateModelCost } from '../../src/compiler/index.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/field/fr.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { checkModel, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';
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

test('tiny_transformer.onnx compiles bit-exactly (MockProver with ZKML_SLOW=1)', { skip: process.env['ZKML_SLOW'] ? false : 'compile only; set ZKML_SLOW=1' }, () => {
  const g = loadModelFile(join(import.meta.dirname, '../../examples/generated/tiny_transformer.onnx'));
  const rand = randoms(4);
  const mk = () => ({ input: { shape: [1, 16, 64], data: Float64Array.from(rand(1024, -2, 2)) } });
  const model = quantizeModel(g, [mk(), mk(), mk()]);
  const q = { input: quantizeInput('input', mk().input, model.settings) };
  const c = buildModelCircuit(model, q);
  assert.deepEqual(c.publicOutputs[0]!.values, Array.from(evaluateIntQ(model, q)['output']!.data));
  const m = mockProve(c.cs, c.k, c.assignment, { maxFailures: 5 });
  assert.ok(m.ok, m.failures.map(describe).join('\n'));
});
