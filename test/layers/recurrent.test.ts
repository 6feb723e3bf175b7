/**
 * RNN, GRU and LSTM unrolled on import: float vs onnxruntime (directions, initial states, peepholes,
 * linear_before_reset, activations), integer vs float, the unrolled graph holds only supported ops, and
 * unsupported attributes are ModelErrors naming the node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { importOnnx } from '../../src/model/load.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { evaluateInt } from '../../src/model/int-eval.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { ModelError } from '../../src/graph/errors.ts';
import type { Arr } from '../../src/layers/types.ts';
import { rng } from './harness.ts';
import { recurrentGraph, type RecurrentCase } from './recurrent-graph.ts';

const r = rng(41);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

const cases: RecurrentCase[] = [
  { op: 'RNN', T: 4, N: 2, I: 3, H: 5 },
  { op: 'RNN', T: 3, N: 1, I: 2, H: 4, direction: 'bidirectional', activations: ['Relu', 'Tanh'], initialH: true },
  { op: 'GRU', T: 4, N: 2, I: 3, H: 4 },
  { op: 'GRU', T: 3, N: 1, I: 3, H: 3, linearBeforeReset: true, direction: 'reverse', initialH: true },
  { op: 'GRU', T: 3, N: 2, I: 2, H: 3, direction: 'bidirectional' },
  { op: 'LSTM', T: 4, N: 2, I: 3, H: 4 },
  { op: 'LSTM', T: 3, N: 1, I: 2, H: 3, direction: 'bidirectional', initialH: true, initialC: true, peepholes: true },
  { op: 'LSTM', T: 3, N: 2, I: 3, H: 2, direction: 'reverse', sequenceLens: true },
];

const title = (c: RecurrentCase): string => `${c.op} ${c.direction ?? 'forward'} T${c.T} N${c.N} I${c.I} H${c.H}${c.initialH ? ' h0' : ''}${c.initialC ? ' c0' : ''}${c.peepholes ? ' P' : ''}${c.linearBeforeReset ? ' lbr' : ''}${c.activations ? ` [${c.activations}]` : ''}`;

test('recurrent ops unrolled: float vs onnxruntime on every output, integer vs float, only supported ops left', async (t) => {
  for (const c of cases)
    await t.test(title(c), async () => {
      const bytes = writeOnnx(recurrentGraph(c, rand));
      const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
      const x: Arr = { shape: [c.T, c.N, c.I], data: Float64Array.from(rand(c.T * c.N * c.I, -2, 2), Math.fround) };
      const res = await session.run({ x: new ort.Tensor('float32', Float32Array.from(x.data), x.shape) });
      const graph = importOnnx(bytes, 'rnn');
      assert.ok(graph.nodes.every((n) => !['RNN', 'GRU', 'LSTM'].includes(n.op)));
      const got = evaluateFloat(graph, { x });
      const model = quantizeModel(graph, [{ x }], { scaleBits: 10 });
      const q = evaluateInt(model, { x }).dequantized;
      for (const [name, want] of Object.entries(res)) {
        assert.deepEqual(got[name]!.shape, [...want.dims], `${name} shape`);
        const w = want.data as Float32Array;
        for (let i = 0; i < w.length; i++) {
          assert.ok(Math.abs(got[name]!.data[i]! - w[i]!) < 1e-5, `${name}[${i}]: ${got[name]!.data[i]} vs onnxruntime ${w[i]}`);
          // Each step: a few rounded products and table lookups, errors carried through T steps (≲ 0.05 at s = 10).
          assert.ok(Math.abs(q[name]!.data[i]! - got[name]!.data[i]!) < 0.05, `${name}[${i}]: integer ${q[name]!.data[i]} vs float ${got[name]!.data[i]}`);
        }
      }
    });
});

test('unsupported recurrent attributes are ModelErrors naming the node', () => {
  const base: RecurrentCase = { op: 'LSTM', T: 2, N: 1, I: 2, H: 2 };
  for (const [bad, why] of [
    [{ ...base, clip: 1 }, /clip/],
    [{ ...base, activations: ['Sigmoid', 'Softsign', 'Tanh'] }, /Softsign/],
    [{ ...base, shortLens: true }, /sequence_lens/],
    [{ ...base, layout: 1 }, /layout/],
  ] as [RecurrentCase, RegExp][])
    assert.throws(() => importOnnx(writeOnnx(recurrentGraph(bad, rand)), 'rnn'), (e: unknown) => e instanceof ModelError && /'rnn_node'/.test(e.message) && why.test(e.message));
});
