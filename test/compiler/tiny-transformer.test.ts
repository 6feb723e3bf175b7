/**
 * The bundled examples/generated/tiny_transformer.onnx (2 layers, attention, LayerNorm, Erf-GELU) lowers
 * completely and its public outputs equal evaluateIntQ bit for bit (~45 s: ~490k rows at k = 19). The
 * MockProver pass over all 2^19 rows takes about a minute more, so it runs only with ZKML_SLOW=1.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadModelFile } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateIntQ, quantizeInput } from '../../src/model/int-eval.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { randoms } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('tiny_transformer.onnx: every node lowers, public outputs equal evaluateIntQ (MockProver too with ZKML_SLOW=1)', () => {
  const g = loadModelFile(join(import.meta.dirname, '../../examples/generated/tiny_transformer.onnx'));
  const rand = randoms(4);
  const mk = () => ({ input: { shape: [1, 16, 64], data: Float64Array.from(rand(1024, -2, 2)) } });
  const model = quantizeModel(g, [mk(), mk(), mk()]);
  const q = { input: quantizeInput('input', mk().input, model.settings) };
  const c = buildModelCircuit(model, q);
  assert.deepEqual(c.publicOutputs[0]!.values, Array.from(evaluateIntQ(model, q)['output']!.data));
  assert.ok(c.k <= 19, `k = ${c.k}`);
  if (process.env['ZKML_SLOW']) {
    const m = mockProve(c.cs, c.k, c.assignment, { maxFailures: 5 });
    assert.ok(m.ok, m.failures.map(describe).join('\n'));
  }
});
