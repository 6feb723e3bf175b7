/**
 * zkml msgpack models → the graph IR (ONNX op vocabulary), plus zkml's circuit settings.
 *
 * Layout. zkml tensors are TFLite tensors: NHWC activations, OHWI conv weights, [1,H,W,C·m] depthwise
 * weights. We keep every zkml tensor in its own layout and shape — value `t<idx>` of the graph holds exactly
 * zkml's tensor idx, so zkml input files feed the graph unchanged and outputs compare element by element —
 * and wrap each spatial op (Conv2D, pools) in Transpose(NHWC→NCHW) … Transpose(NCHW→NHWC). Constant
 * weights are permuted at import time to ONNX's OIHW. The Transposes are pure data movement (copy
 * constraints, no rows); back-to-back pairs cancel in later graph passes.
 *
 * Values. zkml stores `round(v · global_sf)`; we import reals `data / global_sf` (exact in float32 for a
 * power-of-two scale and |data| < 2^24) and report the scale in the settings, so quantizing again at the
 * same scale reproduces zkml's integers. Operand tensors that TFLite keeps as INT32 (Reshape shapes, Pad
 * amounts, Split axes) are not data and are not imported: their meaning is in `params` / `out_shapes`.
 *
 * Semantics follow ddkang/zkml `src/layers/*` (see shared/reference/zkml.md §3), with its bugs fixed where
 * the intent is clear: TF SAME padding uses each axis's own stride. Rounding details (zkml's round-half-up
 * division) are the quantizer's business, not the graph's.
 */
import { attr, intTensor, floatTensor, numel, type Attr, type Graph, type Tensor, type FloatTensor, type IntTensor } from '../ir.ts';
import { FormatError } from '../../errors.ts';
import { UnsupportedOpError } from '../errors.ts';
import { parseZkmlInput, parseZkmlModel, type ZkmlLayer, type ZkmlModelFile, type ZkmlTensor } from './format.ts';

/** zkml's circuit settings, carried beside the graph. */
export interface ZkmlSettings {
  /** `global_sf`: every zkml tensor holds round(v · scale). */
  scale: number;
  /** log2(scale) when the scale is a power of two (it is in every published zkml model), else null. */
  scaleBits: number | null;
  k: number;
  numCols: number;
  useSelectors: boolean;
  /** Tensor-id groups committed before / after the DAG; `commit` = the file asked for commitments at all. */
  commitBefore: number[][];
  commitAfter: number[][];
  commit: boolean;
  bitsPerElem: number;
  numRandom: number;
  /** zkml's table domain [−2^(k−1), 2^(k−1) − 10] (integers at the scale). */
  minVal: number;
  maxVal: number;
}

export interface ZkmlImport {
  graph: Graph;
  settings: ZkmlSettings;
}

/** Graph value name of zkml tensor idx. */
export const zkmlValueName = (idx: number): string => `t${idx}`;

const NHWC_TO_NCHW = [0, 3, 1, 2];
const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Builds the graph while walking zkml's layers. */
class Builder {
  readonly graph: Graph;
  private counter = 0;
  constructor(
    name: string,
    private readonly model: ZkmlModelFile,
    private readonly path: string,
  ) {
    this.graph = { name, inputs: [], outputs: [], nodes: [], initializers: {}, valueInfo: {}, opset: 13 };
  }

  fresh(prefix: string): string {
    return `${prefix}__${this.counter++}`;
  }

  node(op: string, name: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs?: string[]): string[] {
    const outs = outputs ?? [this.fresh(`${name}_${op.toLowerCase()}`)];
    this.graph.nodes.push({ op, name: this.fresh(name), inputs, outputs: outs, attrs });
    return outs;
  }

  /** One-output node. */
  op(op: string, name: string, inputs: string[], attrs: Record<string, Attr> = {}, output?: string): string {
    return this.node(op, name, inputs, attrs, output ? [output] : undefined)[0] as string;
  }

  const(prefix: string, t: Tensor): string {
    const name = this.fresh(prefix);
    this.graph.initializers[name] = t;
    return name;
  }

  scalar(prefix: string, v: number): string {
    return this.const(prefix, floatTensor([], [v]));
  }

  ints(prefix: string, values: number[]): string {
    return this.const(prefix, intTensor([values.length], values));
  }

  fail(msg: string): never {
    throw new FormatError(this.path, msg);
  }
}

/** Permutes a row-major tensor's data: out[i_perm] = in[i]. */
function permuteData(data: ArrayLike<number>, shape: readonly number[], perm: readonly number[]): { data: Float32Array; shape: number[] } {
  const outShape = perm.map((p) => shape[p] as number);
  const rank = shape.length;
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = (inStrides[i + 1] as number) * (shape[i + 1] as number);
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) src += (idx[d] as number) * (inStrides[perm[d] as number] as number);
    out[o] = data[src] as number;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (outShape[d] as number)) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** TF 'SAME' padding for one spatial axis: [before, after]. */
function samePads(size: number, k: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** Layer types this importer translates (zkml's `match_layer` names plus common aliases). */
export const ZKML_LAYER_TYPES: readonly string[] = [
  'Add', 'AveragePool2D', 'BatchMatMul', 'Broadcast', 'Concatenation', 'Conv2D', 'DepthwiseConv2D', 'Div', 'DivVar',
  'Exp', 'FullyConnected', 'Gather', 'GELU', 'Log', 'Logistic', 'MaskNegInf', 'MaxPool2D', 'Mean', 'Mul', 'Noop',
  'Pack', 'Pad', 'Permute', 'Pow', 'ReLU', 'ReLU6', 'Reshape', 'ResizeNearestNeighbor', 'Rotate', 'Rsqrt', 'Sin',
  'Cos', 'Slice', 'Softmax', 'Split', 'Sqrt', 'Square', 'SquaredDifference', 'Squeeze', 'Sub', 'Tanh', 'Transpose',
];

/**
 * Imports a parsed zkml model. Throws FormatError for dangling tensor references or inconsistent shapes and
 * UnsupportedOpError listing every layer it cannot translate (e.g. Update, unknown names).
 */
export function importZkmlModel(model: ZkmlModelFile, path: string): ZkmlImport {
  const b = new Builder(path.replace(/^.*[\\/]/, '').replace(/\.msgpack$/, '') || 'zkml', model, path);
  const unsupported: { op: string; node: string }[] = [];
  const known = new Set(ZKML_LAYER_TYPES);
  model.layers.forEach((l, i) => {
    if (!known.has(l.layerType)) unsupported.push({ op: l.layerType, node: `layer ${i}` });
    else if (l.layerType === 'Conv2D' && ![0, 1, 2, 3, 4].includes(l.params[2] ?? 0)) unsupported.push({ op: `Conv2D(activation ${l.params[2]})`, node: `layer ${i}` });
  });
  if (unsupported.length > 0) throw new UnsupportedOpError(unsupported, path);

  const tensors = new Map<number, ZkmlTensor>(model.tensors.map((t) => [t.idx, t]));
  const shapes = new Map<number, number[]>();
  const defined = new Set<string>();
  const minVal = -(2 ** (model.k - 1));
  const maxVal = 2 ** (model.k - 1) - 10;

  // Graph inputs: zkml's inp_idxes that are not stored in the model, shaped by their first consumer.
  for (const idx of model.inpIdxes) {
    if (tensors.has(idx)) continue;
    const consumer = model.layers.find((l) => l.inpIdxes.includes(idx));
    if (!consumer) throw new FormatError(path, `input tensor ${idx} is not read by any layer`);
    const shape = [...(consumer.inpShapes[consumer.inpIdxes.indexOf(idx)] as number[])];
    b.graph.inputs.push({ name: zkmlValueName(idx), dtype: 'float32', shape });
    shapes.set(idx, shape);
    defined.add(zkmlValueName(idx));
  }

  /** The graph value holding zkml tensor idx as reals; model tensors become initializers on first use. */
  const data = (layer: number, idx: number): string => {
    const name = zkmlValueName(idx);
    if (defined.has(name)) return name;
    const t = tensors.get(idx);
    if (!t) throw new FormatError(path, `layer ${layer} (${model.layers[layer]?.layerType}) reads tensor ${idx}, which is neither a model tensor, an input nor an earlier layer's output`);
    b.graph.initializers[name] = floatTensor([...t.shape], t.data.map((v) => v / model.globalSf));
    shapes.set(idx, [...t.shape]);
    defined.add(name);
    return name;
  };

  /** A constant weight in another layout: permuted at import time (or by a Transpose node if not constant). */
  const permutedWeight = (layer: number, idx: number, perm: number[], nodeName: string): string => {
    const t = tensors.get(idx);
    if (!t || defined.has(zkmlValueName(idx))) return b.op('Transpose', nodeName, [data(layer, idx)], { perm: attr.ints(perm) });
    const p = permuteData(t.data.map((v) => v / model.globalSf), t.shape, perm);
    return b.const(`${zkmlValueName(idx)}_perm`, { dtype: 'float32', shape: p.shape, data: p.data });
  };

  /** TFLite fused activation (None=0, Relu=1, ReluN1To1=2, Relu6=3, Tanh=4). */
  const activation = (x: string, act: number, name: string, out?: string): string => {
    switch (act) {
      case 0:
        return out ? b.op('Identity', name, [x], {}, out) : x;
      case 1:
        return b.op('Relu', name, [x], {}, out);
      case 2:
        return b.op('Clip', name, [x, b.scalar('minus_one', -1), b.scalar('one', 1)], {}, out);
      case 3:
        return b.op('Clip', name, [x, b.scalar('zero', 0), b.scalar('six', 6)], {}, out);
      case 4:
        return b.op('Tanh', name, [x], {}, out);
      default:
        return b.fail(`${name}: activation ${act} is not supported`);
    }
  };

  /** Boolean mask from zkml's `[ndim, shape..., values...]` params. */
  const maskTensor = (name: string, params: readonly number[]): string => {
    const ndim = params[0] ?? 0;
    const shape = params.slice(1, 1 + ndim);
    const values = params.slice(1 + ndim);
    if (values.length !== numel(shape)) b.fail(`${name}: mask holds ${values.length} values for shape [${shape}]`);
    return b.const(`${name}_mask`, intTensor(shape, values.map((v) => (v !== 0 ? 1 : 0)), 'bool'));
  };

  model.layers.forEach((l, i) => {
    const name = `${l.layerType}_${i}`;
    const outs = l.outIdxes.map(zkmlValueName);
    const out0 = outs[0] as string;
    const inShape = (j: number): number[] => [...((l.inpShapes[j] ?? b.fail(`${name}: missing input shape ${j}`)) as number[])];
    const outShape = (j: number): number[] => [...((l.outShapes[j] ?? b.fail(`${name}: missing output shape ${j}`)) as number[])];
    const x = (j: number): string => data(i, l.inpIdxes[j] ?? b.fail(`${name}: missing input ${j}`));
    const p = l.params;
    translateLayer(l, i, name, outs, out0, inShape, outShape, x, p);
    l.outIdxes.forEach((idx, j) => {
      shapes.set(idx, outShape(j));
      defined.add(zkmlValueName(idx));
      b.graph.valueInfo[zkmlValueName(idx)] = { name: zkmlValueName(idx), dtype: 'float32', shape: outShape(j) };
    });
  });

  function translateLayer(
    l: ZkmlLayer,
    i: number,
    name: string,
    outs: string[],
    out0: string,
    inShape: (j: number) => number[],
    outShape: (j: number) => number[],
    x: (j: number) => string,
    p: readonly number[],
  ): void {
    const nchw = (v: string): string => b.op('Transpose', `${name}_to_nchw`, [v], { perm: attr.ints(NHWC_TO_NCHW) });
    const nhwc = (v: string, out: string): string => b.op('Transpose', `${name}_to_nhwc`, [v], { perm: attr.ints(NCHW_TO_NHWC) }, out);
    switch (l.layerType) {
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const depthwise = l.layerType === 'DepthwiseConv2D' || p[0] === 1;
        const [, h, w, c] = inShape(0) as [number, number, number, number];
        const ws = inShape(1);
        const [kh, kw] = [ws[1] as number, ws[2] as number];
        const [sh, sw] = [p[3] ?? 1, p[4] ?? 1];
        const same = (p[1] ?? 1) === 0;
        const [pt, pb] = same ? samePads(h, kh, sh) : [0, 0];
        const [pl, pr] = same ? samePads(w, kw, sw) : [0, 0];
        // OHWI → OIHW; depthwise [1,H,W,C·m] → [C·m,1,H,W] with group = C.
        const weight = permutedWeight(i, l.inpIdxes[1] as number, depthwise ? [3, 0, 1, 2] : [0, 3, 1, 2], `${name}_weight`);
        const inputs = [nchw(x(0)), weight, ...(l.inpIdxes.length > 2 ? [x(2)] : [])];
        const conv = b.op('Conv', name, inputs, {
          kernel_shape: attr.ints([kh, kw]),
          strides: attr.ints([sh, sw]),
          pads: attr.ints([pt, pl, pb, pr]),
          group: attr.int(depthwise ? c : 1),
        });
        nhwc(activation(conv, p[2] ?? 0, `${name}_act`), out0);
        return;
      }
      case 'FullyConnected': {
        const xs = inShape(0);
        const k = xs[xs.length - 1] as number;
        const x2 = xs.length === 2 ? x(0) : b.op('Reshape', `${name}_flatten`, [x(0), b.ints('shape', [-1, k])]);
        const gemm = b.op('Gemm', name, [x2, x(1), ...(l.inpIdxes.length > 2 ? [x(2)] : [])], { transB: attr.int(1) });
        const os = outShape(0);
        const act = activation(gemm, p[0] ?? 0, `${name}_act`, os.length === 2 ? out0 : undefined);
        if (os.length !== 2) b.op('Reshape', `${name}_reshape`, [act, b.ints('shape', os)], {}, out0);
        else if (act !== out0) b.op('Identity', `${name}_out`, [act], {}, out0);
        return;
      }
      case 'BatchMatMul': {
        const lastTwo = (r: number): number[] => [...Array(r - 2).keys(), r - 1, r - 2];
        const a = p[0] === 1 ? b.op('Transpose', `${name}_adj_x`, [x(0)], { perm: attr.ints(lastTwo(inShape(0).length)) }) : x(0);
        const bb = p[1] === 1 ? b.op('Transpose', `${name}_adj_y`, [x(1)], { perm: attr.ints(lastTwo(inShape(1).length)) }) : x(1);
        b.op('MatMul', name, [a, bb], {}, out0);
        return;
      }
      case 'AveragePool2D':
      case 'MaxPool2D': {
        const pool = b.op(l.layerType === 'MaxPool2D' ? 'MaxPool' : 'AveragePool', name, [nchw(x(0))], {
          kernel_shape: attr.ints([p[0] ?? 1, p[1] ?? 1]),
          strides: attr.ints([p[2] ?? 1, p[3] ?? 1]),
        });
        nhwc(pool, out0);
        return;
      }
      case 'Add':
        activation(b.op('Add', name, [x(0), x(1)]), p[0] ?? 0, `${name}_act`, out0);
        return;
      case 'Sub':
      case 'Mul':
        b.op(l.layerType, name, [x(0), x(1)], {}, out0);
        return;
      case 'DivVar':
        b.op('Div', name, [x(0), x(1)], {}, out0);
        return;
      case 'Div': // zkml DivFixed: divide by the integer params[0] (not a scaled value)
        b.op('Div', name, [x(0), b.scalar('divisor', p[0] ?? b.fail(`${name}: missing divisor`))], {}, out0);
        return;
      case 'Square':
        b.op('Mul', name, [x(0), x(0)], {}, out0);
        return;
      case 'SquaredDifference': {
        const d = b.op('Sub', `${name}_diff`, [x(0), x(1)]);
        b.op('Mul', name, [d, d], {}, out0);
        return;
      }
      case 'Sqrt':
      case 'Rsqrt': {
        // mask = (flat index, ±1) pairs: that input element is replaced by max_val / min_val first.
        let v = x(0);
        if (l.mask.length > 0) {
          const shape = inShape(0);
          const sel = new Float64Array(numel(shape));
          const repl = new Float32Array(numel(shape));
          for (let m = 0; m + 1 < l.mask.length; m += 2) {
            const at = l.mask[m] as number;
            if (at < 0 || at >= sel.length) b.fail(`${name}: mask index ${at} outside the input`);
            sel[at] = 1;
            repl[at] = ((l.mask[m + 1] as number) > 0 ? maxVal : minVal) / model.globalSf;
          }
          v = b.op('Where', `${name}_mask`, [b.const(`${name}_sel`, { dtype: 'bool', shape, data: sel }), b.const(`${name}_repl`, { dtype: 'float32', shape, data: repl }), v]);
        }
        if (l.layerType === 'Sqrt') b.op('Sqrt', name, [v], {}, out0);
        else b.op('Reciprocal', `${name}_recip`, [b.op('Sqrt', name, [v])], {}, out0);
        return;
      }
      case 'Logistic':
        b.op('Sigmoid', name, [x(0)], {}, out0);
        return;
      case 'Tanh':
      case 'Exp':
      case 'Log':
      case 'Sin':
      case 'Cos':
        b.op(l.layerType, name, [x(0)], {}, out0);
        return;
      case 'ReLU':
        b.op('Relu', name, [x(0)], {}, out0);
        return;
      case 'ReLU6':
        activation(x(0), 3, name, out0);
        return;
      case 'GELU': {
        // 0.5·x·(1 + erf(x/√2)), the exact GELU (what opset-20 Gelu and PyTorch's default compute).
        const erf = b.op('Erf', `${name}_erf`, [b.op('Div', `${name}_scale`, [x(0), b.scalar('sqrt2', Math.SQRT2)])]);
        const half = b.op('Mul', `${name}_half`, [x(0), b.scalar('half', 0.5)]);
        b.op('Mul', name, [half, b.op('Add', `${name}_one_plus`, [erf, b.scalar('one', 1)])], {}, out0);
        return;
      }
      case 'Pow': // zkml's table is hard-coded to the cube
        b.op('Pow', name, [x(0), b.scalar('exponent', 3)], {}, out0);
        return;
      case 'Softmax': {
        // A mask (inherited from MaskNegInf) excludes positions: they behave as −∞ and output exactly 0.
        if (p.length === 0) {
          b.op('Softmax', name, [x(0)], { axis: attr.int(-1) }, out0);
          return;
        }
        const mask = maskTensor(name, p);
        const masked = b.op('Where', `${name}_mask_in`, [mask, b.scalar('min_val', minVal / model.globalSf), x(0)]);
        const sm = b.op('Softmax', name, [masked], { axis: attr.int(-1) });
        b.op('Where', `${name}_mask_out`, [mask, b.scalar('zero', 0), sm], {}, out0);
        return;
      }
      case 'MaskNegInf':
        b.op('Where', name, [maskTensor(name, p), b.scalar('min_val', minVal / model.globalSf), x(0)], {}, out0);
        return;
      case 'Mean': {
        const keep = outShape(0).length === inShape(0).length ? 1 : 0;
        b.op('ReduceMean', name, [x(0)], { axes: attr.ints([...p]), keepdims: attr.int(keep) }, out0);
        return;
      }
      case 'Reshape':
      case 'Squeeze':
        b.op('Reshape', name, [x(0), b.ints('shape', outShape(0))], {}, out0);
        return;
      case 'Broadcast':
        b.op('Expand', name, [x(0), b.ints('shape', outShape(0))], {}, out0);
        return;
      case 'Transpose': {
        const rank = inShape(0).length;
        const perm = p.length === 2 * rank ? p.slice(rank) : p.length === rank ? [...p] : b.fail(`${name}: expected in_shape ++ perm params`);
        b.op('Transpose', name, [x(0)], { perm: attr.ints(perm) }, out0);
        return;
      }
      case 'Permute':
        b.op('Transpose', name, [x(0)], { perm: attr.ints([...p]) }, out0);
        return;
      case 'Concatenation':
        b.op('Concat', name, l.inpIdxes.map((_, j) => x(j)), { axis: attr.int(p[0] ?? 0) }, out0);
        return;
      case 'Pack': {
        const axis = p[0] ?? 0;
        const parts = l.inpIdxes.map((_, j) => b.op('Unsqueeze', `${name}_unsqueeze`, [x(j), b.ints('axes', [axis])]));
        b.op('Concat', name, parts, { axis: attr.int(axis) }, out0);
        return;
      }
      case 'Split': {
        // TFLite SPLIT: input 0 is the axis tensor, input 1 the data; params = [axis, num_splits].
        const axis = p[0] ?? 0;
        const n = p[1] ?? outs.length;
        const dataShape = inShape(1);
        const len = Math.floor((dataShape[axis < 0 ? axis + dataShape.length : axis] as number) / n);
        b.node('Split', name, [x(1), b.ints('split', new Array<number>(n).fill(len))], { axis: attr.int(axis) }, outs);
        return;
      }
      case 'Slice': {
        const rank = p.length / 2;
        const shape = inShape(0);
        const starts = p.slice(0, rank);
        const ends = p.slice(rank).map((size, d) => (size === -1 ? (shape[d] as number) : (starts[d] as number) + size));
        b.op('Slice', name, [x(0), b.ints('starts', starts), b.ints('ends', ends), b.ints('axes', [...Array(rank).keys()])], {}, out0);
        return;
      }
      case 'Pad': {
        const pairs = p.length / 2;
        const pads = [...Array(pairs).keys()].map((d) => p[2 * d] as number).concat([...Array(pairs).keys()].map((d) => p[2 * d + 1] as number));
        b.op('Pad', name, [x(0), b.ints('pads', pads)], { mode: attr.string('constant') }, out0);
        return;
      }
      case 'ResizeNearestNeighbor':
        // zkml reads source index floor(o · in / out): ONNX asymmetric coordinates with floor rounding.
        b.op('Resize', name, [x(0), '', '', b.ints('sizes', outShape(0))], {
          mode: attr.string('nearest'),
          coordinate_transformation_mode: attr.string('asymmetric'),
          nearest_mode: attr.string('floor'),
        }, out0);
        return;
      case 'Rotate': {
        const shape = inShape(0);
        const axes = [...p];
        b.op('Slice', name, [
          x(0),
          b.ints('starts', axes.map((a) => (shape[a] as number) - 1)),
          b.ints('ends', axes.map((a) => -(shape[a] as number) - 1)),
          b.ints('axes', axes),
          b.ints('steps', axes.map(() => -1)),
        ], {}, out0);
        return;
      }
      case 'Gather': // zkml: rows params[..] of a 2-D [size, batch] input
        b.op('Gather', name, [x(0), b.const(`${name}_indices`, intTensor([p.length], [...p]))], { axis: attr.int(0) }, out0);
        return;
      case 'Noop':
        b.op('Identity', name, [x(p[0] ?? 0)], {}, out0);
        return;
      default:
        b.fail(`${name}: no translation for layer type ${l.layerType}`);
    }
  }

  // Outputs: zkml's out_idxes, or (zkml exposes nothing then) the last layer's outputs.
  const lastLayer = model.layers[model.layers.length - 1];
  const outIdxes = model.outIdxes.length > 0 ? model.outIdxes : (lastLayer?.outIdxes ?? []);
  for (const idx of outIdxes) {
    const shape = shapes.get(idx);
    if (!shape) throw new FormatError(path, `output tensor ${idx} is not produced by any layer`);
    b.graph.outputs.push({ name: zkmlValueName(idx), dtype: 'float32', shape });
  }
  const scaleBits = Number.isInteger(Math.log2(model.globalSf)) ? Math.log2(model.globalSf) : null;
  return {
    graph: b.graph,
    settings: {
      scale: model.globalSf,
      scaleBits,
      k: model.k,
      numCols: model.numCols,
      useSelectors: model.useSelectors,
      commitBefore: model.commitBefore.map((g) => [...g]),
      commitAfter: model.commitAfter.map((g) => [...g]),
      commit: model.commit || model.commitBefore.length > 0 || model.commitAfter.length > 0,
      bitsPerElem: model.bitsPerElem ?? model.k,
      numRandom: model.numRandom ?? 20001,
      minVal,
      maxVal,
    },
  };
}

/** Reads a zkml msgpack model file into the graph IR plus zkml's settings. */
export function importZkmlMsgpack(bytes: Uint8Array, path: string): ZkmlImport {
  return importZkmlModel(parseZkmlModel(bytes, path), path);
}

/** Tensors of a zkml input file, keyed by graph value name (`t<idx>`). */
export interface ZkmlInputs {
  /** Reals `data / scale`, ready for the float evaluator / onnxruntime. */
  values: Record<string, FloatTensor>;
  /** The file's integers as stored (already at zkml's scale). */
  quantized: Record<string, IntTensor>;
}

/** Reads a zkml msgpack input file (a bare tensor list); `scale` is the model's global_sf. */
export function importZkmlInput(bytes: Uint8Array, path: string, scale: number): ZkmlInputs {
  const out: ZkmlInputs = { values: {}, quantized: {} };
  for (const t of parseZkmlInput(bytes, path)) {
    const name = zkmlValueName(t.idx);
    if (out.values[name]) throw new FormatError(path, `tensor ${t.idx} appears twice`);
    out.values[name] = floatTensor([...t.shape], t.data.map((v) => v / scale));
    out.quantized[name] = intTensor([...t.shape], t.data);
  }
  return out;
}
