/**
 * Window pooling shared by MaxPool and AveragePool (and their circuit lowering): each output position's
 * window over the valid (non-padding) input positions, from the taps of window.ts.
 */
import { ModelError } from '../graph/errors.ts';
import { attrInts } from './attrs.ts';
import { windowOf, windowShape, windowTaps, type Window } from './window.ts';
import type { Node } from '../graph/ir.ts';

/** Window of a pool node over input shape [N, C, (H,) W]. */
export function poolWindow(node: Node, xs: number[]): Window {
  const k = attrInts(node, 'kernel_shape', undefined);
  if (!k) throw new ModelError(node.name, `${node.op} needs kernel_shape`);
  if (xs.length !== k.length + 2) throw new ModelError(node.name, `${node.op} input [${xs}] does not match kernel [${k}]`);
  return windowOf(node, xs.slice(2), k);
}

/** Output shape of a pool node. */
export function poolShape(node: Node, xs: number[]): number[] {
  return windowShape(xs[0]!, xs[1]!, xs.length - 2, poolWindow(node, xs));
}

/**
 * Visits every output element of a pool node over input shape [N, C, (H,) W], in row-major output order:
 * `visit(o, inputs, full)` gets the flat input indices of the window's valid (non-padding) elements, in
 * kernel order (a view valid only during the call), and the window's size counting explicit padding
 * (count_include_pad's divisor).
 */
export function forEachPoolWindow(node: Node, xs: number[], visit: (o: number, inputs: Int32Array, full: number) => void): void {
  const win = poolWindow(node, xs);
  const [n, c] = [xs[0]!, xs[1]!];
  const h = xs.length === 4 ? xs[2]! : 1;
  const w = xs[xs.length - 1]!;
  const taps = windowTaps(win, h, w);
  const positions = win.oh * win.ow;
  const idx = new Int32Array(win.kh * win.kw);
  for (let p = 0; p < n * c; p++)
    for (let o = 0; o < positions; o++) {
      const [from, to] = [taps.start[o]!, taps.start[o + 1]!];
      for (let t = from; t < to; t++) idx[t - from] = p * h * w + taps.input[t]!;
      visit(p * positions + o, idx.subarray(0, to - from), taps.full[o]!);
    }
}

/**
 * For each output element, reduces the valid window elements with `reduce(values, count, padded)` where
 * `padded` is the window size counting explicit padding.
 */
export function poolEach(node: Node, xs: number[], x: Float64Array, reduce: (vals: Float64Array, count: number, full: number) => number): Float64Array {
  const win = poolWindow(node, xs);
  const out = new Float64Array(xs[0]! * xs[1]! * win.oh * win.ow);
  const vals = new Float64Array(win.kh * win.kw);
  forEachPoolWindow(node, xs, (o, inputs, full) => {
    for (let i = 0; i < inputs.length; i++) vals[i] = x[inputs[i]!]!;
    out[o] = reduce(vals, inputs.length, full);
  });
  return out;
}
