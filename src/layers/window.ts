/**
 * Sliding-window geometry shared by Conv, MaxPool and AveragePool (2-D; 1-D inputs are treated as H = 1):
 * kernel, strides, dilations, pads [top, left, bottom, right] after resolving auto_pad, output size.
 */
import type { Node } from '../graph/ir.ts';
import { ModelError } from '../graph/errors.ts';
import { attrInt, attrInts, attrString } from './attrs.ts';

export interface Window {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  padTop: number;
  padLeft: number;
  padBottom: number;
  padRight: number;
  oh: number;
  ow: number;
}

/** Window of `node` over spatial dims [h, w] with kernel [kh, kw] (1-D: spatial [w], kernel [kw]). */
export function windowOf(node: Node, spatial: number[], kernel: number[]): Window {
  const nd = spatial.length;
  if (nd !== 1 && nd !== 2) throw new ModelError(node.name, `${node.op} supports 1-D and 2-D windows, got ${nd}-D`);
  const two = (v: number[]): [number, number] => (nd === 1 ? [1, v[0]!] : [v[0]!, v[1]!]);
  const [h, w] = two(spatial);
  const [kh, kw] = two(kernel);
  const [sh, sw] = two(attrInts(node, 'strides', new Array(nd).fill(1))!);
  const [dh, dw] = two(attrInts(node, 'dilations', new Array(nd).fill(1))!);
  const padsAttr = attrInts(node, 'pads', new Array(2 * nd).fill(0))!;
  let [pt, pl] = nd === 1 ? [0, padsAttr[0]!] : [padsAttr[0]!, padsAttr[1]!];
  let [pb, pr] = nd === 1 ? [0, padsAttr[1]!] : [padsAttr[2]!, padsAttr[3]!];
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const oh = Math.ceil(h / sh);
    const ow = Math.ceil(w / sw);
    const th = Math.max(0, (oh - 1) * sh + ekh - h);
    const tw = Math.max(0, (ow - 1) * sw + ekw - w);
    const lower = autoPad === 'SAME_LOWER';
    pt = lower ? Math.ceil(th / 2) : Math.floor(th / 2);
    pb = th - pt;
    pl = lower ? Math.ceil(tw / 2) : Math.floor(tw / 2);
    pr = tw - pl;
  } else if (autoPad === 'VALID') {
    pt = pl = pb = pr = 0;
  }
  const out = (n: number, p: number, ek: number, s: number): number => {
    const v = (n + p - ek) / s;
    return (ceil ? Math.ceil(v) : Math.floor(v)) + 1;
  };
  let oh = out(h, pt + pb, ekh, sh);
  let ow = out(w, pl + pr, ekw, sw);
  // ceil_mode: a window that starts entirely in the end padding is dropped (ONNX / PyTorch rule).
  if (ceil) {
    if ((oh - 1) * sh >= h + pt) oh--;
    if ((ow - 1) * sw >= w + pl) ow--;
  }
  if (oh <= 0 || ow <= 0) throw new ModelError(node.name, `window larger than the padded input [${spatial}]`);
  return { kh, kw, sh, sw, dh, dw, padTop: pt, padLeft: pl, padBottom: pb, padRight: pr, oh, ow };
}

/** Output shape [N, C, (oh,) ow] of a window op. */
export function windowShape(n: number, c: number, spatialRank: number, win: Window): number[] {
  return spatialRank === 1 ? [n, c, win.ow] : [n, c, win.oh, win.ow];
}

/**
 * The valid (non-padding) taps of every window: for output position o = oy·ow + ox, the taps
 * `start[o] .. start[o + 1] − 1`, each with its spatial input offset (iy·w + ix) and kernel offset
 * (ky·kw + kx), in kernel order (row by row). Computed once per geometry and shared by every channel.
 */
export interface WindowTaps {
  /** oh·ow + 1 offsets into `input` / `kernel`. */
  readonly start: Int32Array;
  /** Spatial offset iy·w + ix of each tap inside the unpadded input. */
  readonly input: Int32Array;
  /** Kernel offset ky·kw + kx of each tap. */
  readonly kernel: Int32Array;
  /**
   * Per output position, the window positions inside the input or its explicit padding (count_include_pad's
   * divisor); positions past the padding (ceil_mode overhang) are not counted.
   */
  readonly full: Int32Array;
}

/**
 * The taps of `win` over a spatial input of h × w (h = 1 for 1-D): the one place the window loops live,
 * so the integer semantics of Conv and the pools and their circuit lowerings visit the same elements in
 * the same order.
 */
export function windowTaps(win: Window, h: number, w: number): WindowTaps {
  const { kh, kw, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, oh, ow } = win;
  const hp = h + padTop + padBottom;
  const wp = w + padLeft + padRight;
  const start = new Int32Array(oh * ow + 1);
  const full = new Int32Array(oh * ow);
  const input: number[] = [];
  const kernel: number[] = [];
  for (let oy = 0; oy < oh; oy++)
    for (let ox = 0; ox < ow; ox++) {
      const o = oy * ow + ox;
      let inPadded = 0;
      for (let ky = 0; ky < kh; ky++) {
        const iy = oy * sh - padTop + ky * dh;
        for (let kx = 0; kx < kw; kx++) {
          const ix = ox * sw - padLeft + kx * dw;
          if (iy + padTop < hp && ix + padLeft < wp) inPadded++;
          if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
          input.push(iy * w + ix);
          kernel.push(ky * kw + kx);
        }
      }
      full[o] = inPadded;
      start[o + 1] = input.length;
    }
  return { start, input: Int32Array.from(input), kernel: Int32Array.from(kernel), full };
}
