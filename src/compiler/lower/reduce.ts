/**
 * Reductions and ArgMax, grouped exactly as src/layers/reduce.ts and argmax.ts group elements:
 * - ReduceSum: the dot chip with weights 1 (exact, keeps the input scale);
 * - ReduceMean: that sum, then divRoundConst by the public group size;
 * - ReduceMax: a chain of selectCmp max rows;
 * - ArgMax: the argmax chip (one-hot selector with a running sum, every element ≤ the chosen one, strictly
 *   before (first) / after (last) it), the index as a raw integer.
 */
import { argMax } from '../../circuit/chips/argmax.ts';
import type { Value } from '../../circuit/builder.ts';
import { attrInt, normAxis } from '../../layers/attrs.ts';
import { reduceAxes } from '../../layers/reduce.ts';
import { reduceIndex, size, strides } from '../../layers/shape-util.ts';
import { selectCmp } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

export function lowerReduce(ctx: LowerCtx): Cells[] {
  const { node, ref, b } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail(`${node.op} of a constant`);
  const out = ref[0]!;
  const axes = reduceAxes(node, x.shape.length, ctx.ins.map((i) => i.constFloat));
  if (!axes) return [{ shape: out.shape, bits: x.bits, cells: x.cells }];
  const map = reduceIndex(x.shape, axes);
  const groups: Value[][] = Array.from({ length: size(out.shape) }, () => []);
  for (let i = 0; i < map.length; i++) groups[map[i]!]!.push(x.cells[i]!);
  const count = x.cells.length / Math.max(1, groups.length);
  const K = ctx.cmpBits();
  const cells = groups.map((g) => {
    if (node.op === 'ReduceSum') return ctx.sumOf(g);
    if (node.op === 'ReduceMean') return ctx.meanOf(g, count);
    let m = g[0]!;
    for (let i = 1; i < g.length; i++) m = selectCmp(b, m, g[i]!, 'max', K, ctx.T);
    return m;
  });
  return [{ shape: out.shape, bits: x.bits, cells }];
}

export function lowerArgMax(ctx: LowerCtx): Cells[] {
  const { node, ref, b } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('ArgMax of a constant');
  const out = ref[0]!;
  const axis = normAxis(node, attrInt(node, 'axis', 0), x.shape.length);
  const mode = attrInt(node, 'select_last_index', 0) === 1 ? 'last' : 'first';
  const len = x.shape[axis]!;
  const inner = strides(x.shape)[axis]!;
  const cells: Value[] = [];
  for (let o = 0; o < size(out.shape); o++) {
    const base = Math.floor(o / inner) * len * inner + (o % inner);
    const xs = Array.from({ length: len }, (_, i) => x.cells[base + i * inner]!);
    cells.push(argMax(b, xs, mode, ctx.cmpBits(), ctx.T).index);
  }
  return [{ shape: out.shape, bits: 0, cells }];
}
