/**
 * Shared reduction plumbing for ReduceMean/ReduceSum/ReduceMax/GlobalAveragePool: axes from the attribute
 * (older opsets) or the constant input 1 (ReduceSum ≥ 13, others ≥ 18), keepdims, noop_with_empty_axes.
 */
import { ModelError } from '../graph/errors.ts';
import { attrInt, attrInts, normAxis } from './attrs.ts';
import { reduceIndex, reducedShape, size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { Arr } from './types.ts';

/** Normalized, sorted reduction axes of `node` for an input of rank `rank` (null: reduce nothing). */
export function reduceAxes(node: Node, rank: number, consts: (Float64Array | undefined)[]): number[] | null {
  let axes = attrInts(node, 'axes', undefined);
  if (!axes && node.inputs[1]) {
    const c = consts[1];
    if (!c) throw new ModelError(node.name, `${node.op} axes must be a constant`);
    axes = Array.from(c);
  }
  if (!axes || axes.length === 0) {
    if (attrInt(node, 'noop_with_empty_axes', 0) === 1) return null;
    return [...Array(rank).keys()];
  }
  return [...new Set(axes.map((a) => normAxis(node, a, rank)))].sort((a, b) => a - b);
}

/** Output shape of a reduction node. */
export function reduceShape(node: Node, shape: number[], consts: (Float64Array | undefined)[]): number[] {
  const axes = reduceAxes(node, shape.length, consts);
  if (!axes) return [...shape];
  return reducedShape(shape, axes, attrInt(node, 'keepdims', 1) === 1);
}

/**
 * Reduces `x` over the axes: `init` and `step` fold the elements of each group, `finish(acc, count)` maps
 * the folded value (count = elements per group).
 */
export function reduceWith(node: Node, x: Arr, consts: (Float64Array | undefined)[], init: number, step: (acc: number, v: number) => number, finish: (acc: number, count: number) => number): Arr {
  const axes = reduceAxes(node, x.shape.length, consts);
  if (!axes) return { shape: [...x.shape], data: Float64Array.from(x.data) };
  const shape = reducedShape(x.shape, axes, attrInt(node, 'keepdims', 1) === 1);
  const map = reduceIndex(x.shape, axes);
  const out = new Float64Array(size(shape)).fill(init);
  for (let i = 0; i < map.length; i++) out[map[i]!] = step(out[map[i]!]!, x.data[i]!);
  const count = x.data.length / Math.max(1, out.length);
  for (let i = 0; i < out.length; i++) out[i] = finish(out[i]!, count);
  return { shape, data: out };
}

/** The constant inputs' float values as the shape rules see them. */
export function constsOf(inputs: { constFloat?: Float64Array }[]): (Float64Array | undefined)[] {
  return inputs.map((i) => i.constFloat);
}
