/**
 * RNN, GRU and LSTM unrolled on import into ops the rest of the system already proves: per time step a
 * Gather of x_t, MatMuls with the (transposed, constant) weights, Adds, Split into gates, Sigmoid / Tanh /
 * Relu, Mul, Sub; the outputs Y, Y_h (and Y_c) by Unsqueeze and Concat. The ONNX equations (operator docs),
 * per direction, gates in ONNX order:
 *   RNN   H_t = f(X_t·Wᵀ + H_{t−1}·Rᵀ + Wb + Rb)
 *   GRU   z, r = σ(X_t·W_{z,r}ᵀ + H_{t−1}·R_{z,r}ᵀ + Wb + Rb)
 *         h = g(X_t·W_hᵀ + (r ⊙ H_{t−1})·R_hᵀ + Rb_h + Wb_h)     (linear_before_reset = 0)
 *         h = g(X_t·W_hᵀ + r ⊙ (H_{t−1}·R_hᵀ + Rb_h) + Wb_h)     (linear_before_reset = 1)
 *         H_t = (1 − z) ⊙ h + z ⊙ H_{t−1}
 *   LSTM  i, o, f, c: i = σ(… + P_i ⊙ C_{t−1}), f = σ(… + P_f ⊙ C_{t−1}), c = g(…),
 *         C_t = f ⊙ C_{t−1} + i ⊙ c,  o = σ(… + P_o ⊙ C_t),  H_t = o ⊙ h(C_t)
 * Supported: directions forward / reverse / bidirectional, initial_h (initial_c, peepholes P), activations
 * among Sigmoid, Tanh and Relu, layout 0. Weights must be constant; sequence_lens, when given, must be the
 * full length for every batch entry; clip and input_forget are refused. Everything else is a ModelError
 * naming the node.
 */
import { ModelError } from '../graph/errors.ts';
import type { Node, Tensor } from '../graph/ir.ts';
import { attr } from '../graph/ir.ts';
import { attrInt, attrString } from '../layers/attrs.ts';

/** The unrolled nodes and the constant tensors they read. */
export interface Unrolled {
  nodes: Node[];
  initializers: Record<string, Tensor>;
}

const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

/** True for the recurrent ops this file unrolls. */
export const isRecurrent = (node: Node): boolean => !node.domain && node.op in GATES;

function activations(node: Node, dirs: number): string[] {
  const a = node.attrs['activations'];
  const defaults = node.op === 'RNN' ? ['Tanh'] : node.op === 'GRU' ? ['Sigmoid', 'Tanh'] : ['Sigmoid', 'Tanh', 'Tanh'];
  let list: string[];
  if (!a) list = Array.from({ length: dirs }, () => defaults).flat();
  else if (a.type !== 'strings') throw new ModelError(node.name, `attribute activations must be a list of strings, got ${a.type}`);
  else list = a.value;
  if (list.length !== defaults.length * dirs) throw new ModelError(node.name, `${node.op} needs ${defaults.length * dirs} activations, got ${list.length}`);
  for (const f of list) if (!['Sigmoid', 'Tanh', 'Relu'].includes(f)) throw new ModelError(node.name, `${node.op} activation ${f} is not supported (Sigmoid, Tanh, Relu)`);
  return list;
}

/**
 * Unrolls recurrent `node` whose inputs have the given shapes and (where constant) values. `consts` maps
 * input names to float values; X must have a static shape [seq, batch, input].
 */
export function unrollRecurrent(node: Node, shapeOf: (name: string) => number[] | undefined, constOf: (name: string) => Float64Array | undefined): Unrolled {
  const fail = (why: string): never => {
    throw new ModelError(node.name, why);
  };
  const G = GATES[node.op]!;
  const [xName, wName, rName, bName = '', lensName = '', h0Name = '', c0Name = '', pName = ''] = node.inputs;
  if (attrInt(node, 'layout', 0) !== 0) fail(`${node.op} layout 1 is not supported`);
  if (node.attrs['clip']) fail(`${node.op} clip is not supported`);
  if (attrInt(node, 'input_forget', 0) !== 0) fail('LSTM input_forget is not supported');
  const direction = attrString(node, 'direction', 'forward');
  if (!['forward', 'reverse', 'bidirectional'].includes(direction)) fail(`unknown direction ${direction}`);
  const dirs = direction === 'bidirectional' ? 2 : 1;
  const xs = shapeOf(xName!) ?? fail('X has no static shape');
  if (xs.length !== 3) fail(`X must be [seq, batch, input], got [${xs}]`);
  const [T, N, I] = xs as [number, number, number];
  const W = constOf(wName!) ?? fail('W must be constant');
  const R = constOf(rName!) ?? fail('R must be constant');
  const H = attrInt(node, 'hidden_size', shapeOf(rName!)?.[2] ?? 0);
  if (W.length !== dirs * G * H * I || R.length !== dirs * G * H * H) fail(`W/R sizes do not match ${dirs} direction(s), ${G} gate(s), hidden ${H}, input ${I}`);
  const B = bName ? (constOf(bName) ?? fail('B must be constant')) : new Float64Array(dirs * 2 * G * H);
  if (B.length !== dirs * 2 * G * H) fail(`B has ${B.length} values, expected ${dirs * 2 * G * H}`);
  if (lensName) {
    const lens = constOf(lensName) ?? fail('sequence_lens must be constant');
    if (lens.some((l) => l !== T)) fail(`sequence_lens [${Array.from(lens)}] shorter than the sequence (${T}) is not supported`);
  }
  const P = pName ? (constOf(pName) ?? fail('P must be constant')) : undefined;
  const acts = activations(node, dirs);
  const lbr = attrInt(node, 'linear_before_reset', 0) === 1;

  const nodes: Node[] = [];
  const inits: Record<string, Tensor> = {};
  let k = 0;
  const fresh = (what: string): string => `${node.name}::${what}${k++}`;
  const init = (what: string, shape: number[], data: ArrayLike<number>, int = false): string => {
    const n = fresh(what);
    inits[n] = int ? { dtype: 'int64', shape, data: Float64Array.from(data) } : { dtype: 'float32', shape, data: Float32Array.from(data) };
    return n;
  };
  const op = (type: string, inputs: string[], attrs: Node['attrs'] = {}, outputs = 1): string[] => {
    const outs = Array.from({ length: outputs }, () => fresh(type.toLowerCase()));
    nodes.push({ op: type, name: fresh(`${type}_`), inputs, outputs: outs, attrs });
    return outs;
  };
  const one = (type: string, inputs: string[], attrs: Node['attrs'] = {}): string => op(type, inputs, attrs)[0]!;
  /** Rows g0..g1 (gate blocks) of direction d's weight matrix M [dirs, G·H, cols], transposed to [cols, rows]. */
  const transposed = (M: Float64Array, d: number, cols: number, g0: number, g1: number): string => {
    const rows = (g1 - g0) * H;
    const out = new Float64Array(cols * rows);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = M[(d * G * H + g0 * H + r) * cols + c]!;
    return init('wT', [cols, rows], out);
  };
  const biasOf = (d: number, g0: number, g1: number, parts: ('W' | 'R')[]): string => {
    const out = new Float64Array((g1 - g0) * H);
    for (let j = 0; j < out.length; j++) for (const p of parts) out[j]! += B[d * 2 * G * H + (p === 'R' ? G * H : 0) + g0 * H + j]!;
    return init('b', [out.length], out);
  };
  const stateIn = (name: string, d: number): string =>
    name ? one('Gather', [name, init('dir', [], [d], true)], { axis: attr.int(0) }) : init('zeros', [N, H], new Float64Array(N * H));
  const split = (x: string, n: number): string[] => (n === 1 ? [x] : op('Split', [x], { axis: attr.int(1), split: attr.ints(Array(n).fill(H)) }, n));

  const ys: string[][] = [];
  const lastH: string[] = [];
  const lastC: string[] = [];
  for (let d = 0; d < dirs; d++) {
    const reverse = direction === 'reverse' || d === 1;
    const per = acts.length / dirs;
    const [f, g, h] = [acts[d * per]!, acts[d * per + 1], acts[d * per + 2]];
    const wT = transposed(W, d, I, 0, G);
    // GRU: the candidate's R block and biases stay apart (R_h meets r ⊙ H, or r meets H·R_hᵀ + Rb_h).
    const gru = node.op === 'GRU';
    const rT = transposed(R, d, H, 0, gru ? 2 : G);
    const rhT = gru ? transposed(R, d, H, 2, 3) : '';
    const bias = biasOf(d, 0, gru ? 2 : G, ['W', 'R']);
    const [wbh, rbh, wrbh] = gru ? [biasOf(d, 2, 3, ['W']), biasOf(d, 2, 3, ['R']), biasOf(d, 2, 3, ['W', 'R'])] : ['', '', ''];
    let hPrev = stateIn(h0Name, d);
    let cPrev = node.op === 'LSTM' ? stateIn(c0Name, d) : '';
    const peep = (j: number): string => init('p', [H], P!.subarray((d * 3 + j) * H, (d * 3 + j + 1) * H));
    const out: string[] = new Array(T);
    for (let s = 0; s < T; s++) {
      const t = reverse ? T - 1 - s : s;
      const xt = one('Gather', [xName!, init('t', [], [t], true)], { axis: attr.int(0) });
      const xw = one('MatMul', [xt, wT]);
      if (node.op === 'RNN') {
        const pre = one('Add', [one('Add', [xw, one('MatMul', [hPrev, rT])]), bias]);
        hPrev = one(f, [pre]);
      } else if (node.op === 'GRU') {
        const [xzr, xh] = op('Split', [xw], { axis: attr.int(1), split: attr.ints([2 * H, H]) }, 2) as [string, string];
        const [z, r] = split(one(f, [one('Add', [one('Add', [xzr, one('MatMul', [hPrev, rT])]), bias])]), 2) as [string, string];
        const cand = lbr
          ? one('Add', [one('Add', [xh, one('Mul', [r, one('Add', [one('MatMul', [hPrev, rhT]), rbh])])]), wbh])
          : one('Add', [one('Add', [xh, one('MatMul', [one('Mul', [r, hPrev]), rhT])]), wrbh]);
        const hc = one(g!, [cand]);
        // H_t = (1 − z) ⊙ h + z ⊙ H_{t−1} = h + z ⊙ (H_{t−1} − h)
        hPrev = one('Add', [hc, one('Mul', [z, one('Sub', [hPrev, hc])])]);
      } else {
        const pre = one('Add', [one('Add', [xw, one('MatMul', [hPrev, rT])]), bias]);
        let [i, o, fg, c] = split(pre, 4) as [string, string, string, string];
        if (P) {
          i = one('Add', [i, one('Mul', [cPrev, peep(0)])]);
          fg = one('Add', [fg, one('Mul', [cPrev, peep(2)])]);
        }
        const cNew = one('Add', [one('Mul', [one(f, [fg]), cPrev]), one('Mul', [one(f, [i]), one(g!, [c])])]);
        if (P) o = one('Add', [o, one('Mul', [cNew, peep(1)])]);
        hPrev = one('Mul', [one(f, [o]), one(h!, [cNew])]);
        cPrev = cNew;
      }
      out[t] = hPrev;
    }
    ys.push(out);
    lastH.push(hPrev);
    lastC.push(cPrev);
  }

  const [yName = '', yhName = '', ycName = ''] = node.outputs;
  /** Stacks `parts` along a new axis `axis` into the value `name`. */
  const stack = (parts: string[], axis: number, name: string): void => {
    const unsq = (p: string, out: string[]): Node => ({ op: 'Unsqueeze', name: fresh('Unsqueeze_'), inputs: [p], outputs: out, attrs: { axes: attr.ints([axis]) } });
    if (parts.length === 1) nodes.push(unsq(parts[0]!, [name]));
    else nodes.push({ op: 'Concat', name: fresh('out_'), inputs: parts.map((p) => one('Unsqueeze', [p], { axes: attr.ints([axis]) })), outputs: [name], attrs: { axis: attr.int(axis) } });
  };
  if (yName) {
    // Y [seq, dirs, batch, hidden]: per step the directions side by side.
    const steps = Array.from({ length: T }, (_, t) => {
      const per = ys.map((y) => one('Unsqueeze', [y[t]!], { axes: attr.ints([0]) }));
      return per.length === 1 ? per[0]! : one('Concat', per, { axis: attr.int(0) });
    });
    stack(steps, 0, yName);
  }
  if (yhName) stack(lastH, 0, yhName);
  if (ycName && node.op === 'LSTM') stack(lastC, 0, ycName);
  if (ycName && node.op !== 'LSTM') fail(`${node.op} has no third output`);
  return { nodes, initializers: inits };
}
