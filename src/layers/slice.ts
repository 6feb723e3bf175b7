/** Slice (starts, ends, axes, steps from constant inputs, opset ≥ 10; attributes before). ONNX clamping rules. */
import { ModelError } from '../graph/errors.ts';
import { attrInts, normAxis } from './attrs.ts';
import { mapFromCoords, movementOp } from './movement.ts';
import { strides } from './shape-util.ts';
import type { Node } from '../graph/ir.ts';

interface Plan {
  start: number[];
  step: number[];
  out: number[];
}

function plan(node: Node, s: number[], c: (Float64Array | undefined)[]): Plan {
  const get = (i: number, attr: string): number[] | undefined => attrInts(node, attr, undefined) ?? (node.inputs[i] ? (c[i] ? Array.from(c[i]!) : undefined) : undefined);
  const starts = get(1, 'starts');
  const ends = get(2, 'ends');
  if (!starts || !ends) throw new ModelError(node.name, 'Slice starts/ends must be constants');
  const axes = (get(3, 'axes') ?? starts.map((_, i) => i)).map((a) => normAxis(node, a, s.length));
  const steps = get(4, 'steps') ?? starts.map(() => 1);
  const start = s.map(() => 0);
  const step = s.map(() => 1);
  const out = [...s];
  axes.forEach((a, k) => {
    const d = s[a]!;
    const st = steps[k]!;
    if (st === 0) throw new ModelError(node.name, 'Slice step 0');
    let b = starts[k]!;
    let e = ends[k]!;
    if (b < 0) b += d;
    if (e < 0) e += d;
    if (st > 0) {
      b = Math.min(Math.max(b, 0), d);
      e = Math.min(Math.max(e, 0), d);
      out[a] = Math.max(0, Math.ceil((e - b) / st));
    } else {
      b = Math.min(Math.max(b, -1), d - 1);
      e = Math.min(Math.max(e, -1), d - 1);
      out[a] = Math.max(0, Math.ceil((e - b) / st));
    }
    start[a] = b;
    step[a] = st;
  });
  return { start, step, out };
}

export const slice = movementOp(
  'Slice',
  [0],
  (node, s, c) => [plan(node, s[0]!, c).out],
  (node, s, c) => {
    const p = plan(node, s[0]!, c);
    const st = strides(s[0]!);
    return [
      mapFromCoords(p.out, (co) => {
        let i = 0;
        for (let a = 0; a < co.length; a++) i += (p.start[a]! + co[a]! * p.step[a]!) * st[a]!;
        return i;
      }),
    ];
  },
);
