/**
 * Ops as exporters emit them when they decompose transformer layers: LayerNorm spelled out (ReduceMean,
 * Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div by the runtime deviation, Mul γ, Add β), plus Neg and Pow with
 * a cubic and a fractional (table) exponent.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor } from '../../src/graph/ir.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { checkModel, graph, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const rand = randoms(31);

test('LayerNorm decomposed into ReduceMean / Sub / Pow / Add / Sqrt / Div / Mul / Add: bit-exact, MockProver, tampering caught', () => {
  const g = graph(
    'ln-decomposed',
    [1, 3, 8],
    [1, 3, 8],
    [
      { op: 'ReduceMean', name: 'mu', inputs: ['x'], outputs: ['mu'], attrs: { axes: attr.ints([-1]) } },
      { op: 'Sub', name: 'd', inputs: ['x', 'mu'], outputs: ['d'], attrs: {} },
      { op: 'Pow', name: 'sq', inputs: ['d', 'two'], outputs: ['sq'], attrs: {} },
      { op: 'ReduceMean', name: 'var', inputs: ['sq'], outputs: ['var'], attrs: { axes: attr.ints([-1]) } },
      { op: 'Add', name: 've', inputs: ['var', 'eps'], outputs: ['ve'], attrs: {} },
      { op: 'Sqrt', name: 'sd', inputs: ['ve'], outputs: ['sd'], attrs: {} },
      { op: 'Div', name: 'n', inputs: ['d', 'sd'], outputs: ['n'], attrs: {} },
      { op: 'Mul', name: 'g', inputs: ['n', 'gamma'], outputs: ['gn'], attrs: {} },
      { op: 'Add', name: 'y', inputs: ['gn', 'beta'], outputs: ['y'], attrs: {} },
    ],
    { two: floatTensor([], [2]), eps: floatTensor([], [1e-5]), gamma: floatTensor([8], rand(8, 0.5, 1.5)), beta: floatTensor([8], rand(8, -0.2, 0.2)) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 3, 8], -2, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['product', 'divvar/', 'Sqrt/', 'divround/']);
  assert.ok(tamperCaught(c!, 7) > 30);
});

test('Neg, Pow 3 (products) and Pow 0.5 / Pow 0 (table, constant): bit-exact, MockProver, tampering caught', () => {
  const g = graph(
    'pow',
    [1, 6],
    [1, 6],
    [
      { op: 'Pow', name: 'p3', inputs: ['x', 'three'], outputs: ['p3'], attrs: {} },
      { op: 'Pow', name: 'ph', inputs: ['x', 'half'], outputs: ['ph'], attrs: {} },
      { op: 'Pow', name: 'p0', inputs: ['x', 'zero'], outputs: ['p0'], attrs: {} },
      { op: 'Neg', name: 'n', inputs: ['p3'], outputs: ['n'], attrs: {} },
      { op: 'Add', name: 'a', inputs: ['n', 'ph'], outputs: ['a'], attrs: {} },
      { op: 'Add', name: 'y', inputs: ['a', 'p0'], outputs: ['y'], attrs: {} },
    ],
    { three: floatTensor([], [3]), half: floatTensor([], [0.5]), zero: floatTensor([], [0]) },
  );
  const { model, inputs } = quantizeSmall(g, [1, 6], 0.25, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['product', 'affine', 'Pow/0.5/']);
  assert.ok(tamperCaught(c!, 5) > 20);
});

test('Reciprocal over an error domain containing 0: the lowering leaves that row out; other inputs are bit-exact', () => {
  const g = graph('recip', [1, 8], [1, 8], [{ op: 'Reciprocal', name: 'rc', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model, inputs } = quantizeSmall(g, [1, 8], 0.3, 1.5);
  const spec = model.settings.tables['rc']!['f']!;
  assert.ok(spec.lo < 0 && spec.hi > 0, `domain [${spec.lo}, ${spec.hi}] contains 0`);
  const c = checkModel(model, inputs[0]!, ['Reciprocal/']);
  // The (x, 1/x) table: one column pair, every domain point but 0 (padding repeats the first tuple).
  const t = c.cs.lookupTables.find((x) => x.name.startsWith('fn:Reciprocal/'))!;
  const col = t.columns[0]!;
  assert.ok(col.kind === 'query');
  const xs = new Set(frVecToBigints(c.circuit.fixed[col.column.index]!));
  assert.equal(xs.has(0n), false, 'no row for x = 0');
  assert.equal(xs.size, spec.hi - spec.lo);
  // x = 0 itself: the reference raises, and there is no witness.
  const zero = { x: { ...inputs[0]!.x!, data: Float64Array.from(inputs[0]!.x!.data, (v, i) => (i === 3 ? 0 : v)) } };
  assert.throws(() => checkModel(model, zero, []));
});
