/**
 * Tile(x, repeats): x repeated repeats[a] times along each axis a (repeats constant). A movement op: output
 * coordinate c reads input coordinate c mod shape.
 */
import { ModelError } from '../graph/errors.ts';
import type { Node } from '../graph/ir.ts';
import { flatIndex, mapFromCoords, movementOp, strides } from './movement.ts';

function reps(node: Node, s: number[], c: Float64Array | undefined): number[] {
  if (!c) throw new ModelError(node.name, 'Tile repeats must be constant');
  const r = Array.from(c);
  if (r.length !== s.length) throw new ModelError(node.name, `Tile repeats [${r}] must have one entry per axis of [${s}]`);
  if (r.some((v) => !Number.isSafeInteger(v) || v < 0)) throw new ModelError(node.name, `Tile repeats [${r}] must be non-negative integers`);
  return r;
}

const outShape = (node: Node, s: number[], c: Float64Array | undefined): number[] => reps(node, s, c).map((r, a) => r * s[a]!);

export const tile = movementOp(
  'Tile',
  [0],
  (node, s, c) => [outShape(node, s[0]!, c[1])],
  (node, s, c) => {
    const inShape = s[0]!;
    const str = strides(inShape);
    const co = new Array<number>(inShape.length);
    return [
      mapFromCoords(outShape(node, inShape, c[1]), (o) => {
        for (let a = 0; a < o.length; a++) co[a] = o[a]! % inShape[a]!;
        return flatIndex(co, str);
      }),
    ];
  },
);
