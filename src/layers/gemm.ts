/**
 * Gemm: Y = alpha · A' · B' + beta · C (A' = transA ? Aᵀ : A, B' likewise; C broadcast to [M, N]).
 * Integer semantics: B constant → B_q = round(alpha · B · 2^s); C constant → C_q = round(beta · C · 2^2s);
 * acc = Σ_k A_q[m,k] · B_q[k,n] + C_q[m,n], out = rdiv(acc, 2^s). With B a tensor, alpha must be 1 and C,
 * if present, is added at the product scale the same way.
 */
import { ModelError } from '../graph/errors.ts';
import { attrFloat, attrInt } from './attrs.ts';
import { asFixed } from './fixed.ts';
import { quantize, rescaleAll } from './int-math.ts';
import { broadcastIndex } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef } from './types.ts';

function dims(node: Node, a: number[], b: number[]): { M: number; K: number; N: number; ta: boolean; tb: boolean } {
  if (a.length !== 2 || b.length !== 2) throw new ModelError(node.name, `Gemm needs 2-D operands, got [${a}] and [${b}]`);
  const ta = attrInt(node, 'transA', 0) === 1;
  const tb = attrInt(node, 'transB', 0) === 1;
  const [M, K] = ta ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [K2, N] = tb ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (K !== K2) throw new ModelError(node.name, `Gemm inner dimensions differ: [${a}] x [${b}]`);
  return { M, K, N, ta, tb };
}

/** Σ_k A'[m,k]·B'[k,n]·alpha + C[m,n]·beta, no rescale. */
function gemmCore(node: Node, as: number[], a: Float64Array, bs: number[], b: Float64Array, cs: number[] | undefined, c: Float64Array | undefined, alpha: number, beta: number): Float64Array {
  const { M, K, N, ta, tb } = dims(node, as, bs);
  const out = new Float64Array(M * N);
  const cmap = cs && c ? broadcastIndex([M, N], cs) : undefined;
  for (let m = 0; m < M; m++)
    for (let n = 0; n < N; n++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc += a[ta ? k * M + m : m * K + k]! * b[tb ? n * K + k : k * N + n]!;
      acc *= alpha;
      if (cmap) acc += c![cmap[m * N + n]!]! * beta;
      out[m * N + n] = acc;
    }
  return out;
}

export const gemm: OpDef = {
  op: 'Gemm',
  shape: (node, s) => {
    const { M, N } = dims(node, s[0]!, s[1]!);
    return [[M, N]];
  },
  float: (node, [a, b, c]) => {
    const { M, N } = dims(node, a!.shape, b!.shape);
    const data = gemmCore(node, a!.shape, a!.data, b!.shape, b!.data, c?.shape, c?.data, attrFloat(node, 'alpha', 1), attrFloat(node, 'beta', 1));
    return [{ shape: [M, N], data }];
  },
  int: (node, [a, b, c], ctx) => {
    const s = ctx.scaleBits;
    const alpha = attrFloat(node, 'alpha', 1);
    const beta = attrFloat(node, 'beta', 1);
    const { M, N } = dims(node, a!.shape, b!.shape);
    let bq: Float64Array;
    if (b!.constFloat) bq = quantize(b!.constFloat.map((v) => v * alpha), s);
    else if (alpha === 1) bq = asFixed(b!, ctx);
    else throw new ModelError(node.name, 'Gemm with alpha ≠ 1 needs a constant B');
    let cq: Float64Array | undefined;
    if (c) {
      if (c.constFloat) cq = quantize(c.constFloat.map((v) => v * beta), 2 * s);
      else if (beta === 1) cq = asFixed(c, ctx).map((v) => v * 2 ** s);
      else throw new ModelError(node.name, 'Gemm with beta ≠ 1 needs a constant C');
    }
    const acc = gemmCore(node, a!.shape, asFixed(a!, ctx), b!.shape, bq, c?.shape, cq, 1, 1);
    return [{ shape: [M, N], data: rescaleAll(acc, s), bits: s }];
  },
};
