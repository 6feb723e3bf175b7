/** Equal / Less / Greater and Cast: raw 0/1 outputs equal the reference, used as masks downstream; forgeries caught. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { floatTensor } from '../../src/graph/ir.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { checkModel, graph, quantizeSmall, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

/** m = x > 0.25; y = x·m; e = (Relu(x) == 0); l = Cast(x < t) with t a runtime tensor (x·x). */
function model() {
  const g = graph(
    'cmp',
    [1, 8],
    [
      { name: 'y', dtype: 'float32', shape: [1, 8] },
      { name: 'e', dtype: 'bool', shape: [1, 8] },
      { name: 'l', dtype: 'float32', shape: [1, 8] },
    ],
    [
      { op: 'Greater', name: 'gt', inputs: ['x', 'quarter'], outputs: ['m'], attrs: {} },
      { op: 'Mul', name: 'mask', inputs: ['x', 'm'], outputs: ['y'], attrs: {} },
      { op: 'Relu', name: 'r', inputs: ['x'], outputs: ['rx'], attrs: {} },
      { op: 'Equal', name: 'eq', inputs: ['rx', 'zero'], outputs: ['e'], attrs: {} },
      { op: 'Mul', name: 'sq', inputs: ['x', 'x'], outputs: ['t'], attrs: {} },
      { op: 'Less', name: 'lt', inputs: ['x', 't'], outputs: ['lb'], attrs: {} },
      { op: 'Cast', name: 'cast', inputs: ['lb'], outputs: ['l'], attrs: { to: { type: 'int', value: 1 } } },
    ],
    { quarter: floatTensor([], [0.25]), zero: floatTensor([], [0]) },
  );
  return quantizeSmall(g, [1, 8], -1.5, 1.5);
}

test('Equal, Less, Greater, Cast: outputs equal evaluateIntQ (both truth values seen), MockProver passes, tampering caught', () => {
  const { model: m, inputs } = model();
  let c;
  const seen = new Set<number>();
  for (const q of inputs) {
    c = checkModel(m, q, ['cmp-min/', 'affine']);
    for (const o of c.publicOutputs.slice(1)) for (const v of o.values) seen.add(v);
  }
  assert.deepEqual([...seen].sort(), [0, 1]);
  assert.ok(tamperCaught(c!, 3) > 20);
});

test('compare lowering: the under-constrained finder reports nothing (the σ bits are pinned)', () => {
  const { model: m, inputs } = model();
  const c = buildModelCircuit(m, inputs[0]!, { width: 4 });
  assert.deepEqual(findUnderconstrainedCells(c.cs, c.k, c.assignment), []);
});
