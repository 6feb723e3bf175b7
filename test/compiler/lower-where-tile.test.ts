/**
 * Where with a runtime condition (the `select` chip), Where with a folded constant mask (copies), Tile and
 * Expand of runtime data (copies): bit-exact against the integer reference, MockProver passes, tampering is
 * caught; the select gate refuses a condition that is not a bit and an output that is neither branch.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { floatTensor, intTensor } from '../../src/graph/ir.ts';
import { select } from '../../src/circuit/chips/select.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { causalMaskGraph } from '../layers/causal-mask.ts';
import { checkModel, gadgetCircuit, graph, quantizeSmall, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('Where with a runtime condition: Less → Where(c, x, const) and Where(c, const, Relu(x)) are select rows; tampering caught', () => {
  const g = graph(
    'where',
    [1, 12],
    [1, 12],
    [
      { op: 'Less', name: 'lt', inputs: ['x', 'th'], outputs: ['c'], attrs: {} },
      { op: 'Where', name: 'w1', inputs: ['c', 'x', 'k'], outputs: ['a'], attrs: {} },
      { op: 'Relu', name: 'rl', inputs: ['x'], outputs: ['r'], attrs: {} },
      { op: 'Where', name: 'w2', inputs: ['c', 'k2', 'r'], outputs: ['b'], attrs: {} },
      { op: 'Add', name: 'sum', inputs: ['a', 'b'], outputs: ['y'], attrs: {} },
    ],
    { th: floatTensor([], [0.25]), k: floatTensor([1, 1], [-0.5]), k2: floatTensor([12], Array.from({ length: 12 }, (_, i) => i / 8)) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 12], -1, 1);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['select', 'cmp-min']);
  assert.ok(tamperCaught(c!, 3) > 20);
});

test('a GPT-style causal mask: the folded mask selects by copies, Tile copies, then Div; bit-exact, tampering caught', () => {
  const T = 4;
  const { model, inputs } = quantizeSmall(causalMaskGraph(T), [1, T, T], -2, 2);
  assert.deepEqual(model.graph.nodes.map((n) => n.op), ['Where', 'Tile', 'Div']);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['divround/']);
  const names = c!.cs.gates.map((g) => g.name);
  assert.ok(!names.includes('select'), 'a constant mask needs no select rows');
  const vals = c!.publicOutputs[0]!.values;
  assert.equal(vals.length, 2 * T * T);
  assert.ok(tamperCaught(c!, 3) > 10);
});

test('Tile and Expand of runtime data lay out as copies of the input cells', () => {
  const g = graph(
    'tile',
    [1, 3],
    [2, 2, 6],
    [
      { op: 'Expand', name: 'ex', inputs: ['x', 'shp'], outputs: ['e'], attrs: {} },
      { op: 'Tile', name: 'tl', inputs: ['e', 'reps'], outputs: ['t'], attrs: {} },
      { op: 'Mul', name: 'sq', inputs: ['t', 't'], outputs: ['y'], attrs: {} },
    ],
    { shp: intTensor([3], [2, 1, 3]), reps: intTensor([3], [1, 2, 2]) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 3], -1, 1);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['product']);
  // 24 outputs, each one product and one rescale of copies of the 3 inputs.
  assert.equal(c!.publicOutputs[0]!.values.length, 24);
  assert.ok(tamperCaught(c!, 5) > 10);
});

test('select: a condition that is not a bit, or an output that is neither branch, is rejected', () => {
  const { built, ys, tamper } = gadgetCircuit((b, [cnd, x, y]) => [select(b, cnd!, x!, y!)], [1, 17, -5]);
  assert.equal(ys[0]!.value, 17n);
  const row = ys[0]!.cell.row;
  const col = (i: number): number => i; // select's columns: c 0, x 1, y 2, z 3
  // c = 2 with z = y + 2(x − y) satisfies the selection identity; only booleanity objects.
  rejectedBy(tamper([{ row, col: col(0), v: 2n }, { row, col: col(3), v: -5n + 2n * 22n }]), 'select', 'c = 2');
  rejectedBy(tamper([{ row, col: col(3), v: -5n }]), 'select', 'z = y while c = 1');
  assert.ok(built.cs.gates.some((g) => g.name === 'select'));
});
