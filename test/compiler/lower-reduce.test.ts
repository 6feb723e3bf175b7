/** ReduceSum / ReduceMean / ReduceMax / ArgMax lowerings and the argmax chip. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { attr, intTensor } from '../../src/graph/ir.ts';
import { argMax } from '../../src/circuit/chips/argmax.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { checkModel, gadgetCircuit, graph, quantizeSmall, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('ReduceSum (axes input) / ReduceMean (two axes) / ReduceMax / ArgMax (first and last, ties after Relu): bit-exact, MockProver, tampering caught', () => {
  const f = (name: string, shape: number[]) => ({ name, dtype: 'float32' as const, shape });
  const g = graph(
    'reduce',
    [2, 3, 5],
    [f('rs', [2, 3]), f('rm', [1, 3, 1]), f('rx', [2, 5]), { name: 'a1', dtype: 'int64', shape: [2, 3, 1] }, { name: 'a2', dtype: 'int64', shape: [2, 5] }],
    [
      { op: 'ReduceSum', name: 'rs', inputs: ['x', 'ax'], outputs: ['rs'], attrs: { keepdims: attr.int(0) } },
      { op: 'ReduceMean', name: 'rm', inputs: ['x'], outputs: ['rm'], attrs: { axes: attr.ints([0, 2]), keepdims: attr.int(1) } },
      { op: 'ReduceMax', name: 'rx', inputs: ['x'], outputs: ['rx'], attrs: { axes: attr.ints([1]), keepdims: attr.int(0) } },
      { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['rl'], attrs: {} },
      { op: 'ArgMax', name: 'a1', inputs: ['rl'], outputs: ['a1'], attrs: { axis: attr.int(2), keepdims: attr.int(1) } },
      { op: 'ArgMax', name: 'a2', inputs: ['rl'], outputs: ['a2'], attrs: { axis: attr.int(1), keepdims: attr.int(0), select_last_index: attr.int(1) } },
    ],
    { ax: intTensor([1], [2]) },
  );
  const { model, inputs } = quantizeSmall(g, [2, 3, 5], -2, 0.7);
  let c;
  let ties = 0;
  for (const q of inputs) {
    c = checkModel(model, q, ['cmp-max', 'divround/', 'argmax-first', 'argmax-last', 'dot/']);
    // Ties at 0 after Relu make first and last differ somewhere.
    const rl = Array.from(q.x!.data, (v) => Math.max(v, 0));
    for (let i = 0; i < 2 * 5; i++) {
      const col = [0, 1, 2].map((k) => rl[Math.floor(i / 5) * 15 + k * 5 + (i % 5)]!);
      if (col.filter((v) => v === Math.max(...col)).length > 1) ties++;
    }
  }
  assert.ok(ties > 0, 'some ArgMax group has a tie');
  assert.ok(tamperCaught(c!, 5) > 30);
});

test('argmax chip: index and max follow the reference tie rule; moved one-hot, non-boolean selector, wrong max are rejected by name', () => {
  const T = 4;
  const K = 6;
  const xs = [3, 7, 7, -2];
  for (const mode of ['first', 'last'] as const) {
    const { ys, tamper } = gadgetCircuit((b, v) => {
      const r = argMax(b, v, mode, K, T);
      return [r.index, r.max];
    }, xs);
    const idx = mode === 'first' ? 1 : 2;
    assert.deepEqual(ys.map((v) => Number(v.value)), [idx, 7]);
    const start = ys[0]!.cell.row - (xs.length - 1);
    // columns: x 0, h 1, P 2, I 3, M 4, m 5, limbs(t) 6–7
    /** A full, self-consistent witness choosing index i with claimed max m (limbs of t as far as they fit). */
    const witness = (i: number, m: bigint, h: bigint[] = xs.map((_, j) => (j === i ? 1n : 0n))) => {
      const cells: { row: number; col: number; v: bigint }[] = [];
      let P = 0n;
      let I = 0n;
      let M = 0n;
      xs.forEach((x, j) => {
        const row = start + j;
        P += h[j]!;
        I += BigInt(j) * h[j]!;
        M += h[j]! * BigInt(x);
        const t = mode === 'first' ? m - BigInt(x) - 1n + P : m - BigInt(x) - P + h[j]!;
        const tt = t < 0n ? 0n : t; // a negative t has no limbs: leave them at 0
        cells.push({ row, col: 1, v: h[j]! }, { row, col: 2, v: P }, { row, col: 3, v: I }, { row, col: 4, v: M }, { row, col: 5, v: m });
        cells.push({ row, col: 6, v: tt & 15n }, { row, col: 7, v: tt >> 4n });
      });
      return tamper(cells);
    };
    assert.deepEqual(witness(idx, 7n), [], 'the honest witness rebuilt');
    // The other maximum (breaking the tie rule): t = −1 next to it.
    rejectedBy(witness(mode === 'first' ? 2 : 1, 7n), `argmax-${mode}`, 'other tie');
    // A non-maximal element with its value as the max.
    rejectedBy(witness(0, 3n), `argmax-${mode}`, 'non-max index');
    // h = (1, −1, 1, 0): sums to 1 and its weighted sum is 3 − 7 + 7 = 3, but it is not boolean.
    rejectedBy(witness(0, 3n, [1n, -1n, 1n, 0n]), `argmax-${mode}`, 'non-boolean selector');
    // A larger max everywhere (M ≠ m at the end).
    rejectedBy(witness(idx, 8n), `argmax-${mode}`, 'max + 1');
  }
});

test('under-constrained finder: nothing free in the argmax chip (both modes)', () => {
  const { built } = gadgetCircuit((b, v) => {
    const a = argMax(b, v, 'first', 6, 4);
    const c = argMax(b, v, 'last', 6, 4);
    return [a.index, c.index];
  }, [1, 5, -3, 5, 0]);
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment), []);
});
