/**
 * Cast. To float: values unchanged (raw integers stay raw, bits 0). To an integer type: float semantics
 * truncate toward zero (ONNX); integer semantics require a raw-integer input (casting a fixed-point value
 * to an integer is only folded on constants by the importer).
 */
import { ModelError } from '../graph/errors.ts';
import { attrInt } from './attrs.ts';
import { unary } from './shape-util.ts';
import type { OpDef } from './types.ts';

const FLOATS = new Set([1, 10, 11, 16]);

export const cast: OpDef = {
  op: 'Cast',
  shape: (_n, s) => [[...s[0]!]],
  float: (node, [a]) => [FLOATS.has(attrInt(node, 'to', 1)) ? unary(a!, (x) => x) : unary(a!, (x) => (attrInt(node, 'to', 1) === 9 ? (x !== 0 ? 1 : 0) : Math.trunc(x)))],
  int: (node, [a]) => {
    if (FLOATS.has(attrInt(node, 'to', 1)) || a!.bits === 0) return [{ ...unary(a!, (x) => x), bits: a!.bits }];
    throw new ModelError(node.name, 'Cast of a fixed-point tensor to an integer type is not supported');
  },
};
