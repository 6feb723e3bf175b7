import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pack } from 'msgpackr';
import { parseZkmlInput, parseZkmlModel, type ZkmlModelFile } from '../../src/graph/msgpack/format.ts';
import { quantizeForZkml, writeZkmlInput, writeZkmlModel } from '../../src/graph/msgpack/write.ts';
import { FormatError } from '../../src/errors.ts';

const model: ZkmlModelFile = {
  globalSf: 512,
  k: 15,
  numCols: 7,
  inpIdxes: [0],
  outIdxes: [3],
  tensors: [
    { idx: 1, shape: [2, 3], data: [1, -2, 3, -4, 5, 2 ** 40] },
    { idx: 2, shape: [2], data: [-(2 ** 35), 7] },
  ],
  layers: [
    {
      layerType: 'FullyConnected',
      params: [1],
      inpIdxes: [0, 1, 2],
      inpShapes: [[1, 3], [2, 3], [2]],
      outIdxes: [3],
      outShapes: [[1, 2]],
      mask: [],
    },
  ],
  useSelectors: true,
  commitBefore: [[1, 2], [0]],
  commitAfter: [[3]],
  commit: false,
  numRandom: 20001,
};

test('zkml model file round-trips through writer and parser, including int64 values', () => {
  const parsed = parseZkmlModel(writeZkmlModel(model), 'm.msgpack');
  assert.deepEqual(parsed, model);
});

test('top-level commit flag is read as written by zkml example files', () => {
  const parsed = parseZkmlModel(writeZkmlModel({ ...model, commit: true }, { commitAsFlag: true }), 'm.msgpack');
  assert.equal(parsed.commit, true);
  assert.deepEqual(parsed.commitBefore, []);
  assert.deepEqual(parsed.commitAfter, []);
});

test('zkml input file (bare tensor list) round-trips', () => {
  const tensors = [{ idx: 0, shape: [1, 3], data: [1, 2, -3] }];
  assert.deepEqual(parseZkmlInput(writeZkmlInput(tensors), 'i.msgpack'), tensors);
});

test('truncated, empty and garbage bytes are FormatErrors naming the file', () => {
  const bytes = writeZkmlModel(model);
  for (const bad of [bytes.subarray(0, bytes.length - 5), new Uint8Array(0), new Uint8Array([0xc1, 0xc1, 0xc1])]) {
    assert.throws(() => parseZkmlModel(bad, 'bad.msgpack'), (e: unknown) => e instanceof FormatError && /bad\.msgpack/.test(e.message));
  }
  assert.throws(() => parseZkmlInput(new TextEncoder().encode('{"not":"msgpack"}'), 'x.json'), FormatError);
});

test('structural errors name the offending field', () => {
  const wrongData = pack({ global_sf: 512, k: 15, num_cols: 7, inp_idxes: [0], out_idxes: [1], layers: [],
    tensors: [{ idx: 1, shape: [2, 2], data: [1, 2, 3] }] });
  assert.throws(() => parseZkmlModel(wrongData, 'm'), /model\.tensors\[0\]\.data: holds 3 values but shape \[2,2\] needs 4/);
  const noSf = pack({ k: 15, num_cols: 7, inp_idxes: [], out_idxes: [], layers: [], tensors: [] });
  assert.throws(() => parseZkmlModel(noSf, 'm'), /model\.global_sf: expected an integer, got nothing/);
  const floatData = pack([{ idx: 0, shape: [1], data: [0.5] }]);
  assert.throws(() => parseZkmlInput(floatData, 'i'), /input\[0\]\.data: \[0\]: expected an integer/);
  assert.throws(() => parseZkmlInput(pack({ idx: 0 }), 'i'), /expected a list of tensors/);
});

test('quantizeForZkml rounds v·sf half to even like numpy', () => {
  assert.deepEqual(quantizeForZkml([0.5 / 512, 1.5 / 512, -0.5 / 512, 0.25, -1], 512), [0, 2, 0, 128, -512]);
});
