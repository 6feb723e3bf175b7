/**
 * Gather by runtime indices: each selected value is an indexed lookup of (index, position, value) into the
 * constant table, bit-exact against the integer reference, MockProver passes, tampering caught; a value
 * copied from another row, an index moved to another row, or an index beyond the table are all rejected.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { importOnnx } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { quantizeInput } from '../../src/model/int-eval.ts';
import { indexedLookup, type IndexedTable } from '../../src/circuit/chips/indexed-lookup.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { embeddingGraph } from '../layers/embedding.ts';
import { checkModel, gadgetCircuit, randoms, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);
const rand = randoms(37);

test('embedding Gather (axis 0) and a middle-axis Gather by runtime token ids: bit-exact, tampering caught', () => {
  const [T, V, D] = [4, 6, 3];
  const g = importOnnx(writeOnnx(embeddingGraph(T, V, D, (n) => rand(n))));
  const sample = (ids: number[]) => ({ ids: { shape: [1, T], data: Float64Array.from(ids) } });
  const model = quantizeModel(g, [sample([0, 5, 2, 2]), sample([4, 1, 3, 0])], { scaleBits: 7 });
  let c;
  for (const ids of [[5, 5, 0, 1], [2, 3, 4, 0]]) {
    const q = { ids: quantizeInput('ids', sample(ids).ids, model.settings) };
    assert.equal(q.ids.bits, 0);
    c = checkModel(model, q, ['gather/1x6x3/', 'gather/3x6x2/']);
  }
  assert.ok(tamperCaught(c!, 3) > 20);
  // A negative index (which ONNX wraps) has no row: it cannot be proved.
  const neg = { ids: { shape: [1, T], data: Float64Array.from([-1, 0, 0, 0]), bits: 0 } };
  assert.throws(() => buildModelCircuit(model, neg, { width: 4 }), /outside \[0, 6\)/);
});

test('indexed lookup: another row\'s value, an index moved without its copy, or an index beyond the table are rejected', () => {
  const vals = [[10, -20, 30, 40], [7, 8, 9, 11]];
  const t: IndexedTable = { name: 'test-rows', size: 4, groups: 2, value: (g, r) => vals[g]![r]! };
  const { ys, tamper } = gadgetCircuit((b, [i]) => [indexedLookup(b, i!, 1, t)], [2]);
  assert.equal(ys[0]!.value, 9n);
  const row = ys[0]!.cell.row;
  // columns of the lookup row: idx 0, y 1
  rejectedBy(tamper([{ row, col: 1, v: 8n }]), 'test-rows', "group 1's value at index 1 for index 2");
  rejectedBy(tamper([{ row, col: 1, v: 30n }]), 'test-rows', "group 0's value at index 2");
  rejectedBy(tamper([{ row, col: 0, v: 3n }, { row, col: 1, v: 11n }]), 'copy', 'index 3 in the lookup row, the input still 2');
  rejectedBy(tamper([{ row, col: 0, v: 4n }, { row, col: 1, v: 0n }]), 'test-rows', 'index 4, beyond the table');
});
