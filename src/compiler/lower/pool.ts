/**
 * Pooling, over the windows src/layers/pool.ts visits ({@link forEachPoolWindow}: the valid elements only,
 * so padding never enters a max or a sum):
 * - MaxPool: a chain of pairwise selectCmp max rows over the window;
 * - AveragePool: the window sum by the dot chip (weights 1), then rdiv by the public count (the valid
 *   elements, or the window size counting explicit padding with count_include_pad) by divRoundConst;
 * - GlobalAveragePool: the same mean over each channel's whole plane.
 */
import type { Value } from '../../circuit/builder.ts';
import { attrInt } from '../../layers/attrs.ts';
import { forEachPoolWindow } from '../../layers/pool.ts';
import { size } from '../../layers/shape-util.ts';
import { selectCmp } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

/** MaxPool and AveragePool. */
export function lowerPool(ctx: LowerCtx): Cells[] {
  const { b, T, node } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail(`${node.op} of a constant`);
  if (node.outputs.length > 1 && node.outputs[1]) return ctx.fail('MaxPool Indices output is not lowered');
  const incl = attrInt(node, 'count_include_pad', 0) === 1;
  const K = ctx.cmpBits();
  const cells: Value[] = [];
  forEachPoolWindow(node, x.shape, (_o, inputs, full) => {
    const vals = Array.from(inputs, (i) => x.cells[i]!);
    if (vals.length === 0) ctx.fail('a pooling window with no valid element');
    if (node.op === 'MaxPool') {
      let m = vals[0]!;
      for (let i = 1; i < vals.length; i++) m = selectCmp(b, m, vals[i]!, 'max', K, T);
      cells.push(m);
    } else {
      cells.push(ctx.meanOf(vals, incl ? full : vals.length));
    }
  });
  return [{ shape: ctx.ref[0]!.shape, bits: x.bits, cells }];
}

/** GlobalAveragePool: the rounded mean of each (n, c) plane. */
export function lowerGlobalAveragePool(ctx: LowerCtx): Cells[] {
  const x = ctx.runtime(0) ?? ctx.fail('GlobalAveragePool of a constant');
  const hw = size(x.shape.slice(2));
  const cells: Value[] = [];
  for (let p = 0; p < x.shape[0]! * x.shape[1]!; p++) cells.push(ctx.meanOf(x.cells.slice(p * hw, (p + 1) * hw), hw));
  return [{ shape: ctx.ref[0]!.shape, bits: x.bits, cells }];
}
