/** Shape arithmetic shared by ops: strides, numpy broadcasting, axis permutations. */
import type { Node } from '../graph/ir.ts';
import { ModelError } from '../graph/errors.ts';
import type { Arr } from './types.ts';

/** Row-major strides of a shape. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Element count of a shape. */
export function size(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** The numpy/ONNX multidirectional broadcast of several shapes; ModelError if incompatible. */
export function broadcastShapes(node: Node, shapes: number[][]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = rank - s.length + i;
      const d = s[i]!;
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else throw new ModelError(node.name, `cannot broadcast shapes ${shapes.map((x) => `[${x}]`).join(' and ')}`);
    }
  }
  return out;
}

/** For each element of `outShape`, the flat index of the element of `inShape` it broadcasts from. */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array {
  const n = size(outShape);
  const map = new Int32Array(n);
  const rank = outShape.length;
  const inStr = strides(inShape);
  // Effective input stride per output axis: 0 where the input is broadcast (missing or size 1).
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const j = rank - inShape.length + i;
    eff[j] = inShape[i] === 1 ? 0 : inStr[i]!;
  }
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    map[k] = src;
    // Odometer increment over the output index.
    for (let a = rank - 1; a >= 0; a--) {
      idx[a]!++;
      src += eff[a]!;
      if (idx[a]! < outShape[a]!) break;
      src -= eff[a]! * idx[a]!;
      idx[a] = 0;
    }
  }
  return map;
}

/** Elementwise binary op with broadcasting. */
export function binary(node: Node, a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const shape = broadcastShapes(node, [a.shape, b.shape]);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  const out = new Float64Array(ia.length);
  const ad = a.data;
  const bd = b.data;
  for (let i = 0; i < out.length; i++) out[i] = f(ad[ia[i]!]!, bd[ib[i]!]!);
  return { shape, data: out };
}

/** Elementwise unary op. */
export function unary(a: Arr, f: (x: number) => number): Arr {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]!);
  return { shape: [...a.shape], data: out };
}

/** Gathers `data` through an index map (the runtime of every pure data-movement op). */
export function gatherFlat(sources: Float64Array[], map: Int32Array, shape: number[]): Arr {
  let total = 0;
  for (const s of sources) total += s.length;
  const all = sources.length === 1 ? sources[0]! : new Float64Array(total);
  if (sources.length > 1) {
    let off = 0;
    for (const s of sources) {
      all.set(s, off);
      off += s.length;
    }
  }
  const out = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = all[map[i]!]!;
  return { shape, data: out };
}

/** Shape of a reduction over `axes` (sorted, normalized) with or without kept dims. */
export function reducedShape(shape: number[], axes: number[], keepdims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (axes.includes(i)) {
      if (keepdims) out.push(1);
    } else out.push(d);
  });
  return out;
}

/**
 * Iterates a reduction: calls `visit(outIndex, inIndex)` for every input element, where outIndex is the
 * flat index of the reduced element it contributes to.
 */
export function reduceIndex(shape: number[], axes: number[]): Int32Array {
  const n = size(shape);
  const map = new Int32Array(n);
  const keptShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const kStr = strides(keptShape);
  const str = strides(shape);
  for (let k = 0; k < n; k++) {
    let o = 0;
    let rem = k;
    for (let a = 0; a < shape.length; a++) {
      const c = Math.floor(rem / str[a]!);
      rem -= c * str[a]!;
      if (!axes.includes(a)) o += c * kStr[a]!;
    }
    map[k] = o;
  }
  return map;
}
