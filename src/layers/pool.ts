/**
 * Window pooling shared by MaxPool and AveragePool: iterates each output position's window over the
 * valid (non-padding) input positions.
 */
import { ModelError } from '../model/errors.ts';
import { attrInts } from './attrs.ts';
import { windowOf, windowShape, type Window } from './window.ts';
import type { Node } from '../model/ir.ts';

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
 * For each output element, reduces the valid window elements with `reduce(values, count, padded)` where
 * `padded` is the full window size (kh·kw).
 */
export function poolEach(node: Node, xs: number[], x: Float64Array, reduce: (vals: Float64Array, count: number, full: number) => number): Float64Array {
  const win = poolWindow(node, xs);
  const [n, c] = [xs[0]!, xs[1]!];
  const h = xs.length === 4 ? xs[2]! : 1;
  const w = xs[xs.length - 1]!;
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, oh, ow } = win;
  const out = new Float64Array(n * c * oh * ow);
  const vals = new Float64Array(kh * kw);
  // Window positions inside the explicit padding count toward count_include_pad's divisor; positions
  // past the padding (ceil_mode overhang) never do.
  const hp = h + padTop + padBottom;
  const wp = w + padLeft + padRight;
  for (let p = 0; p < n * c; p++)
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let cnt = 0;
        let full = 0;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - padTop + ky * dh;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ox * sw - padLeft + kx * dw;
            if (iy + padTop < hp && ix + padLeft < wp) full++;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            vals[cnt++] = x[p * h * w + iy * w + ix]!;
          }
        }
        out[(p * oh + oy) * ow + ox] = reduce(vals, cnt, full);
      }
  return out;
}
