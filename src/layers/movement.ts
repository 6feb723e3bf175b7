/**
 * Pure data-movement ops (Reshape, Transpose, Slice, Pad, ...) are defined once, by an index map: output
 * element j of output o is element maps[o][j] of the concatenated inputs (−1: the constant 0). Float and
 * integer semantics both just gather; the compiler turns the map into copy constraints (no rows).
 * In integer evaluation the referenced inputs are brought to one scale: raw integers stay raw only when
 * every referenced input is raw.
 */
import type { Node } from '../graph/ir.ts';
import { asFixed } from './fixed.ts';
import { size, strides } from './shape-util.ts';
import type { Arr, IndexMaps, OpDef, OpInput, QArr } from './types.ts';

type Consts = (Float64Array | undefined)[];

/** Builds a map over `outShape` from a function of the output coordinates (coords reused: do not keep). */
export function mapFromCoords(outShape: number[], f: (coords: number[]) => number): Int32Array {
  const n = size(outShape);
  const map = new Int32Array(n);
  const c = new Array<number>(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    map[k] = f(c);
    for (let a = outShape.length - 1; a >= 0; a--) {
      if (++c[a]! < outShape[a]!) break;
      c[a] = 0;
    }
  }
  return map;
}

/** Flat index of `coords` in `shape` given its strides. */
export function flatIndex(coords: number[], str: number[]): number {
  let i = 0;
  for (let a = 0; a < coords.length; a++) i += coords[a]! * str[a]!;
  return i;
}

/** The identity map of n elements (reshape-like ops). */
export function identityMap(n: number): Int32Array {
  const m = new Int32Array(n);
  for (let i = 0; i < n; i++) m[i] = i;
  return m;
}

function gatherAll(datas: Float64Array[], maps: IndexMaps, shapes: number[][]): Arr[] {
  let total = 0;
  for (const d of datas) total += d.length;
  const all = new Float64Array(total);
  let off = 0;
  for (const d of datas) {
    all.set(d, off);
    off += d.length;
  }
  return maps.map((m, o) => {
    const out = new Float64Array(m.length);
    for (let i = 0; i < m.length; i++) out[i] = m[i]! < 0 ? 0 : all[m[i]!]!;
    return { shape: shapes[o]!, data: out };
  });
}

/** A movement op from its shape rule and index map; `dataInputs` are the inputs the map may reference. */
export function movementOp(op: string, dataInputs: number[] | 'all', shape: (node: Node, s: number[][], c: Consts) => number[][], maps: (node: Node, s: number[][], c: Consts) => IndexMaps): OpDef {
  const run = (node: Node, inputs: OpInput[], datas: Float64Array[]): Arr[] => {
    const s = inputs.map((i) => i.shape);
    const c = inputs.map((i) => i.constFloat);
    return gatherAll(datas, maps(node, s, c), shape(node, s, c));
  };
  return {
    op,
    dataInputs,
    shape,
    indexMap: maps,
    float: (node, inputs) => run(node, inputs, inputs.map((i) => i.data)),
    int: (node, inputs, ctx): QArr[] => {
      const isData = (k: number): boolean => dataInputs === 'all' || dataInputs.includes(k);
      const raw = inputs.every((_, k) => !isData(k) ||(inputs[k]!.bits === 0 && (!inputs[k]!.constFloat || inputs[k]!.constFloat!.every(Number.isInteger))));
      const bits = raw ? 0 : ctx.scaleBits;
      const datas = inputs.map((inp, k) => (isData(k) && !raw ? asFixed(inp, ctx) : inp.bits === 0 && inp.constFloat ? inp.constFloat : inp.data));
      return run(node, inputs, datas).map((a) => ({ ...a, bits }));
    },
  };
}

/** Row-major strides, re-exported for movement op files. */
export { strides };
