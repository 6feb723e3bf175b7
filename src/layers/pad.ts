/**
 * Pad (modes constant, reflect, edge; pads from constant input 1, opset ≥ 11, or the attribute; optional
 * constant_value input 2 and axes input 3). Constant-mode padding points at the constant_value element
 * (or −1, the constant 0).
 */
import { ModelError } from '../graph/errors.ts';
import { attrFloat, attrInts, attrString, normAxis } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { size, strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

function padsOf(node: Node, s: number[], c: (Float64Array | undefined)[]): { before: number[]; after: number[] } {
  const raw = attrInts(node, 'pads', undefined) ?? (c[1] ? Array.from(c[1]) : undefined);
  if (!raw) throw new ModelError(node.name, 'Pad pads must be constant');
  const axes = node.inputs[3] ? Array.from(c[3] ?? []).map((a) => normAxis(node, a, s.length)) : s.map((_, i) => i);
  if (raw.length !== 2 * axes.length) throw new ModelError(node.name, `Pad has ${raw.length} pads for ${axes.length} axes`);
  const before = s.map(() => 0);
  const after = s.map(() => 0);
  axes.forEach((a, k) => {
    before[a] = raw[k]!;
    after[a] = raw[k + axes.length]!;
  });
  return { before, after };
}

export const pad = movementOp(
  'Pad',
  [0, 2],
  (node, s, c) => {
    const { before, after } = padsOf(node, s[0]!, c);
    return [s[0]!.map((d, i) => d + before[i]! + after[i]!)];
  },
  (node, s, c) => {
    const mode = attrString(node, 'mode', 'constant');
    if (attrFloat(node, 'value', 0) !== 0) throw new ModelError(node.name, 'Pad attribute value ≠ 0 (opset < 11) is not supported');
    const { before, after } = padsOf(node, s[0]!, c);
    const inS = s[0]!;
    const out = inS.map((d, i) => d + before[i]! + after[i]!);
    const st = strides(inS);
    const constIdx = node.inputs[2] && s[2] && size(s[2]) > 0 ? size(inS) + size(s[1] ?? [0]) : -1;
    return [
      mapFromCoords(out, (co) => {
        let i = 0;
        for (let a = 0; a < co.length; a++) {
          let x = co[a]! - before[a]!;
          const d = inS[a]!;
          if (x < 0 || x >= d) {
            if (mode === 'constant') return constIdx;
            if (mode === 'edge') x = x < 0 ? 0 : d - 1;
            else if (mode === 'reflect') {
              const period = 2 * (d - 1);
              x = period === 0 ? 0 : ((x % period) + period) % period;
              if (x >= d) x = period - x;
            } else throw new ModelError(node.name, `Pad mode '${mode}' is not supported`);
          }
          i += x * st[a]!;
        }
        return i;
      }),
    ];
  },
);
