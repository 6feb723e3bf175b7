/** Concat(axis): index map into the concatenated inputs. */
import { ModelError } from '../graph/errors.ts';
import { attrInt, normAxis } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { size, strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function concatShape(node: Node, s: number[][]): number[] {
  const axis = normAxis(node, attrInt(node, 'axis', 0), s[0]!.length);
  const out = [...s[0]!];
  out[axis] = 0;
  for (const t of s) {
    if (t.length !== out.length || t.some((d, i) => i !== axis && d !== out[i])) throw new ModelError(node.name, `Concat shapes ${s.map((x) => `[${x}]`).join(', ')} differ off axis ${axis}`);
    out[axis]! += t[axis]!;
  }
  return out;
}

export const concat = movementOp(
  'Concat',
  'all',
  (node, s) => [concatShape(node, s)],
  (node, s) => {
    const out = concatShape(node, s);
    const axis = normAxis(node, attrInt(node, 'axis', 0), out.length);
    // Per position along the axis: which input and its offset into the concatenated data.
    const which: number[] = [];
    const local: number[] = [];
    const offsets: number[] = [];
    let off = 0;
    s.forEach((t, k) => {
      offsets.push(off);
      off += size(t);
      for (let i = 0; i < t[axis]!; i++) {
        which.push(k);
        local.push(i);
      }
    });
    const strs = s.map(strides);
    return [
      mapFromCoords(out, (c) => {
        const k = which[c[axis]!]!;
        const st = strs[k]!;
        let i = offsets[k]!;
        for (let a = 0; a < c.length; a++) i += (a === axis ? local[c[a]!]! : c[a]!) * st[a]!;
        return i;
      }),
    ];
  },
);
