/** inspect: the report's fields on the bundled MNIST model (ONNX) and on a zkml msgpack model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectModel } from '../../src/model/inspect.ts';
import { writeZkmlModel } from '../../src/graph/msgpack/write.ts';
import { MNIST_DIR } from '../../examples/mnist/test-split.ts';

test('inspect on the MNIST CNN with samples and labels: ops, params, scale, agreement, accuracy', async () => {
  const r = await inspectModel(join(MNIST_DIR, 'model.onnx'), { data: join(MNIST_DIR, 'samples') });
  assert.deepEqual(r.ops, { Conv: 1, Relu: 2, Flatten: 1, Gemm: 2 });
  assert.equal(r.params, 37434);
  assert.equal(r.supported, true);
  assert.equal(r.samples, 8);
  assert.ok(r.scale_bits! >= 6);
  assert.ok(r.ort_max_abs_diff! < 1e-4);
  assert.equal(r.quant_top1_agreement, 1);
  assert.ok(r.quant_max_abs_err! < 0.05);
  assert.ok(r.float_accuracy! >= 0.75 && r.quant_accuracy === r.float_accuracy);
  for (const k of ['ops', 'params', 'supported', 'scale_bits', 'ort_max_abs_diff', 'quant_top1_agreement', 'float_accuracy', 'quant_accuracy']) assert.ok(k in JSON.parse(JSON.stringify(r)), k);
});

test('inspect reads zkml msgpack models and uses their scale', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkml-inspect-'));
  const sf = 256;
  const w = Array.from({ length: 12 }, (_, i) => ((i * 37) % 17) - 8).map((v) => v * 16);
  const bytes = writeZkmlModel({
    globalSf: sf,
    k: 12,
    numCols: 4,
    inpIdxes: [0],
    outIdxes: [3],
    tensors: [{ idx: 1, shape: [3, 4], data: w }, { idx: 2, shape: [3], data: [10, -20, 30] }],
    layers: [{ layerType: 'FullyConnected', params: [1], inpIdxes: [0, 1, 2], inpShapes: [[1, 4], [3, 4], [3]], outIdxes: [3], outShapes: [[1, 3]], mask: [] }],
    useSelectors: true,
    commitBefore: [],
    commitAfter: [],
    commit: false,
  });
  writeFileSync(join(dir, 'm.msgpack'), bytes);
  writeFileSync(join(dir, 'x.json'), JSON.stringify({ samples: [{ input: [0.5, -1, 0.25, 2] }, { input: [1, 1, -1, 0] }] }));
  writeFileSync(join(dir, 'y.json'), JSON.stringify([0, 2]));
  const r = await inspectModel(join(dir, 'm.msgpack'), { data: join(dir, 'x.json'), labels: join(dir, 'y.json') });
  assert.equal(r.format, 'zkml-msgpack');
  assert.equal(r.scale_bits, 8);
  assert.equal(r.samples, 2);
  assert.ok(r.ort_max_abs_diff! < 1e-5);
  assert.equal(r.quant_top1_agreement, 1);
  assert.ok(r.float_accuracy !== null && r.quant_accuracy === r.float_accuracy);
});
