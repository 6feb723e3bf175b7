/**
 * BatchNormalization (inference; one not folded into a preceding Conv/Gemm). Per channel c (axis 1):
 * y = x · a_c + k_c with a = γ / √(var + ε), k = β − mean · a.
 * Integer semantics: out = rdiv(x · round(a · 2^s) + round(k · 2^2s), 2^s).
 */
import { ModelError } from '../graph/errors.ts';
import { attrFloat } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { quantize, rescale } from './int-math.ts';
import { size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef, OpInput } from './types.ts';

/** Per-channel scale a and shift k of a BatchNormalization node from its constant inputs. */
export function bnAffine(node: Node, scale: Float64Array, bias: Float64Array, mean: Float64Array, variance: Float64Array): { a: Float64Array; k: Float64Array } {
  const eps = attrFloat(node, 'epsilon', 1e-5);
  const a = new Float64Array(scale.length);
  const k = new Float64Array(scale.length);
  for (let c = 0; c < a.length; c++) {
    a[c] = scale[c]! / Math.sqrt(variance[c]! + eps);
    k[c] = bias[c]! - mean[c]! * a[c]!;
  }
  return { a, k };
}

function affine(node: Node, inputs: OpInput[]): { a: Float64Array; k: Float64Array } {
  const c = inputs.slice(1, 5).map((i) => i.constFloat);
  if (c.some((v) => !v)) throw new ModelError(node.name, 'BatchNormalization parameters must be constant');
  return bnAffine(node, c[0]!, c[1]!, c[2]!, c[3]!);
}

function apply(x: Float64Array, shape: number[], f: (v: number, c: number) => number): Float64Array {
  const C = shape[1] ?? 1;
  const inner = size(shape.slice(2));
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, Math.floor(i / inner) % C);
  return out;
}

export const batchNorm: OpDef = {
  op: 'BatchNormalization',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, inputs) => {
    const { a, k } = affine(node, inputs);
    return [{ shape: [...inputs[0]!.shape], data: apply(inputs[0]!.data, inputs[0]!.shape, (v, c) => v * a[c]! + k[c]!) }];
  },
  int: (node, inputs, ctx) => {
    const s = ctx.scaleBits;
    const { a, k } = affine(node, inputs);
    const aq = quantize(a, s);
    const kq = quantize(k, 2 * s);
    const x = asFixed(inputs[0]!, ctx);
    return [{ shape: [...inputs[0]!.shape], data: apply(x, inputs[0]!.shape, (v, c) => rescale(v * aq[c]! + kq[c]!, s)), bits: s }];
  },
};
