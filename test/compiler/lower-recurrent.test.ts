/**
 * Unrolled LSTM and GRU compile from the ops they unroll into (MatMul, Add, Split, Sigmoid, Tanh, Mul, Sub,
 * Unsqueeze, Concat): public outputs bit-exact against the integer reference, MockProver passes, tampering
 * caught.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { recurrentGraph } from '../layers/recurrent-graph.ts';
import { checkModel, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);
const rand = randoms(43);

test('LSTM (bidirectional, peepholes, initial states) unrolled: bit-exact, tampering caught', () => {
  const g = recurrentGraph({ op: 'LSTM', T: 3, N: 1, I: 2, H: 3, direction: 'bidirectional', initialH: true, initialC: true, peepholes: true }, rand);
  const { model, inputs } = quantizeSmall(g, [3, 1, 2], -2, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['Sigmoid/', 'Tanh/', 'product', 'dot/']);
  assert.deepEqual(c!.publicOutputs.map((o) => o.shape), [[3, 2, 1, 3], [2, 1, 3], [2, 1, 3]]);
  assert.ok(tamperCaught(c!, 17) > 30);
});

test('GRU (linear_before_reset, reverse) unrolled: bit-exact, tampering caught', () => {
  const g = recurrentGraph({ op: 'GRU', T: 3, N: 2, I: 2, H: 2, direction: 'reverse', linearBeforeReset: true }, rand);
  const { model, inputs } = quantizeSmall(g, [3, 2, 2], -2, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['Sigmoid/', 'Tanh/', 'product']);
  assert.ok(tamperCaught(c!, 13) > 30);
});
