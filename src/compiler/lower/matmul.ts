/**
 * MatMul in general form (numpy semantics as src/layers/matmul.ts: 1-D operands promoted, batch dims
 * broadcast): every output is one dot-product chip then the rescale chip. Two runtime operands (attention:
 * Q·Kᵀ, weights·V) use advice weights — both operands copied into the dot rows; a constant operand (either
 * side, batched or not) is quantized at s and goes in fixed columns (public, in the VK). With the
 * `freivalds` option, runtime × runtime products are claimed and checked at a transcript challenge instead
 * (chips/freivalds.ts), then rescaled.
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { freivaldsMatMul } from '../../circuit/chips/freivalds.ts';
import { quantize } from '../../layers/int-math.ts';
import { broadcastIndex, broadcastShapes, size } from '../../layers/shape-util.ts';
import type { Cells, LowerCtx } from './context.ts';

type Operand = { cells: Value[]; q?: undefined } | { cells?: undefined; q: Float64Array };

export function lowerMatMul(ctx: LowerCtx): Cells[] {
  const { b, s, W, node, ins } = ctx;
  const operand = (i: number): Operand => {
    const t = ctx.runtime(i);
    if (t) {
      if (t.bits !== s) ctx.fail(`MatMul input ${i} is at scale 2^${t.bits}, expected 2^${s}`);
      return { cells: t.cells };
    }
    return { q: quantize(ins[i]!.constFloat ?? ctx.fail(`MatMul input ${i} is neither runtime nor a float constant`), s) };
  };
  const [A, Bop] = [operand(0), operand(1)];
  const as = ins[0]!.shape;
  const bs = ins[1]!.shape;
  const a2 = as.length === 1 ? [1, as[0]!] : as;
  const b2 = bs.length === 1 ? [bs[0]!, 1] : bs;
  const [M, K] = [a2[a2.length - 2]!, a2[a2.length - 1]!];
  const N = b2[b2.length - 1]!;
  if (b2[b2.length - 2] !== K) ctx.fail(`inner dimensions differ: [${as}] x [${bs}]`);
  const aBatch = a2.slice(0, -2);
  const bBatch = b2.slice(0, -2);
  const batch = broadcastShapes(node, [aBatch, bBatch]);
  const aMap = broadcastIndex(batch, aBatch);
  const bMap = broadcastIndex(batch, bBatch);
  const out = ctx.ref[0]!;
  const cells: Value[] = [];
  for (let t = 0; t < size(batch); t++) {
    const ao = aMap[t]! * M * K;
    const bo = bMap[t]! * K * N;
    if (ctx.freivalds && A.cells && Bop.cells) {
      const C = freivaldsMatMul(b, A.cells.slice(ao, ao + M * K), Bop.cells.slice(bo, bo + K * N), M, K, N, { width: W });
      cells.push(...C.map((c) => ctx.rescaleOut(c)));
      continue;
    }
    for (let m = 0; m < M; m++)
      for (let n = 0; n < N; n++) {
        const ai = Array.from({ length: K }, (_, k) => ao + m * K + k);
        const bi = Array.from({ length: K }, (_, k) => bo + k * N + n);
        let acc: Value;
        if (A.cells && Bop.cells) acc = dotProduct(b, ai.map((i) => A.cells[i]!), bi.map((i) => Bop.cells[i]!), 0, { width: W });
        else if (A.cells) acc = dotProduct(b, ai.map((i) => A.cells[i]!), bi.map((i) => Bop.q![i]!), 0, { width: W });
        else if (Bop.cells) acc = dotProduct(b, bi.map((i) => Bop.cells[i]!), ai.map((i) => A.q[i]!), 0, { width: W });
        else {
          cells.push(b.constant(out.data[cells.length]!));
          continue;
        }
        cells.push(ctx.rescaleOut(acc));
      }
  }
  return [{ shape: out.shape, bits: s, cells }];
}
