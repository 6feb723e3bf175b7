/**
 * ConstantOfShape(shape): a tensor of the constant input shape filled with the `value` attribute (a
 * one-element tensor, default float 0). Its input is a shape, so after Shape folding it is always
 * constant-folded on import; the integer semantics (the value quantized at s, or raw for integer values)
 * exist for completeness.
 */
import { ModelError } from '../graph/errors.ts';
import type { Node, Tensor } from '../graph/ir.ts';
import { quantize } from './int-math.ts';
import { size } from './shape-util.ts';
import type { OpDef } from './types.ts';

/** The fill value and whether it is an integer type (raw in integer evaluation). */
export function fillValue(node: Node): { value: number; isInt: boolean; dtype: Tensor['dtype'] } {
  const a = node.attrs.value;
  if (!a) return { value: 0, isInt: false, dtype: 'float32' };
  if (a.type !== 'tensor') throw new ModelError(node.name, `attribute value must be a tensor, got ${a.type}`);
  if (a.value.data.length !== 1) throw new ModelError(node.name, `attribute value must hold one element, got ${a.value.data.length}`);
  return { value: a.value.data[0]!, isInt: a.value.dtype !== 'float32', dtype: a.value.dtype };
}

function target(node: Node, c: Float64Array | undefined): number[] {
  if (!c) throw new ModelError(node.name, 'ConstantOfShape needs a constant shape (a static shape)');
  const dims = Array.from(c);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) throw new ModelError(node.name, `ConstantOfShape shape [${dims}] must be non-negative integers`);
  return dims;
}

export const constantOfShape: OpDef = {
  op: 'ConstantOfShape',
  shape: (node, _s, c) => [target(node, c[0])],
  float: (node, [sh]) => {
    const shape = target(node, sh!.constFloat ?? sh!.data);
    return [{ shape, data: new Float64Array(size(shape)).fill(fillValue(node).value) }];
  },
  int: (node, [sh], ctx) => {
    const shape = target(node, sh!.constFloat ?? sh!.data);
    const { value, isInt } = fillValue(node);
    const bits = isInt ? 0 : ctx.scaleBits;
    const v = isInt ? value : quantize([value], bits)[0]!;
    return [{ shape, data: new Float64Array(size(shape)).fill(v), bits }];
  },
};
