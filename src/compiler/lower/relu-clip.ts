/**
 * Relu and Clip / Relu6 on B-bit signed activations, without a 2^B-row table:
 * - Relu: the sign-bit gadget (gadgets.ts reluSigned), the input's scale kept;
 * - Clip: min(max(x, lo), hi) with constant bounds (attributes before opset 11, constant inputs after),
 *   each by a sign-bit comparison (clampCells); an absent bound is no row at all.
 * Where the input was rescaled by a node whose output only feeds this activation, the rescale row computed
 * it already (build.ts fuses Relu and Clip(0, hi): chips/rescale-act.ts) and no row is laid out here.
 */
import { attrFloat } from '../../layers/attrs.ts';
import { roundHalfUp } from '../../layers/int-math.ts';
import { reluSigned } from '../gadgets.ts';
import type { Cells, LowerCtx } from './context.ts';
import type { Node } from '../../graph/ir.ts';
import type { RescaleActivation } from '../../circuit/chips/rescale-act.ts';

/** Relu: the activation a fused rescale computed, else the sign-bit gadget. */
export function lowerRelu(ctx: LowerCtx): Cells[] {
  const { b, B, T } = ctx;
  const x = ctx.runtime(0) ?? ctx.fail('Relu of a constant');
  const relu = { kind: 'relu' } as const;
  return [{ shape: ctx.ref[0]!.shape, bits: x.bits, cells: x.cells.map((v) => ctx.activated(v, relu) ?? reluSigned(b, v, B, T)) }];
}

/** A Clip's bounds at scale 2^s (absent: unbounded), or why it has none the circuit can use. */
export type ClipBounds = { qlo?: number; qhi?: number; why?: undefined } | { why: string };

/** The bounds of Clip `node`; `constant(i)` reads input i when it is a constant (one value each). */
export function clipBounds(node: Node, s: number, constant: (i: number) => ArrayLike<number> | undefined): ClipBounds {
  const bound = (i: number, attr: string, def: number): number | string => {
    if (!node.inputs[i]) return attrFloat(node, attr, def);
    const c = constant(i);
    if (!c) return `Clip ${attr} must be a constant`;
    if (c.length !== 1 || Number.isNaN(c[0])) return `Clip ${attr} must be one number, got ${c.length} value(s)`;
    return c[0]!;
  };
  const [lo, hi] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
  if (typeof lo === 'string') return { why: lo };
  if (typeof hi === 'string') return { why: hi };
  const S = 2 ** s;
  return {
    ...(lo === -Infinity ? {} : { qlo: roundHalfUp(lo * S) }),
    ...(hi === Infinity ? {} : { qhi: roundHalfUp(hi * S) }),
  };
}

/** The activation a rescale can compute in its own row for a Clip with these bounds: [0, hi] or [0, ∞). */
export function clipActivation(qlo: number | undefined, qhi: number | undefined): RescaleActivation | undefined {
  if (qlo !== 0) return undefined;
  if (qhi === undefined) return { kind: 'relu' };
  return qhi >= 0 ? { kind: 'clip', hi: BigInt(qhi) } : undefined;
}

/** Clip / Relu6 with constant bounds: the activation a fused rescale computed, else sign-bit comparisons. */
export function lowerClip(ctx: LowerCtx): Cells[] {
  const { s, node, ins } = ctx;
  const x = ctx.runtimeAtScale(0, 'the Clip input');
  const bounds = clipBounds(node, s, (i) => ins[i]?.constFloat);
  if (bounds.why !== undefined) return ctx.fail(bounds.why);
  const { qlo, qhi } = bounds;
  const act = clipActivation(qlo, qhi);
  return [{ shape: ctx.ref[0]!.shape, bits: s, cells: x.cells.map((v) => (act && ctx.activated(v, act)) ?? ctx.clampCells(v, qlo, qhi)) }];
}
