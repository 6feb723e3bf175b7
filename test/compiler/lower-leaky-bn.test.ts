/** LeakyRelu and a standalone BatchNormalization: bit-exact, MockProver, tampering caught, nothing under-constrained, a real proof. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { floatTensor } from '../../src/graph/ir.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { devSrs } from '../../src/commit/index.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { checkModel, graph, quantizeSmall, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

/** x [1,3,2,2] → BatchNormalization (per channel) → LeakyRelu(α = 0.1). */
function model() {
  const g = graph(
    'bn-leaky',
    [1, 3, 2, 2],
    [1, 3, 2, 2],
    [
      { op: 'BatchNormalization', name: 'bn', inputs: ['x', 'gamma', 'beta', 'mean', 'var'], outputs: ['h'], attrs: { epsilon: { type: 'float', value: 1e-5 } } },
      { op: 'LeakyRelu', name: 'act', inputs: ['h'], outputs: ['y'], attrs: { alpha: { type: 'float', value: 0.1 } } },
    ],
    {
      gamma: floatTensor([3], [1.5, -0.75, 0.5]),
      beta: floatTensor([3], [0.25, -0.5, 0.1]),
      mean: floatTensor([3], [0.1, -0.2, 0.3]),
      var: floatTensor([3], [0.8, 1.2, 0.5]),
    },
  );
  return quantizeSmall(g, [1, 3, 2, 2], -2, 2);
}

test('BatchNormalization and LeakyRelu: outputs equal evaluateIntQ on both signs, MockProver passes, tampering is caught', () => {
  const { model: m, inputs } = model();
  let c;
  for (const q of inputs) {
    c = checkModel(m, q, ['affine', 'difference', 'rescale-act/']);
    const ys = c.publicOutputs[0]!.values;
    assert.ok(ys.some((v) => v < 0) && ys.some((v) => v > 0), 'both branches of LeakyRelu are exercised');
  }
  assert.ok(tamperCaught(c!, 3) > 20);
});

test('BatchNormalization and LeakyRelu: the under-constrained finder reports nothing; a real proof verifies, a changed output does not', async () => {
  const { model: m, inputs } = model();
  const c = buildModelCircuit(m, inputs[0]!, { width: 4 });
  assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment), []);
  const pk = await keygen(await devSrs(c.k), c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.deepEqual(await verify(pk.vk, c.instances, proof), { valid: true });
  const forged = c.instances.map((col) => [...col]);
  forged[0]![0] = forged[0]![0]! + 1n;
  assert.equal((await verify(pk.vk, forged, proof)).valid, false);
});
