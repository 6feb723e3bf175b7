/** Test graphs: one RNN / GRU / LSTM node over input x [T, N, I] with random constant weights. */
import { attr, floatTensor, intTensor, type Graph } from '../../src/graph/ir.ts';

/** A recurrent node's configuration (and, for error tests, attributes the unroller refuses). */
export interface RecurrentCase {
  op: 'RNN' | 'GRU' | 'LSTM';
  T: number;
  N: number;
  I: number;
  H: number;
  direction?: 'forward' | 'reverse' | 'bidirectional';
  activations?: string[];
  initialH?: boolean;
  initialC?: boolean;
  peepholes?: boolean;
  linearBeforeReset?: boolean;
  sequenceLens?: boolean;
  shortLens?: boolean;
  clip?: number;
  layout?: number;
}

/** The one-node graph of `c`, outputs Y, Y_h (and Y_c for LSTM), weights from `rand(n)`. */
export function recurrentGraph(c: RecurrentCase, rand: (n: number, lo?: number, hi?: number) => number[]): Graph {
  const G = c.op === 'RNN' ? 1 : c.op === 'GRU' ? 3 : 4;
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const inits: Graph['initializers'] = {
    W: floatTensor([D, G * c.H, c.I], rand(D * G * c.H * c.I)),
    R: floatTensor([D, G * c.H, c.H], rand(D * G * c.H * c.H)),
    B: floatTensor([D, 2 * G * c.H], rand(D * 2 * G * c.H, -0.5, 0.5)),
  };
  const inputs = ['x', 'W', 'R', 'B', '', '', '', ''];
  if (c.sequenceLens || c.shortLens) {
    inits['lens'] = intTensor([c.N], Array.from({ length: c.N }, () => (c.shortLens ? c.T - 1 : c.T)), 'int32');
    inputs[4] = 'lens';
  }
  if (c.initialH) {
    inits['h0'] = floatTensor([D, c.N, c.H], rand(D * c.N * c.H));
    inputs[5] = 'h0';
  }
  if (c.initialC) {
    inits['c0'] = floatTensor([D, c.N, c.H], rand(D * c.N * c.H));
    inputs[6] = 'c0';
  }
  if (c.peepholes) {
    inits['P'] = floatTensor([D, 3 * c.H], rand(D * 3 * c.H));
    inputs[7] = 'P';
  }
  const used = c.op === 'LSTM' ? 8 : 6;
  while (inputs.length > used || (inputs.length > 3 && inputs[inputs.length - 1] === '')) inputs.pop();
  const attrs: Graph['nodes'][number]['attrs'] = { hidden_size: attr.int(c.H) };
  if (c.direction) attrs['direction'] = attr.string(c.direction);
  if (c.activations) attrs['activations'] = attr.strings(c.activations);
  if (c.linearBeforeReset) attrs['linear_before_reset'] = attr.int(1);
  if (c.clip !== undefined) attrs['clip'] = attr.float(c.clip);
  if (c.layout !== undefined) attrs['layout'] = attr.int(c.layout);
  const outs = c.op === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h'];
  return {
    name: 'rnn',
    opset: 14,
    inputs: [{ name: 'x', dtype: 'float32', shape: [c.T, c.N, c.I] }],
    outputs: outs.map((name) => ({ name, dtype: 'float32' as const })),
    nodes: [{ op: c.op, name: 'rnn_node', inputs, outputs: outs, attrs }],
    initializers: inits,
    valueInfo: {},
  };
}
