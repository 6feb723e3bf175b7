/**
 * Compiler: lowers a quantized model graph to a PLONKish circuit (CircuitBuilder + chips) and assigns the
 * witness from the integer reference semantics.
 *
 * The graph is walked with the same runner as the integer evaluator (`runGraph`): each node's reference
 * outputs are computed by its `int` semantics and the node is lowered to chips whose cells must hold exactly
 * those integers (checked as we go, so the public outputs equal `evaluateIntQ` bit for bit).
 *
 * Lowerings (s = model scale bits, B = activation bits, T = range-table bits):
 * - graph inputs: private, one row each, range-checked to the calibrated input range (limbs of T bits);
 * - MatMul of two runtime tensors, a constant A, or a batched constant B (lower/matmul.ts): dot chips with
 *   advice weights (both operands copied in) or fixed weights, then rescale; with `freivalds`, runtime ×
 *   runtime products are instead claimed and checked at a transcript challenge (chips/freivalds.ts);
 * - Gemm with a runtime B (α = 1, as the reference requires): the same dot rows with advice weights (both
 *   operands copied in), a runtime C at the product scale;
 * - Conv (im2col) / Gemm / MatMul with constant weights: one dot-product chip per output (fixed weights in
 *   the VK, inputs copied in, bias at scale 2s as the accumulator start), then the rescale chip
 *   (round half up, quotient and remainder both range-checked: q ∈ B-bit signed range, r ∈ [0, 2^(s+1)));
 * - Relu: sign-bit gadget (gadgets.ts), no 2^B table; LeakyRelu: relu(x) + rescale((x − relu(x))·α_q)
 *   (lower/leaky-relu-bn.ts); a BatchNormalization not folded into a Conv/Gemm: per-channel affine row
 *   x·a_q[c] + k_q[c], then the rescale chip; Equal / Less / Greater: σ bits of compare rows (raw 0/1
 *   outputs); Cast: the same cells (lower/compare.ts);
 * - Add / Sub: dot-product chip with weights ±2^(scale shift), constants folded into the bias;
 * - Mul (lower/mul-div.ts): the product (runtime × runtime: `product` gate, z = x·y; × constant: `affine`
 *   gate, z = x·w + c with w, c fixed) then the rescale chip; a raw-integer operand multiplies exactly;
 * - Div (lower/mul-div.ts): by ±integers, divRoundConst (dividend negated by `affine` for c < 0); by other
 *   constants, × round(2^s/c) then rescale; by a runtime tensor, the divvar chip (chips/div-var.ts: sign
 *   bit σ, m = |d| ∈ [1, 2^D], 2c·a·(1−2σ) + m = 2m·f + r with r and 2m−1−r and f range-checked);
 * - Clip / Relu6: min(max(x, lo), hi) by sign-bit comparisons (gadgets.ts selectCmp), constant bounds;
 * - MaxPool: pairwise max by selectCmp over the valid window elements (padding never enters the max);
 * - AveragePool / GlobalAveragePool: the window sum by the dot chip (weights 1), then rdiv by the public
 *   count (gadgets.ts divRoundConst: r and 2c − 1 − r and q all range-checked);
 * - Sigmoid / Tanh / Exp / Erf / Log / Sqrt / Reciprocal / Gelu / HardSigmoid / HardSwish: (x, tableValue(f, x)) lookup
 *   over the settings' table domain [lo, hi]; 'clamp' tables clamp x into it first by selectCmp, 'error'
 *   tables rely on the lookup (an out-of-domain x, or one where f is not finite, has no row, so it cannot
 *   be proved);
 * - Neg: `affine` with w = −1; Pow (lower/pow.ts): p ∈ {2..8} by p − 1 product + rescale rows, p ∈ {0, 1}
 *   constant / identity, other p by an 'error'-domain table lookup;
 * - ReduceSum / ReduceMean / ReduceMax (lower/reduce.ts): dot chip with weights 1 (then divRoundConst by the
 *   group size for the mean); a selectCmp max chain;
 * - ArgMax (lower/reduce.ts, chips/argmax.ts): one-hot booleans h with running sum P ending at 1, the chosen
 *   element equal to the max m, m − x_j − [j before (first) / after (last) the index] range-checked ≥ 0;
 * - Softmax (lower/softmax.ts): per row m = max by selectCmp, d = x − m (`difference`), the reference's clamp
 *   at the exp table's low end by selectCmp, the exp lookup, Σ by the dot chip, rdiv(e·2^s, Σ) by divvar;
 * - LayerNormalization (lower/layer-norm.ts): μ by the dot chip + divRoundConst(n), d = x − μ, Σd² by the dot
 *   chip with advice weights + divRoundConst(n·2^s), the rsqrt lookup ('error' domain), rescale(d·r), then
 *   rescale(y·γ + β·2^s) (`affine`, public γ and β);
 * - movement ops (Flatten, Reshape, Transpose, Squeeze, Slice, Pad, Concat, ...): their index maps, no rows
 *   (cells are reused; padding / constant elements are copies of fixed constants);
 * - graph outputs: copied to instance column 0 (public), in graph output order, row-major.
 *
 * The layout depends only on the model (shapes, weights, settings), never on input values; keygen and the
 * cost estimate can lay it out on any sample the reference accepts ({@link layoutInputs}).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CircuitError } from '../errors.ts';
import type { CircuitDescription } from '../plonk/keygen.ts';
import type { ConstraintSystem } from '../plonk/cs.ts';
import type { Witness } from '../plonk/prover.ts';
import { CircuitBuilder, type Value } from '../circuit/builder.ts';
import type { Assignment } from '../circuit/mock-prover.ts';
import { dotProduct } from '../circuit/chips/dot.ts';
import { rescale } from '../circuit/chips/rescale.ts';
import { publicOutputs } from '../circuit/chips/public.ts';
import { ModelError } from '../model/errors.ts';
import { evaluateIntQ, quantizeInput, type QuantizedModel } from '../model/int-eval.ts';
import type { Node } from '../model/ir.ts';
import { runGraph } from '../model/run-graph.ts';
import { tensorValues } from '../model/simplify.ts';
import { attrFloat, attrInt } from '../layers/attrs.ts';
import { atBits, pairBits } from '../layers/fixed.ts';
import { quantize } from '../layers/int-math.ts';
import { broadcastIndex, size } from '../layers/shape-util.ts';
import type { IntCtx, OpDef, OpInput, QArr } from '../layers/types.ts';
import { windowOf } from '../layers/window.ts';
import { divRoundConst, rangedInput, reluSigned, selectCmp } from './gadgets.ts';
import { tableLookup } from '../circuit/chips/table-lookup.ts';
import { poolWindow } from '../layers/pool.ts';
import { tableValue } from '../layers/table.ts';
import { roundHalfUp } from '../layers/int-math.ts';
import { bitsFor, type Cells, type LowerCtx, type Lowering } from './lower/context.ts';
import { lowerDiv, lowerMul, lowerNeg } from './lower/mul-div.ts';
import { lowerPow } from './lower/pow.ts';
import { lowerArgMax, lowerReduce } from './lower/reduce.ts';
import { lowerSoftmax } from './lower/softmax.ts';
import { lowerLayerNorm } from './lower/layer-norm.ts';
import { lowerMatMul } from './lower/matmul.ts';
import { lowerBatchNorm, lowerLeakyRelu } from './lower/leaky-relu-bn.ts';
import { lowerCast, lowerCompare } from './lower/compare.ts';
import { lowerWhere } from './lower/where.ts';
import { resolveVisibility, type PublicTensor, type Visibility } from './visibility.ts';

export { divRoundConst, rangedInput, reluSigned, selectCmp } from './gadgets.ts';
export { resolveVisibility, type PublicTensor, type Visibility } from './visibility.ts';

/** An op (or an operand form) the compiler cannot lower; names the node and the op. */
export class LoweringError extends CircuitError {
  constructor(readonly node: string, readonly op: string, reason: string) {
    super(`cannot lower node '${node}' (${op}) to a circuit: ${reason}`);
  }
}

export interface CompileOptions {
  /** Products per row of the dot-product chip (default 8). */
  width?: number;
  /** Range-table width T in bits (default clamp(s + 1, 8, 16)). */
  tableBits?: number;
  /** Signed activation width B in bits (default from the calibrated bounds, with 4x headroom). */
  actBits?: number;
  /** Fix k instead of choosing the smallest that fits. */
  k?: number;
  /**
   * Check MatMuls of two runtime tensors (attention) by Freivalds at a transcript challenge (second-phase
   * advice; chips/freivalds.ts) instead of one dot product per output (default false).
   */
  freivalds?: boolean;
  /** Per graph input/output: 'public' (in the instance column) or 'private'. Default: inputs private, outputs public. */
  visibility?: Readonly<Record<string, Visibility>>;
}

export interface CircuitStats {
  rows: number;
  advice: number;
  fixed: number;
  lookups: number;
  copies: number;
}

export interface ModelCircuit {
  cs: ConstraintSystem;
  k: number;
  circuit: CircuitDescription;
  instances: bigint[][];
  witness: Witness;
  /** The full assignment (for mockProve / the under-constrained-cell finder). */
  assignment: Assignment;
  publicOutputs: { name: string; shape: number[]; values: number[] }[];
  /** Where each public tensor sits in instance column 0 (inputs first, then outputs). */
  publicLayout: PublicTensor[];
  stats: CircuitStats;
  /** Widths the layout used. */
  params: { width: number; tableBits: number; actBits: number; inputBits: Record<string, number>; scaleBits: number };
}

/** Lowerings kept in their own files (src/compiler/lower/), by op type. */
const LOWERINGS: Record<string, Lowering> = {
  Mul: lowerMul,
  Div: lowerDiv,
  ReduceSum: lowerReduce,
  ReduceMean: lowerReduce,
  ReduceMax: lowerReduce,
  ArgMax: lowerArgMax,
  Softmax: lowerSoftmax,
  LayerNormalization: lowerLayerNorm,
  Pow: lowerPow,
  Neg: lowerNeg,
  LeakyRelu: lowerLeakyRelu,
  BatchNormalization: lowerBatchNorm,
  Equal: lowerCompare,
  Less: lowerCompare,
  Greater: lowerCompare,
  Cast: lowerCast,
  Where: lowerWhere,
};

/** Layout parameters from the model alone (never from input values). */
function layoutParams(model: QuantizedModel, opts: CompileOptions): ModelCircuit['params'] {
  const st = model.settings;
  const s = st.scaleBits;
  const width = opts.width ?? 8;
  if (!Number.isInteger(width) || width < 1) throw new CircuitError(`chip width ${width} must be a positive integer`);
  const tableBits = opts.tableBits ?? Math.min(16, Math.max(8, s + 1));
  if (tableBits < s + 1 || tableBits > 16) throw new CircuitError(`table bits ${tableBits} must be in [s + 1, 16] = [${s + 1}, 16]`);
  const inputNames = new Set(model.graph.inputs.map((v) => v.name));
  let maxAct = 1;
  for (const [name, v] of Object.entries(st.bounds)) if (!inputNames.has(name)) maxAct = Math.max(maxAct, v);
  const actBits = opts.actBits ?? Math.min(60, bitsFor(maxAct) + 3);
  const inputBits: Record<string, number> = {};
  for (const v of model.graph.inputs) {
    const cal = st.calibration[v.name];
    let m = st.bounds[v.name] ?? 2 ** actBits;
    if (cal) {
      const w = Math.max(cal[1] - cal[0], 1e-6);
      m = Math.max(m, Math.max(Math.abs(cal[0] - st.inputRangeSlack * w), Math.abs(cal[1] + st.inputRangeSlack * w)) * 2 ** s + 1);
    }
    inputBits[v.name] = Math.min(60, bitsFor(m) + 1);
  }
  return { width, tableBits, actBits, inputBits, scaleBits: s };
}

/**
 * Lays out the quantized model and assigns the witness for one quantized input. The layout (cs, fixed,
 * copies, k) depends only on the model and options, so keygen can run it on any sample (e.g. zeros).
 */
export function buildModelCircuit(model: QuantizedModel, qInputs: Record<string, QArr>, opts: CompileOptions = {}): ModelCircuit {
  const { graph, settings } = model;
  // Per-node settings (table domains) are keyed by node name; the importers make names unique, and a
  // graph that reaches here with a repeated name would let one node's settings stand for another's.
  const nodeNames = new Set<string>();
  for (const n of graph.nodes) {
    if (nodeNames.has(n.name)) throw new LoweringError(n.name, n.op, 'another node has the same name (node names must be unique; simplifyGraph renames repeats)');
    nodeNames.add(n.name);
  }
  const params = layoutParams(model, opts);
  const { width: W, tableBits: T, actBits: B } = params;
  const s = settings.scaleBits;
  const b = new CircuitBuilder();
  const tensors = new Map<string, Cells>();
  const refValues = new Map<string, QArr>();

  const visibility = resolveVisibility(graph, opts.visibility);
  const publicLayout: PublicTensor[] = [];
  let publicRows = 0;

  // Graph inputs: range-checked; public ones also copied to the instance column.
  for (const v of graph.inputs) {
    const x = qInputs[v.name];
    if (!x) throw new CircuitError(`input '${v.name}' is missing`);
    const cells = Array.from(x.data, (d) => rangedInput(b, BigInt(d), params.inputBits[v.name]!, T));
    if (visibility.get(v.name) === 'public') {
      publicOutputs(b, cells);
      publicLayout.push({ name: v.name, kind: 'input', shape: [...x.shape], offset: publicRows, length: cells.length });
      publicRows += cells.length;
    }
    tensors.set(v.name, { shape: [...x.shape], bits: x.bits, cells });
    refValues.set(v.name, x);
  }

  const rescaleOut = (acc: Value): Value => rescale(b, acc, s, B, { maxTableBits: T });
  /** Comparison width: differences of two activations (B-bit, with one bit of headroom for Add outputs). */
  const cmpBits = (...consts: number[]): number => Math.max(B + 1, ...consts.map((c) => bitsFor(Math.abs(c)) + 2));
  /** min(max(v, lo), hi) with constant bounds (undefined = unbounded), each by a sign-bit comparison. */
  const clampCells = (v: Value, lo: number | undefined, hi: number | undefined): Value => {
    const K = cmpBits(lo ?? 0, hi ?? 0);
    let y = v;
    if (lo !== undefined) y = selectCmp(b, y, b.constant(lo), 'max', K, T);
    if (hi !== undefined) y = selectCmp(b, y, b.constant(hi), 'min', K, T);
    return y;
  };
  /** rdiv(Σ vals, n): the sum by the dot chip (weights 1), then the rounded division by the public n. */
  const sumOf = (vals: Value[]): Value => (vals.length === 1 ? vals[0]! : dotProduct(b, vals, vals.map(() => 1), 0, { width: W }));
  const meanOf = (vals: Value[], n: number): Value => divRoundConst(b, sumOf(vals), n, B + 1, T);

  const lower = (def: OpDef, node: Node, ins: OpInput[], ref: QArr[]): Cells[] => {
    const fail = (why: string): never => {
      throw new LoweringError(node.name, node.op, why);
    };
    const runtime = (i: number): Cells | undefined => {
      const name = node.inputs[i];
      return name ? tensors.get(name) : undefined;
    };
    const needRuntimeAtScale = (i: number, what: string): Cells => {
      const t = runtime(i);
      if (!t) return fail(`${what} must be a runtime tensor`);
      if (t.bits !== s) return fail(`${what} is at scale 2^${t.bits}, expected 2^${s}`);
      return t;
    };
    const out0 = ref[0]!;
    const ctxOf = (): LowerCtx => ({ b, s, W, T, B, freivalds: opts.freivalds ?? false, settings, def, node, ins, ref, runtime, fail, rescaleOut, cmpBits, clampCells, meanOf, sumOf });
    const own = LOWERINGS[node.op];
    if (own) return own(ctxOf());
    switch (node.op) {
      case 'Conv': {
        const x = needRuntimeAtScale(0, 'the Conv input');
        const [wIn, bIn] = [ins[1]!, ins[2]];
        if (!wIn.constFloat) return fail('Conv weights must be constant');
        if (bIn && bIn.shape[0] !== 0 && !bIn.constFloat) return fail('Conv bias must be constant');
        const xs = x.shape;
        const ws = wIn.shape;
        if (xs.length !== ws.length || (xs.length !== 3 && xs.length !== 4)) return fail(`unsupported Conv ranks [${xs}] / [${ws}]`);
        const group = attrInt(node, 'group', 1);
        const win = windowOf(node, xs.slice(2), ws.slice(2));
        const wq = quantize(wIn.constFloat, s);
        const bq = bIn?.constFloat ? quantize(bIn.constFloat, 2 * s) : undefined;
        const [n, c] = [xs[0]!, xs[1]!];
        const h = xs.length === 4 ? xs[2]! : 1;
        const wd = xs[xs.length - 1]!;
        const m = ws[0]!;
        const cg = c / group;
        const mg = m / group;
        const { kh, kw, sh, sw, dh, dw, padTop, padLeft, oh, ow } = win;
        const cells: Value[] = [];
        for (let bb = 0; bb < n; bb++)
          for (let oc = 0; oc < m; oc++) {
            const g = Math.floor(oc / mg);
            for (let oy = 0; oy < oh; oy++)
              for (let ox = 0; ox < ow; ox++) {
                const xv: Value[] = [];
                const wv: number[] = [];
                for (let ic = 0; ic < cg; ic++) {
                  const xBase = (bb * c + g * cg + ic) * h * wd;
                  const wBase = (oc * cg + ic) * kh * kw;
                  for (let ky = 0; ky < kh; ky++) {
                    const iy = oy * sh - padTop + ky * dh;
                    if (iy < 0 || iy >= h) continue;
                    for (let kx = 0; kx < kw; kx++) {
                      const ix = ox * sw - padLeft + kx * dw;
                      if (ix < 0 || ix >= wd) continue;
                      xv.push(x.cells[xBase + iy * wd + ix]!);
                      wv.push(wq[wBase + ky * kw + kx]!);
                    }
                  }
                }
                cells.push(rescaleOut(dotProduct(b, xv, wv, bq ? bq[oc]! : 0, { width: W })));
              }
          }
        return [{ shape: out0.shape, bits: s, cells }];
      }
      case 'Gemm': {
        const a = needRuntimeAtScale(0, 'Gemm input A');
        if (a.shape.length !== 2 || ins[1]!.shape.length !== 2) return fail('Gemm needs 2-D operands');
        const alpha = attrFloat(node, 'alpha', 1);
        const beta = attrFloat(node, 'beta', 1);
        const ta = attrInt(node, 'transA', 0) === 1;
        const tb = attrInt(node, 'transB', 0) === 1;
        const [M, K] = ta ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
        const N = out0.shape[1]!;
        const bIn = ins[1]!;
        // B constant: quantized α·B in fixed columns. B a runtime tensor (α must be 1, as the reference
        // requires): advice weights — both operands copied into the dot rows.
        const bRun = bIn.constFloat ? undefined : runtime(1);
        if (!bIn.constFloat && !bRun) return fail('Gemm B has no value');
        if (bRun && alpha !== 1) return fail('Gemm with alpha ≠ 1 needs a constant B');
        if (bRun && bRun.bits !== s) return fail(`Gemm B is at scale 2^${bRun.bits}, expected 2^${s}`);
        const bq = bIn.constFloat ? quantize(bIn.constFloat.map((v) => v * alpha), s) : undefined;
        const cIn = ins[2] && ins[2].shape.length > 0 && node.inputs[2] ? ins[2] : undefined;
        let cConst: Float64Array | undefined;
        let cRun: Cells | undefined;
        let cmap: Int32Array | undefined;
        if (cIn) {
          cmap = broadcastIndex([M, N], cIn.shape);
          if (cIn.constFloat) cConst = quantize(cIn.constFloat.map((v) => v * beta), 2 * s);
          else if (beta === 1) cRun = runtime(2) ?? fail('Gemm C has no value');
          else return fail('Gemm with beta ≠ 1 needs a constant C');
        }
        const cells: Value[] = [];
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
            let bias = 0;
            if (cConst) bias = cConst[cmap![mm * N + nn]!]!;
            if (cRun) {
              xv.push(cRun.cells[cmap![mm * N + nn]!]!);
              const w = 2 ** (2 * s - cRun.bits);
              if (bq) wv.push(w);
              else wc.push(b.constant(w));
            }
            cells.push(rescaleOut(dotProduct(b, xv, bq ? wv : wc, bias, { width: W })));
          }
        return [{ shape: out0.shape, bits: s, cells }];
      }
      case 'MatMul': {
        if (!runtime(0)) return lowerMatMul(ctxOf());
        const a = needRuntimeAtScale(0, 'MatMul input A');
        const bIn = ins[1]!;
        // Runtime B (attention) or a batched constant B: the general lowering (lower/matmul.ts).
        if (!bIn.constFloat || bIn.shape.length > 2) return lowerMatMul(ctxOf());
        const [K, N] = bIn.shape.length === 1 ? [bIn.shape[0]!, 1] : [bIn.shape[0]!, bIn.shape[1]!];
        const bq = quantize(bIn.constFloat, s);
        const rows = a.cells.length / K;
        const cells: Value[] = [];
        for (let r = 0; r < rows; r++)
          for (let nn = 0; nn < N; nn++) {
            const xv = a.cells.slice(r * K, (r + 1) * K);
            const wv = Array.from({ length: K }, (_, kk) => bq[kk * N + nn]!);
            cells.push(rescaleOut(dotProduct(b, xv, wv, 0, { width: W })));
          }
        return [{ shape: out0.shape, bits: s, cells }];
      }
      case 'Relu': {
        const x = runtime(0) ?? fail('Relu of a constant');
        return [{ shape: out0.shape, bits: x.bits, cells: x.cells.map((v) => reluSigned(b, v, B, T)) }];
      }
      case 'Clip': {
        const x = needRuntimeAtScale(0, 'the Clip input');
        const bound = (i: number, attr: string, def: number): number => {
          if (node.inputs[i]) {
            const c = ins[i]?.constFloat;
            if (!c) return fail(`Clip ${attr} must be a constant`);
            return c[0]!;
          }
          return attrFloat(node, attr, def);
        };
        const [lo, hi] = [bound(1, 'min', -Infinity), bound(2, 'max', Infinity)];
        const S = 2 ** s;
        const qlo = lo === -Infinity ? undefined : roundHalfUp(lo * S);
        const qhi = hi === Infinity ? undefined : roundHalfUp(hi * S);
        return [{ shape: out0.shape, bits: s, cells: x.cells.map((v) => clampCells(v, qlo, qhi)) }];
      }
      case 'MaxPool':
      case 'AveragePool': {
        const x = runtime(0) ?? fail(`${node.op} of a constant`);
        if (node.outputs.length > 1 && node.outputs[1]) return fail('MaxPool Indices output is not lowered');
        const xs = x.shape;
        const win = poolWindow(node, xs);
        const [n, c] = [xs[0]!, xs[1]!];
        const h = xs.length === 4 ? xs[2]! : 1;
        const w = xs[xs.length - 1]!;
        const { kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, oh, ow } = win;
        const incl = attrInt(node, 'count_include_pad', 0) === 1;
        const hp = h + padTop + padBottom;
        const wp = w + padLeft + padRight;
        const K = cmpBits();
        const cells: Value[] = [];
        for (let p = 0; p < n * c; p++)
          for (let oy = 0; oy < oh; oy++)
            for (let ox = 0; ox < ow; ox++) {
              const vals: Value[] = [];
              let full = 0;
              for (let ky = 0; ky < kh; ky++) {
                const iy = oy * sh - padTop + ky * dh;
                for (let kx = 0; kx < kw; kx++) {
                  const ix = ox * sw - padLeft + kx * dw;
                  if (iy + padTop < hp && ix + padLeft < wp) full++;
                  if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                  vals.push(x.cells[p * h * w + iy * w + ix]!);
                }
              }
              if (vals.length === 0) return fail('a pooling window with no valid element');
              if (node.op === 'MaxPool') {
                let m = vals[0]!;
                for (let i = 1; i < vals.length; i++) m = selectCmp(b, m, vals[i]!, 'max', K, T);
                cells.push(m);
              } else {
                cells.push(meanOf(vals, incl ? full : vals.length));
              }
            }
        return [{ shape: out0.shape, bits: x.bits, cells }];
      }
      case 'GlobalAveragePool': {
        const x = runtime(0) ?? fail('GlobalAveragePool of a constant');
        const hw = size(x.shape.slice(2));
        const cells: Value[] = [];
        for (let p = 0; p < x.shape[0]! * x.shape[1]!; p++) cells.push(meanOf(x.cells.slice(p * hw, (p + 1) * hw), hw));
        return [{ shape: out0.shape, bits: x.bits, cells }];
      }
      case 'Sigmoid':
      case 'Tanh':
      case 'Exp':
      case 'Erf':
      case 'Log':
      case 'Sqrt':
      case 'Reciprocal':
      case 'Gelu':
      case 'HardSigmoid':
      case 'HardSwish': {
        const x = needRuntimeAtScale(0, `the ${node.op} input`);
        const fnDef = def.tables?.(node, ins.map((i) => i.constFloat))?.['f'] ?? fail('no table function');
        const spec = settings.tables[node.name]?.['f'] ?? fail(`no 'f' table domain in the quantization settings`);
        const { lo, hi } = spec;
        if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) return fail(`table domain [${lo}, ${hi}] is not integer`);
        if (hi - lo + 1 > 2 ** 20) return fail(`table domain [${lo}, ${hi}] has more than 2^20 rows`);
        // 'error' tables leave out the rows where f is not finite (Reciprocal at 0, Log at x ≤ 0): the
        // reference raises there, and such an argument has no row to prove. 'clamp' tables need every row.
        const partial = spec.outside === 'error';
        const values = new Float64Array(hi - lo + 1);
        for (let q = lo; q <= hi; q++) {
          const v = tableValue(fnDef.fn, q, s);
          if (!partial && !Number.isFinite(v)) fail(`table value at ${q} is not finite`);
          values[q - lo] = v;
        }
        // The table is named by its rows (a digest of every value), never by the node: two nodes share a
        // table exactly when they compute the same function on the same domain.
        const digest = bytesToHex(sha256(new Uint8Array(values.buffer))).slice(0, 32);
        const table = { name: `${node.op}/${lo}/${hi}/s${s}/${digest}`, lo, hi: hi + 1, f: (q: number) => values[q - lo]!, partial };
        const cells = x.cells.map((v) => {
          // 'clamp': the argument is clamped into the table domain by sound comparisons (the reference
          // clamps); 'error': the lookup itself forces the argument into [lo, hi].
          const arg = spec.outside === 'clamp' ? clampCells(v, lo, hi) : v;
          return tableLookup(b, arg, table);
        });
        return [{ shape: out0.shape, bits: s, cells }];
      }
      case 'Add':
      case 'Sub': {
        const ctx: IntCtx = { scaleBits: s, table: () => fail('no table') };
        const bits = pairBits(ins[0]!, ins[1]!, ctx);
        const sign = [1, node.op === 'Sub' ? -1 : 1];
        const parts = [0, 1].map((i) => {
          const t = runtime(i);
          const map = broadcastIndex(out0.shape, ins[i]!.shape);
          if (t) {
            if (t.bits > bits) fail(`operand ${i} is at scale 2^${t.bits}, above the common scale 2^${bits}`);
            return { map, cells: t.cells, w: sign[i]! * 2 ** (bits - t.bits), data: undefined };
          }
          return { map, cells: undefined, w: sign[i]!, data: atBits(ins[i]!, bits, ctx) };
        });
        const cells: Value[] = [];
        for (let j = 0; j < size(out0.shape); j++) {
          const xv: Value[] = [];
          const wv: number[] = [];
          let bias = 0;
          for (const p of parts) {
            const idx = p.map[j]!;
            if (p.cells) {
              xv.push(p.cells[idx]!);
              wv.push(p.w);
            } else bias += p.w * p.data![idx]!;
          }
          cells.push(xv.length === 0 ? b.constant(bias) : dotProduct(b, xv, wv, bias, { width: W }));
        }
        return [{ shape: out0.shape, bits, cells }];
      }
      default: {
        if (!def.indexMap) return fail('no circuit lowering for this op yet');
        const maps = def.indexMap(node, ins.map((i) => i.shape), ins.map((i) => i.constFloat));
        if (!maps) return fail('index map unavailable for these operands');
        const offsets: number[] = [];
        let off = 0;
        for (const inp of ins) {
          offsets.push(off);
          off += inp.data.length;
        }
        return maps.map((map, o) => {
          const r = ref[o]!;
          const cells = Array.from(map, (idx, j) => {
            const want = BigInt(r.data[j]!);
            if (idx < 0) return b.constant(want);
            let k = offsets.length - 1;
            while (offsets[k]! > idx) k--;
            const t = runtime(k);
            if (!t) return b.constant(want);
            const cell = t.cells[idx - offsets[k]!]!;
            if (cell.value !== want) fail(`element ${j} changes scale (input at 2^${t.bits}, output at 2^${r.bits}); not lowered yet`);
            return cell;
          });
          return { shape: r.shape, bits: r.bits, cells };
        });
      }
    }
  };

  runGraph<QArr>(
    graph,
    refValues,
    (def, node, ins) => {
      const ctx: IntCtx = {
        scaleBits: s,
        table: (kind) => {
          const t = settings.tables[node.name]?.[kind];
          if (!t) throw new ModelError(node.name, `no '${kind}' table domain in the quantization settings`);
          return t;
        },
      };
      const ref = def.int(node, ins, ctx);
      const outs = lower(def, node, ins, ref);
      outs.forEach((t, k) => {
        const name = node.outputs[k];
        if (!name) return;
        const r = ref[k]!;
        if (t.cells.length !== r.data.length) throw new CircuitError(`internal: node '${node.name}' output ${k} has ${t.cells.length} cells, reference ${r.data.length}`);
        for (let j = 0; j < r.data.length; j++)
          if (t.cells[j]!.value !== BigInt(r.data[j]!))
            throw new CircuitError(`internal: node '${node.name}' (${node.op}) output ${k}[${j}]: circuit ${t.cells[j]!.value}, reference ${r.data[j]}`);
        tensors.set(name, t);
      });
      return ref;
    },
    (data, shape, isInt) => (isInt ? { shape, data, bits: 0, constFloat: data } : { shape, data: quantize(data, s), bits: s, constFloat: data }),
  );

  const pubs: ModelCircuit['publicOutputs'] = [];
  for (const o of graph.outputs) {
    let t = tensors.get(o.name);
    const c = graph.initializers[o.name];
    if (!t && c) {
      const d = c.dtype === 'float32' ? quantize(tensorValues(c), s) : c.data;
      t = { shape: [...c.shape], bits: c.dtype === 'float32' ? s : 0, cells: Array.from(d, (v) => b.constant(v)) };
    }
    if (!t) throw new CircuitError(`output '${o.name}' was not computed`);
    if (visibility.get(o.name) !== 'public') continue;
    publicOutputs(b, t.cells);
    publicLayout.push({ name: o.name, kind: 'output', shape: [...t.shape], offset: publicRows, length: t.cells.length });
    publicRows += t.cells.length;
    pubs.push({ name: o.name, shape: [...t.shape], values: t.cells.map((v) => Number(v.value)) });
  }

  const built = b.build(opts.k !== undefined ? { k: opts.k } : {});
  return {
    cs: built.cs,
    k: built.k,
    circuit: built.circuit,
    instances: built.instances,
    witness: built.witness,
    assignment: built.assignment,
    publicOutputs: pubs,
    publicLayout,
    stats: {
      rows: built.rows,
      advice: built.cs.advicePhases.length,
      fixed: built.cs.numFixed,
      lookups: built.cs.lookups.length,
      copies: built.circuit.copies.length,
    },
    params,
  };
}

/** Zero inputs of the model's declared shapes (symbolic dims as 1), at the model scale. */
export function zeroInputs(model: QuantizedModel): Record<string, QArr> {
  const out: Record<string, QArr> = {};
  for (const v of model.graph.inputs) {
    const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    out[v.name] = { shape, data: new Float64Array(size(shape)), bits: model.settings.scaleBits };
  }
  return out;
}

/**
 * Inputs spread over each input's calibrated range (seeded, deterministic), at the model scale: a sample
 * for laying out models whose reference fails on zeros (a runtime divisor, an 'error' table domain that
 * excludes the zero row).
 */
export function calibrationInputs(model: QuantizedModel, seed = 1): Record<string, QArr> {
  const out: Record<string, QArr> = {};
  let a = seed >>> 0;
  const rand = () => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return a / 2 ** 32;
  };
  for (const v of model.graph.inputs) {
    const shape = (v.shape ?? []).map((d) => (typeof d === 'number' ? d : 1));
    const [lo, hi] = model.settings.calibration[v.name] ?? [-1, 1];
    const data = Float64Array.from({ length: size(shape) }, () => lo + (hi - lo) * rand());
    out[v.name] = quantizeInput(v.name, { shape, data }, model.settings);
  }
  return out;
}

/**
 * A sample the model lays out on: zeros, else inputs over the calibrated ranges (the layout does not
 * depend on the values, so any sample the reference accepts will do). LoweringErrors are not retried.
 */
export function layoutInputs(model: QuantizedModel): Record<string, QArr> {
  let first: unknown;
  for (const sample of [() => zeroInputs(model), () => calibrationInputs(model, 1), () => calibrationInputs(model, 2)]) {
    const q = sample();
    try {
      evaluateIntQ(model, q);
      return q;
    } catch (e) {
      first ??= e;
    }
  }
  throw first;
}

/** Cost of the circuit (built on {@link layoutInputs}; the layout does not depend on the values). */
export function estimateModelCost(model: QuantizedModel, opts: CompileOptions = {}): CircuitStats & { k: number } {
  const c = buildModelCircuit(model, layoutInputs(model), opts);
  return { ...c.stats, k: c.k };
}
