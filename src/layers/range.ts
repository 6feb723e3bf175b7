/**
 * Range(start, limit, delta): start, start + delta, ... while short of limit; n = max(ceil((limit − start)
 * / delta), 0). Its inputs must be constant (its length is its shape), so it is folded on import; integer
 * semantics keep integer ranges raw and quantize real ones at s.
 */
import { ModelError } from '../graph/errors.ts';
import type { Node } from '../graph/ir.ts';
import { quantize } from './int-math.ts';
import type { OpDef, OpInput } from './types.ts';

function scalars(node: Node, c: (Float64Array | undefined)[]): [number, number, number] {
  const v = [0, 1, 2].map((i) => {
    const x = c[i];
    if (!x || x.length !== 1) throw new ModelError(node.name, 'Range start, limit and delta must be constant scalars');
    return x[0]!;
  });
  if (v[2] === 0) throw new ModelError(node.name, 'Range delta 0');
  return v as [number, number, number];
}

function values(node: Node, c: (Float64Array | undefined)[]): Float64Array {
  const [start, limit, delta] = scalars(node, c);
  const n = Math.max(Math.ceil((limit - start) / delta), 0);
  if (n > 1 << 24) throw new ModelError(node.name, `Range of ${n} elements`);
  return Float64Array.from({ length: n }, (_, i) => start + i * delta);
}

const consts = (ins: OpInput[]): (Float64Array | undefined)[] => ins.map((i) => i.constFloat);

export const range: OpDef = {
  op: 'Range',
  shape: (node, _s, c) => [[values(node, c).length]],
  float: (node, ins) => {
    const d = values(node, consts(ins));
    return [{ shape: [d.length], data: d }];
  },
  int: (node, ins, ctx) => {
    const d = values(node, consts(ins));
    const raw = ins.every((i) => i.bits === 0 && i.constFloat?.every(Number.isInteger));
    return [{ shape: [d.length], data: raw ? d : quantize(d, ctx.scaleBits), bits: raw ? 0 : ctx.scaleBits }];
  },
};
