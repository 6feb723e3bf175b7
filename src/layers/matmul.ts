/**
 * MatMul (numpy semantics: 1-D operands promoted and squeezed back, batch dims broadcast).
 * Integer semantics: acc = Σ_k a_q · b_q (constants quantized at s), out = rdiv(acc, 2^s).
 */
import { ModelError } from '../graph/errors.ts';
import { asFixed } from './fixed.ts';
import { rescaleAll } from './int-math.ts';
import { broadcastIndex, broadcastShapes, size } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';
import type { OpDef } from './types.ts';

interface Plan {
  batch: number[];
  M: number;
  K: number;
  N: number;
  out: number[];
  aMap: Int32Array;
  bMap: Int32Array;
}

function plan(node: Node, as: number[], bs: number[]): Plan {
  const a = as.length === 1 ? [1, as[0]!] : as;
  const b = bs.length === 1 ? [bs[0]!, 1] : bs;
  const [M, K] = [a[a.length - 2]!, a[a.length - 1]!];
  const [K2, N] = [b[b.length - 2]!, b[b.length - 1]!];
  if (K !== K2) throw new ModelError(node.name, `MatMul inner dimensions differ: [${as}] x [${bs}]`);
  const aBatch = a.slice(0, -2);
  const bBatch = b.slice(0, -2);
  const batch = broadcastShapes(node, [aBatch, bBatch]);
  const out = [...batch];
  if (as.length !== 1) out.push(M);
  if (bs.length !== 1) out.push(N);
  return { batch, M, K, N, out, aMap: broadcastIndex(batch, aBatch), bMap: broadcastIndex(batch, bBatch) };
}

function matmulCore(p: Plan, a: Float64Array, b: Float64Array): Float64Array {
  const { M, K, N } = p;
  const nb = size(p.batch);
  const out = new Float64Array(nb * M * N);
  for (let t = 0; t < nb; t++) {
    const ao = p.aMap[t]! * M * K;
    const bo = p.bMap[t]! * K * N;
    const oo = t * M * N;
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += a[ao + m * K + k]! * b[bo + k * N + n]!;
        out[oo + m * N + n] = acc;
      }
  }
  return out;
}

export const matmul: OpDef = {
  op: 'MatMul',
  shape: (node, s) => [plan(node, s[0]!, s[1]!).out],
  float: (node, [a, b]) => {
    const p = plan(node, a!.shape, b!.shape);
    return [{ shape: p.out, data: matmulCore(p, a!.data, b!.data) }];
  },
  int: (node, [a, b], ctx) => {
    const p = plan(node, a!.shape, b!.shape);
    return [{ shape: p.out, data: rescaleAll(matmulCore(p, asFixed(a!, ctx), asFixed(b!, ctx)), ctx.scaleBits), bits: ctx.scaleBits }];
  },
};
