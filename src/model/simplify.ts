/**
 * Graph rewriting after import, so every later stage sees a graph of supported, shape-static ops:
 * - Constant nodes become initializers; Identity/Dropout are removed (their consumers read the source);
 * - RNN / GRU / LSTM are unrolled over the static sequence into MatMul, Add, Sigmoid, Tanh, Mul, ...
 *   (unroll-rnn.ts);
 * - static shape inference from the input shapes (symbolic dims from `inputShapes`, else 1), with
 *   constant folding of every node whose inputs are all constant (Shape of a static shape counts as
 *   constant), which removes Shape/Gather/Unsqueeze/Concat/Cast chains that compute reshape targets;
 * - BatchNormalization folded into a preceding Conv or Gemm whose output only it reads;
 * - dead nodes and unused initializers dropped.
 * All unsupported ops are collected and reported in one UnsupportedOpError.
 */
import { InputError, ModelError, UnsupportedOpError } from '../graph/errors.ts';
import { uniquifyNodeNames, type Graph, type Node, type Tensor } from '../graph/ir.ts';
import { opDef } from '../layers/registry.ts';
import { bnAffine } from '../layers/batch-norm.ts';
import { fillValue } from '../layers/constant-of-shape.ts';
import { isRecurrent, unrollRecurrent } from './unroll-rnn.ts';
import type { OpInput } from '../layers/types.ts';

/** Options of {@link simplifyGraph}. */
export interface SimplifyOptions {
  /** Concrete shapes for inputs with symbolic dims (by input name); other symbolic dims become 1. */
  inputShapes?: Record<string, number[]>;
  /** File name for error messages. */
  file?: string;
}

/** Float64 view of an IR tensor's values. */
export function tensorValues(t: Tensor): Float64Array {
  return t.dtype === 'float32' ? Float64Array.from(t.data) : t.data;
}

function constantNodeValue(node: Node): Tensor {
  const a = node.attrs.value ?? node.attrs.value_float ?? node.attrs.value_floats ?? node.attrs.value_int ?? node.attrs.value_ints;
  if (!a) throw new ModelError(node.name, 'Constant without a supported value attribute');
  switch (a.type) {
    case 'tensor':
      return a.value;
    case 'float':
      return { dtype: 'float32', shape: [], data: Float32Array.of(a.value) };
    case 'floats':
      return { dtype: 'float32', shape: [a.value.length], data: Float32Array.from(a.value) };
    case 'int':
      return { dtype: 'int64', shape: [], data: Float64Array.of(a.value) };
    case 'ints':
      return { dtype: 'int64', shape: [a.value.length], data: Float64Array.from(a.value) };
    default:
      throw new ModelError(node.name, `Constant with ${a.type} value is not supported`);
  }
}

/** dtype of a folded node output: integer for shape computations, else follows the first input. */
function foldedDtype(node: Node, inputs: (Tensor | undefined)[]): Tensor['dtype'] {
  if (node.op === 'Shape' || node.op === 'ArgMax' || node.op === 'NonZero') return 'int64';
  if (node.op === 'ConstantOfShape') return fillValue(node).dtype;
  if (['Equal', 'Less', 'Greater'].includes(node.op)) return 'bool';
  if (node.op === 'Cast') {
    const to = node.attrs.to;
    const code = to && to.type === 'int' ? to.value : 1;
    return [1, 10, 11, 16].includes(code) ? 'float32' : code === 9 ? 'bool' : code === 6 ? 'int32' : 'int64';
  }
  const first = node.op === 'Where' ? inputs[1] : inputs[0];
  return first?.dtype ?? 'float32';
}

/** Resolves the static shape of each graph input. */
export function resolveInputShapes(graph: Graph, overrides: Record<string, number[]> = {}): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const v of graph.inputs) {
    const o = overrides[v.name];
    if (o) {
      if (v.shape && o.length !== v.shape.length) throw new InputError(v.name, `shape override [${o}] has rank ${o.length}, the model declares [${v.shape}]`);
      v.shape?.forEach((d, i) => {
        if (typeof d === 'number' && d !== o[i]) throw new InputError(v.name, `shape override [${o}] conflicts with the declared [${v.shape}]`);
      });
      out[v.name] = [...o];
    } else if (v.shape) out[v.name] = v.shape.map((d) => (typeof d === 'number' ? d : 1));
    else throw new InputError(v.name, 'the model does not declare its shape; pass an input shape');
  }
  return out;
}

/** Simplifies `graph` in place (see the file comment) and returns it with valueInfo holding every shape. */
export function simplifyGraph(graph: Graph, options: SimplifyOptions = {}): Graph {
  // Graphs built in code (not read from a file) get the reader's guarantee of unique node names too.
  const renamed = uniquifyNodeNames(graph.nodes, (n, i) => `${n.op}_${i}`);
  if (renamed.length > 0) graph.renamedNodes = [...(graph.renamedNodes ?? []), ...renamed];
  const consts = graph.initializers;
  const shapes: Record<string, number[]> = resolveInputShapes(graph, options.inputShapes);
  for (const [k, t] of Object.entries(consts)) shapes[k] = t.shape;
  const rename = new Map<string, string>();
  const src = (n: string): string => rename.get(n) ?? n;
  const graphOutputs = new Set(graph.outputs.map((o) => o.name));
  const kept: Node[] = [];
  const unsupported: { op: string; node: string }[] = [];
  const unknown = new Set<string>();

  // A worklist: recurrent nodes are replaced by their unrolled nodes, which are simplified in turn.
  const work = [...graph.nodes].reverse();
  while (work.length > 0) {
    const node = work.pop()!;
    node.inputs = node.inputs.map(src);
    if (isRecurrent(node)) {
      if (node.inputs.some((n) => n !== '' && unknown.has(n))) {
        // Downstream of an unsupported op: nothing to unroll against; that op is what gets reported.
        node.outputs.forEach((o) => unknown.add(o));
        kept.push(node);
        continue;
      }
      const u = unrollRecurrent(node, (n) => shapes[n], (n) => (consts[n] ? tensorValues(consts[n]!) : undefined));
      for (const [k, t] of Object.entries(u.initializers)) {
        consts[k] = t;
        shapes[k] = t.shape;
      }
      for (let i = u.nodes.length - 1; i >= 0; i--) work.push(u.nodes[i]!);
      continue;
    }
    if (node.op === 'Constant' && !node.domain) {
      const t = constantNodeValue(node);
      consts[node.outputs[0]!] = t;
      shapes[node.outputs[0]!] = t.shape;
      continue;
    }
    if ((node.op === 'Identity' || node.op === 'Dropout') && !node.domain && !graphOutputs.has(node.outputs[0]!)) {
      rename.set(node.outputs[0]!, node.inputs[0]!);
      continue;
    }
    const def = opDef(node.op, node.domain);
    if (!def) {
      unsupported.push({ op: node.domain ? `${node.domain}.${node.op}` : node.op, node: node.name });
      node.outputs.forEach((o) => unknown.add(o));
      kept.push(node);
      continue;
    }
    const present = node.inputs.map((n) => n !== '');
    if (node.inputs.some((n, i) => present[i] && unknown.has(n))) {
      node.outputs.forEach((o) => unknown.add(o));
      kept.push(node);
      continue;
    }
    for (const [i, n] of node.inputs.entries()) if (present[i] && !shapes[n]) throw new ModelError(node.name, `input '${n}' is not produced by any node, initializer or graph input`);
    const inShapes = node.inputs.map((n) => (n ? shapes[n]! : [0]));
    const inConsts = node.inputs.map((n) => (n && consts[n] ? tensorValues(consts[n]!) : undefined));
    const foldable = node.op === 'Shape' || node.inputs.every((n) => n === '' || consts[n]);
    if (foldable) {
      const inputs: OpInput[] = node.inputs.map((n, i) => ({ shape: inShapes[i]!, data: inConsts[i] ?? new Float64Array(0), bits: 0, constFloat: inConsts[i] }));
      const outs = def.float(node, inputs);
      const dtype = foldedDtype(node, node.inputs.map((n) => consts[n]));
      outs.forEach((o, k) => {
        const name = node.outputs[k];
        if (!name) return;
        consts[name] = dtype === 'float32' ? { dtype, shape: o.shape, data: Float32Array.from(o.data) } : { dtype, shape: o.shape, data: o.data };
        shapes[name] = o.shape;
      });
      continue;
    }
    const outShapes = def.shape(node, inShapes, inConsts);
    node.outputs.forEach((o, k) => {
      if (o && outShapes[k]) shapes[o] = outShapes[k]!;
    });
    kept.push(node);
  }
  if (unsupported.length) throw new UnsupportedOpError(unsupported, options.file);
  for (const o of graph.outputs) {
    const r = src(o.name);
    if (r !== o.name) {
      // A graph output that was an Identity of something else: re-point the producer.
      for (const n of kept) n.outputs = n.outputs.map((x) => (x === r ? o.name : x));
      for (const n of kept) n.inputs = n.inputs.map((x) => (x === r ? o.name : x));
      shapes[o.name] = shapes[r]!;
    }
  }
  graph.nodes = kept;
  foldBatchNorm(graph);
  pruneDead(graph);
  graph.valueInfo = {};
  for (const n of graph.nodes)
    for (const o of n.outputs) if (o && shapes[o]) graph.valueInfo[o] = { name: o, dtype: 'float32', shape: shapes[o]! };
  const inShapes = resolveInputShapes(graph, options.inputShapes);
  for (const v of graph.inputs) v.shape = inShapes[v.name]!;
  for (const o of graph.outputs) if (shapes[o.name]) o.shape = shapes[o.name]!;
  return graph;
}

/** Folds BatchNormalization into a preceding Conv / Gemm (transB either way) that only it consumes. */
function foldBatchNorm(graph: Graph): void {
  const uses = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  for (const o of graph.outputs) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
  const producer = new Map<string, Node>();
  for (const n of graph.nodes) for (const o of n.outputs) producer.set(o, n);
  const C = graph.initializers;
  graph.nodes = graph.nodes.filter((bn) => {
    if (bn.op !== 'BatchNormalization' || bn.outputs.filter((x) => x).length !== 1) return true;
    const prev = producer.get(bn.inputs[0]!);
    if (!prev || (prev.op !== 'Conv' && prev.op !== 'Gemm') || uses.get(bn.inputs[0]!) !== 1) return true;
    const p = bn.inputs.slice(1, 5).map((n) => C[n]);
    const w = C[prev.inputs[1]!];
    if (p.some((t) => !t) || !w || w.dtype !== 'float32') return true;
    if (prev.op === 'Gemm' && (prev.attrs.alpha || prev.attrs.beta || prev.attrs.transA)) return true;
    const { a, k } = bnAffine(bn, ...(p.map((t) => tensorValues(t!)) as [Float64Array, Float64Array, Float64Array, Float64Array]));
    const outC = a.length;
    // Conv weight [M, ...]: output channel is axis 0. Gemm B [K, N] (or [N, K] with transB): channel is N.
    const tB = prev.op === 'Gemm' && prev.attrs.transB?.type === 'int' && prev.attrs.transB.value === 1;
    const nw = new Float32Array(w.data.length);
    const per = w.data.length / outC;
    for (let i = 0; i < w.data.length; i++) {
      const ch = prev.op === 'Conv' || tB ? Math.floor(i / per) : i % outC;
      nw[i] = w.data[i]! * a[ch]!;
    }
    const oldB = prev.inputs[2] ? C[prev.inputs[2]] : undefined;
    const nb = new Float32Array(outC);
    for (let c = 0; c < outC; c++) nb[c] = (oldB ? tensorValues(oldB)[oldB.data.length === 1 ? 0 : c]! : 0) * a[c]! + k[c]!;
    const wName = `${prev.name}__bn_w`;
    const bName = `${prev.name}__bn_b`;
    C[wName] = { dtype: 'float32', shape: [...w.shape], data: nw };
    C[bName] = { dtype: 'float32', shape: [outC], data: nb };
    prev.inputs = [prev.inputs[0]!, wName, bName];
    prev.outputs = [bn.outputs[0]!];
    return false;
  });
}

/** Drops nodes whose outputs reach no graph output, and initializers no node reads. */
function pruneDead(graph: Graph): void {
  const live = new Set(graph.outputs.map((o) => o.name));
  const keep: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const n = graph.nodes[i]!;
    if (n.outputs.some((o) => live.has(o))) {
      keep.push(n);
      for (const x of n.inputs) if (x) live.add(x);
    }
  }
  graph.nodes = keep.reverse();
  for (const k of Object.keys(graph.initializers)) if (!live.has(k)) delete graph.initializers[k];
}
