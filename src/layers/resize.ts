/**
 * Resize with mode 'nearest' (opset ≥ 11: X, roi, scales, sizes; opset 10: X, scales). Supports the
 * coordinate transformations half_pixel, asymmetric, align_corners, pytorch_half_pixel and the nearest
 * modes round_prefer_floor (default), round_prefer_ceil, floor, ceil. An index map.
 */
import { ModelError } from '../graph/errors.ts';
import { attrString } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function plan(node: Node, s: number[], c: (Float64Array | undefined)[]): { out: number[]; scales: number[] } {
  if (attrString(node, 'mode', 'nearest') !== 'nearest') throw new ModelError(node.name, `Resize mode '${attrString(node, 'mode', '')}' is not supported (only nearest)`);
  const sizesIn = node.inputs.length >= 4 && node.inputs[3] ? c[3] : undefined;
  const scalesIn = node.inputs.length === 2 ? c[1] : node.inputs[2] ? c[2] : undefined;
  if (sizesIn && sizesIn.length === s.length) {
    const out = Array.from(sizesIn);
    return { out, scales: out.map((d, i) => d / s[i]!) };
  }
  if (scalesIn && scalesIn.length === s.length) {
    const scales = Array.from(scalesIn);
    return { out: s.map((d, i) => Math.floor(d * scales[i]!)), scales };
  }
  throw new ModelError(node.name, 'Resize needs constant scales or sizes of the input rank');
}

function nearest(mode: string, x: number): number {
  switch (mode) {
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    case 'round_prefer_ceil':
      return Math.floor(x + 0.5);
    default:
      return Number.isInteger(x - 0.5) ? Math.floor(x) : Math.round(x);
  }
}

export const resize = movementOp(
  'Resize',
  [0],
  (node, s, c) => [plan(node, s[0]!, c).out],
  (node, s, c) => {
    const { out, scales } = plan(node, s[0]!, c);
    const ct = attrString(node, 'coordinate_transformation_mode', 'half_pixel');
    const nm = attrString(node, 'nearest_mode', 'round_prefer_floor');
    const inS = s[0]!;
    const st = strides(inS);
    const src = (a: number, o: number): number => {
      const lenIn = inS[a]!;
      const lenOut = out[a]!;
      let x: number;
      if (ct === 'asymmetric') x = o / scales[a]!;
      else if (ct === 'align_corners') x = lenOut === 1 ? 0 : (o * (lenIn - 1)) / (lenOut - 1);
      else if (ct === 'pytorch_half_pixel') x = lenOut > 1 ? (o + 0.5) / scales[a]! - 0.5 : 0;
      else if (ct === 'half_pixel') x = (o + 0.5) / scales[a]! - 0.5;
      else throw new ModelError(node.name, `Resize coordinate_transformation_mode '${ct}' is not supported`);
      return Math.min(Math.max(nearest(nm, x), 0), lenIn - 1);
    };
    return [
      mapFromCoords(out, (co) => {
        let i = 0;
        for (let a = 0; a < co.length; a++) i += src(a, co[a]!) * st[a]!;
        return i;
      }),
    ];
  },
);
