/** Gemm with a runtime B (and a runtime C): advice-weight dot rows, bit-exact against the reference. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, graph, quantizeSmall, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('Gemm with a runtime B (transB, runtime C): advice-weight dot rows, bit-exact, MockProver, tampering caught', () => {
  // p = x·Relu(x)ᵀ (runtime B), y = x·Relu(x)ᵀ + p (runtime B and runtime C).
  const g = graph(
    'gemm-runtime',
    [2, 3],
    [2, 2],
    [
      { op: 'Relu', name: 'r', inputs: ['x'], outputs: ['h'], attrs: {} },
      { op: 'Gemm', name: 'g1', inputs: ['x', 'h'], outputs: ['p'], attrs: { transB: { type: 'int', value: 1 } } },
      { op: 'Gemm', name: 'g2', inputs: ['x', 'h', 'p'], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 } } },
    ],
    {},
  );
  const { model: m, inputs } = quantizeSmall(g, [2, 3], -1.5, 1.5);
  let c;
  for (const q of inputs) c = checkModel(m, q, ['dot/advice/', 'rescale-act/']);
  assert.ok(tamperCaught(c!, 3) > 20);
});
