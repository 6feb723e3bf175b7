/**
 * LeakyRelu and a BatchNormalization left standing (not folded into a Conv/Gemm), as src/layers defines them:
 * - LeakyRelu: y = x ≥ 0 ? x : rdiv(x·α_q, 2^s) is laid out as r = relu(x) (sign-bit gadget),
 *   m = x − r (= min(x, 0)), y = r + rescale(m·α_q): for x ≥ 0, m = 0 and the rescale of 0 is 0; for x < 0,
 *   r = 0. Every step is a constrained row, so y is unique.
 * - BatchNormalization: per channel c (axis 1) one `affine` row x·a_q[c] + k_q[c] (a at scale 2^s, k at
 *   2^2s, both public in fixed columns), then the rescale chip.
 */
import { affine, difference } from '../../circuit/chips/elementwise.ts';
import { attrFloat } from '../../layers/attrs.ts';
import { bnAffine } from '../../layers/batch-norm.ts';
import { quantize, roundHalfUp } from '../../layers/int-math.ts';
import { size } from '../../layers/shape-util.ts';
import { reluSigned } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';

export function lowerLeakyRelu(ctx: LowerCtx): Cells[] {
  const { b, s, B, T, node, ref } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('LeakyRelu of a constant');
  if (x.bits !== s) ctx.fail(`input is at scale 2^${x.bits}, expected 2^${s}`);
  const alphaQ = roundHalfUp(attrFloat(node, 'alpha', 0.01) * 2 ** s);
  const cells = x.cells.map((v) => {
    const r = reluSigned(b, v, B, T);
    const m = difference(b, v, r);
    return ctx.sumOf([r, ctx.rescaleOut(affine(b, m, alphaQ))]);
  });
  return [{ shape: ref[0]!.shape, bits: s, cells }];
}

export function lowerBatchNorm(ctx: LowerCtx): Cells[] {
  const { b, s, node, ins, ref } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('BatchNormalization of a constant');
  if (x.bits !== s) ctx.fail(`input is at scale 2^${x.bits}, expected 2^${s}`);
  const params = ins.slice(1, 5).map((i) => i?.constFloat);
  if (params.some((p) => !p) || ctx.runtime(1) || ctx.runtime(2) || ctx.runtime(3) || ctx.runtime(4))
    ctx.fail('scale, bias, mean and variance must be constants');
  const { a, k } = bnAffine(node, params[0]!, params[1]!, params[2]!, params[3]!);
  const aq = quantize(a, s);
  const kq = quantize(k, 2 * s);
  const C = x.shape[1] ?? 1;
  const inner = size(x.shape.slice(2));
  const cells = x.cells.map((v, i) => {
    const c = Math.floor(i / inner) % C;
    return ctx.rescaleOut(affine(b, v, aq[c]!, kq[c]!));
  });
  return [{ shape: ref[0]!.shape, bits: s, cells }];
}
