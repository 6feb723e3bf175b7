/**
 * Gather by runtime indices (an int64 graph input into constant tables, axis 0 and a middle axis): float
 * vs onnxruntime, integer vs float (the values are the table's quantized entries), indices kept raw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { importOnnx } from '../../src/model/load.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { evaluateInt, quantizeInput } from '../../src/model/int-eval.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { InputError } from '../../src/graph/errors.ts';
import { rng } from './harness.ts';
import { embeddingGraph } from './embedding.ts';

const r = rng(31);
const values = (n: number): number[] => Array.from({ length: n }, () => -1 + 2 * r());

test('Gather by runtime int64 indices: float vs onnxruntime on both axes, integer vs float, indices raw', async () => {
  const [T, V, D] = [5, 9, 4];
  const bytes = writeOnnx(embeddingGraph(T, V, D, values));
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
  const graph = importOnnx(bytes, 'embedding');
  const samples = [[0, 3, 8, 3, 1], [7, 7, 2, 0, 5]];
  const model = quantizeModel(graph, samples.map((ids) => ({ ids: { shape: [1, T], data: Float64Array.from(ids) } })), { scaleBits: 8 });
  assert.deepEqual(model.settings.rawInputs, ['ids']);
  for (const ids of [...samples, [8, 0, 4, 6, 2]]) {
    const res = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, T]) });
    const inputs = { ids: { shape: [1, T], data: Float64Array.from(ids) } };
    const got = evaluateFloat(graph, inputs);
    const q = evaluateInt(model, inputs).dequantized;
    for (const name of ['y', 'z']) {
      const want = Float64Array.from(res[name]!.data as Float32Array);
      assert.deepEqual(got[name]!.shape, [...res[name]!.dims]);
      for (let i = 0; i < want.length; i++) {
        assert.ok(Math.abs(got[name]!.data[i]! - want[i]!) < 1e-5, `${name}[${i}] float vs onnxruntime`);
        // z: a table entry quantized (½ ulp); y: mean of ½-ulp entries, a 4-term dot product and a rescale.
        assert.ok(Math.abs(q[name]!.data[i]! - got[name]!.data[i]!) <= (name === 'z' ? 0.5 : 4) * 2 ** -8, `${name}[${i}] integer vs float`);
      }
    }
  }
  const raw = quantizeInput('ids', { shape: [1, T], data: Float64Array.from([1, 2, 3, 4, 5]) }, model.settings);
  assert.equal(raw.bits, 0);
  assert.deepEqual(Array.from(raw.data), [1, 2, 3, 4, 5]);
  assert.throws(() => quantizeInput('ids', { shape: [1, T], data: Float64Array.from([1, 2.5, 3, 4, 5]) }, model.settings), InputError);
});
