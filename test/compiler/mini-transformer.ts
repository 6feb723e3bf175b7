/**
 * A transformer block shaped like examples/generated/tiny_transformer.onnx, small enough to prove in a
 * test: pre-LN attention (Q/K/V MatMul + bias, Reshape/Transpose into heads, Q·Kᵀ, Mul by 1/√hd, Softmax,
 * ·V, merge heads, output projection, residual Add), pre-LN GELU(Erf) MLP with residual, final LayerNorm.
 */
import { attr, floatTensor, intTensor, type Graph, type Node } from '../../src/graph/ir.ts';
import { randoms } from './lowering-helpers.ts';

export function miniTransformer(opts: { tokens: number; dim: number; heads: number; hidden: number; layers: number; seed?: number }): Graph {
  const { tokens: T, dim: D, heads: H, hidden: F, layers } = opts;
  const HD = D / H;
  const rand = randoms(opts.seed ?? 7);
  const inits: Graph['initializers'] = {
    heads: intTensor([4], [1, T, H, HD]),
    merged: intTensor([3], [1, T, D]),
    scale: floatTensor([], [1 / Math.sqrt(HD)]),
    half: floatTensor([], [0.5]),
    sqrt2: floatTensor([], [Math.SQRT2]),
    one: floatTensor([], [1]),
  };
  const nodes: Node[] = [];
  let id = 0;
  const node = (op: string, inputs: string[], attrs: Node['attrs'] = {}, out?: string): string => {
    const o = out ?? `${op.toLowerCase()}_${id++}`;
    nodes.push({ op, name: `n_${o}`, inputs, outputs: [o], attrs });
    return o;
  };
  const constant = (name: string, shape: number[], values: number[]): string => {
    const n = `${name}_${id++}`;
    inits[n] = floatTensor(shape, values);
    return n;
  };
  const layerNorm = (x: string, out?: string) =>
    node('LayerNormalization', [x, constant('ln_g', [D], rand(D, 0.9, 1.1)), constant('ln_b', [D], rand(D, -0.05, 0.05))], { axis: attr.int(-1), epsilon: attr.float(1e-5) }, out);
  const linear = (x: string, din: number, dout: number, gain = 1) => {
    const lim = gain * Math.sqrt(3 / din);
    const y = node('MatMul', [x, constant('w', [din, dout], rand(din * dout, -lim, lim))]);
    return node('Add', [y, constant('b', [dout], rand(dout, -0.02, 0.02))]);
  };
  const split = (x: string, perm: number[]) => node('Transpose', [node('Reshape', [x, 'heads'])], { perm: attr.ints(perm) });
  let x = 'x';
  for (let l = 0; l < layers; l++) {
    const h = layerNorm(x);
    const q = split(linear(h, D, D), [0, 2, 1, 3]);
    const kT = split(linear(h, D, D), [0, 2, 3, 1]);
    const v = split(linear(h, D, D), [0, 2, 1, 3]);
    const scores = node('Mul', [node('MatMul', [q, kT]), 'scale']);
    const attn = node('MatMul', [node('Softmax', [scores], { axis: attr.int(-1) }), v]);
    const ctx = node('Reshape', [node('Transpose', [attn], { perm: attr.ints([0, 2, 1, 3]) }), 'merged']);
    x = node('Add', [x, linear(ctx, D, D)]);
    const m = linear(layerNorm(x), D, F);
    const gelu = node('Mul', [node('Mul', [m, 'half']), node('Add', [node('Erf', [node('Div', [m, 'sqrt2'])]), 'one'])]);
    x = node('Add', [x, linear(gelu, F, D, 0.5)]);
  }
  layerNorm(x, 'y');
  return {
    name: 'mini_transformer',
    opset: 17,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, T, D] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, T, D] }],
    initializers: inits,
    nodes,
    valueInfo: {},
  };
}
