/**
 * MatMul and Gemm.
 *
 * MatMul in general form (numpy semantics as src/layers/matmul.ts: 1-D operands promoted, batch dims
 * broadcast): every output is one dot-product chip then the rescale chip. Two runtime operands (attention:
 * Q·Kᵀ, weights·V) use advice weights — both operands copied into the dot rows; a constant operand (either
 * side, batched or not) is quantized at s and goes in fixed columns (public, in the VK). With the
 * `freivalds` option, runtime × runtime products are claimed and checked at a transcript challenge instead
 * (chips/freivalds.ts), then rescaled.
 *
 * Gemm (2-D, transA / transB, α, β): the same dot rows per output. A constant B is quantized as α·B in
 * fixed columns; a runtime B (α must be 1, as the reference requires) gives advice weights, both operands
 * copied in. A constant C is quantized as β·C at the product scale 2^2s and folded into the bias; a
 * runtime C (β = 1) joins the row as one more product, weighted up to the product scale.
 *
 * With C outputs per dot row (ctx.C > 1), the outputs that read the same runtime vector share a region
 * and their inputs' copies (chips/dot-multi.ts): a row of A against C columns of a constant B (MatMul,
 * Gemm), or C rows of a constant A against a column of B.
 *
 * With committed weights (../weights.ts) a constant operand of MatMul, Gemm's α·B and Gemm's β·C are the
 * committed advice cells at the same scales: MatMul and B as advice weights (dot/advice rows), C as the
 * accumulator's start.
 */
import type { Value } from '../../circuit/builder.ts';
import { dotProduct } from '../../circuit/chips/dot.ts';
import { dotProductsShared } from '../../circuit/chips/dot-multi.ts';
import { freivaldsMatMul } from '../../circuit/chips/freivalds.ts';
import { attrFloat, attrInt } from '../../layers/attrs.ts';
import { quantize } from '../../layers/int-math.ts';
import { broadcastIndex, broadcastShapes, size } from '../../layers/shape-util.ts';
import type { Cells, LowerCtx } from './context.ts';

type Operand = { cells: Value[]; q?: undefined } | { cells?: undefined; q: Float64Array };

/** MatMul: one dot row per output element (or Freivalds for runtime × runtime), then rescale. */
export function lowerMatMul(ctx: LowerCtx): Cells[] {
  const { b, s, W, node, ins } = ctx;
  const operand = (i: number): Operand => {
    const t = ctx.runtime(i) ?? ctx.committed(i);
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
    if (ctx.C > 1 && (A.cells ? !Bop.cells : Bop.cells)) {
      cells.push(...matMulShared(ctx, A, Bop, ao, bo, M, K, N));
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

/**
 * One batch of a MatMul with one constant operand, C outputs per dot row: outputs that read the same
 * runtime vector (a row of A, or a column of B) share a region; returns the M·N outputs row-major.
 */
function matMulShared(ctx: LowerCtx, A: Operand, Bop: Operand, ao: number, bo: number, M: number, K: number, N: number): Value[] {
  const { b, W, C } = ctx;
  const out = new Array<Value>(M * N);
  // Runtime A: for each row m, outputs n share x = A[m, :], weights B[:, n]. Runtime B: for each column n,
  // outputs m share x = B[:, n], weights A[m, :].
  const [outer, inner] = A.cells ? [M, N] : [N, M];
  for (let u = 0; u < outer; u++) {
    const xv = Array.from({ length: K }, (_, k) => (A.cells ? A.cells[ao + u * K + k]! : Bop.cells![bo + k * N + u]!));
    for (let v0 = 0; v0 < inner; v0 += C) {
      const vs = Array.from({ length: Math.min(C, inner - v0) }, (_, i) => v0 + i);
      const wrows = vs.map((v) => Array.from({ length: K }, (_, k) => (A.cells ? Bop.q![bo + k * N + v]! : A.q![ao + v * K + k]!)));
      const accs = dotProductsShared(b, xv, wrows, vs.map(() => 0), { width: W, outputs: C });
      vs.forEach((v, i) => (out[A.cells ? u * N + v : v * N + u] = ctx.rescaleOut(accs[i]!)));
    }
  }
  return out;
}

/** Gemm: one dot row per output element (α·B fixed or B advice, C folded or added), then rescale. */
export function lowerGemm(ctx: LowerCtx): Cells[] {
  const { b, s, W, node, ins } = ctx;
  const a = ctx.runtimeAtScale(0, 'Gemm input A');
  if (a.shape.length !== 2 || ins[1]!.shape.length !== 2) return ctx.fail('Gemm needs 2-D operands');
  const alpha = attrFloat(node, 'alpha', 1);
  const beta = attrFloat(node, 'beta', 1);
  const ta = attrInt(node, 'transA', 0) === 1;
  const tb = attrInt(node, 'transB', 0) === 1;
  const [M, K] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const out = ctx.ref[0]!;
  const N = out.shape[1]!;
  const bIn = ins[1]!;
  const bCom = ctx.committed(1);
  if (bCom && bCom.bits !== s) return ctx.fail(`committed Gemm B at 2^${bCom.bits}, expected 2^${s}`);
  // Committed α·B reads as a runtime B already scaled by α (α was folded in when it was quantized).
  const bRun = bCom ?? (bIn.constFloat ? undefined : ctx.runtime(1));
  if (!bIn.constFloat && !bRun) return ctx.fail('Gemm B has no value');
  if (bRun && !bCom && alpha !== 1) return ctx.fail('Gemm with alpha ≠ 1 needs a constant B');
  if (bRun && bRun.bits !== s) return ctx.fail(`Gemm B is at scale 2^${bRun.bits}, expected 2^${s}`);
  const bq = !bCom && bIn.constFloat ? quantize(bIn.constFloat.map((v) => v * alpha), s) : undefined;
  const cIn = ins[2] && ins[2].shape.length > 0 && node.inputs[2] ? ins[2] : undefined;
  let cConst: Float64Array | undefined;
  let cRun: Cells | undefined;
  let cCom: Cells | undefined;
  let cmap: Int32Array | undefined;
  if (cIn) {
    cmap = broadcastIndex([M, N], cIn.shape);
    cCom = ctx.committed(2);
    if (cCom && cCom.bits !== 2 * s) return ctx.fail(`committed Gemm C at 2^${cCom.bits}, expected 2^${2 * s}`);
    if (cCom) {
      // β·C quantized at the product scale: the accumulator's start, as a constant C would be.
    } else if (cIn.constFloat) cConst = quantize(cIn.constFloat.map((v) => v * beta), 2 * s);
    else if (beta === 1) cRun = ctx.runtime(2) ?? ctx.fail('Gemm C has no value');
    else return ctx.fail('Gemm with beta ≠ 1 needs a constant C');
  }
  const cells: Value[] = [];
  if (ctx.C > 1 && bq && !cRun && !cCom) {
    // Constant B, C folded: the outputs of row mm share x = A[mm, :], C of them per dot row.
    const C = ctx.C;
    for (let mm = 0; mm < M; mm++) {
      const xv = Array.from({ length: K }, (_, kk) => a.cells[ta ? kk * M + mm : mm * K + kk]!);
      for (let n0 = 0; n0 < N; n0 += C) {
        const ns = Array.from({ length: Math.min(C, N - n0) }, (_, i) => n0 + i);
        const wrows = ns.map((nn) => Array.from({ length: K }, (_, kk) => bq[tb ? nn * K + kk : kk * N + nn]!));
        const biases = ns.map((nn) => (cConst ? cConst[cmap![mm * N + nn]!]! : 0));
        const accs = dotProductsShared(b, xv, wrows, biases, { width: W, outputs: C });
        for (const acc of accs) cells.push(ctx.rescaleOut(acc));
      }
    }
    return [{ shape: out.shape, bits: s, cells }];
  }
  for (let mm = 0; mm < M; mm++)
    for (let nn = 0; nn < N; nn++) {
      const xv: Value[] = [];
      const wv: number[] = [];
      const wc: Value[] = [];
      for (let kk = 0; kk < K; kk++) {
        xv.push(a.cells[ta ? kk * M + mm : mm * K + kk]!);
        const bi = tb ? nn * K + kk : kk * N + nn;
        if (bq) wv.push(bq[bi]!);
        else wc.push(bRun!.cells[bi]!);
      }
      let bias: Value | number = 0;
      if (cConst) bias = cConst[cmap![mm * N + nn]!]!;
      if (cCom) bias = cCom.cells[cmap![mm * N + nn]!]!;
      if (cRun) {
        xv.push(cRun.cells[cmap![mm * N + nn]!]!);
        const w = 2 ** (2 * s - cRun.bits);
        if (bq) wv.push(w);
        else wc.push(b.constant(w));
      }
      cells.push(ctx.rescaleOut(dotProduct(b, xv, bq ? wv : wc, bias, { width: W })));
    }
  return [{ shape: out.shape, bits: s, cells }];
}
