/**
 * Gather as src/layers/gather.ts defines it:
 * - constant indices: its index map (copies, lower/movement.ts);
 * - runtime indices into constant data (embedding tables): every output element is one indexed lookup
 *   (chips/indexed-lookup.ts) of (idx, g, y) in the table of (r, g, data[outer, r, inner]) with g numbering
 *   the (outer, inner) position, so the selected value is constrained by the table, never a free cell, and
 *   the index must be one of 0..n−1 (a negative index, which the reference wraps, cannot be proved).
 * The table is named by a digest of its values and shape, so equal tables are shared.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { indexedLookup, type IndexedTable } from '../../circuit/chips/indexed-lookup.ts';
import type { Value } from '../../circuit/builder.ts';
import { attrInt, normAxis } from '../../layers/attrs.ts';
import { quantize } from '../../layers/int-math.ts';
import { mapFromCoords } from '../../layers/movement.ts';
import { size, strides } from '../../layers/shape-util.ts';
import { MAX_TABLE_ROWS, type Cells, type LowerCtx } from './context.ts';
import { lowerMovement } from './movement.ts';

export function lowerGather(ctx: LowerCtx): Cells[] {
  const { b, s, node, ins, ref } = ctx;
  if (ins[1]!.constFloat) return lowerMovement(ctx);
  const idx = ctx.runtime(1) ?? ctx.fail('Gather indices have no value');
  if (idx.bits !== 0) ctx.fail(`Gather indices must be raw integers, got scale 2^${idx.bits}`);
  const data = ins[0]!;
  if (!data.constFloat || ctx.runtime(0)) ctx.fail('Gather by runtime indices needs constant data (an embedding table)');
  const out = ref[0]!;
  const values = out.bits === 0 ? data.constFloat! : quantize(data.constFloat!, s);
  const ds = data.shape;
  const axis = normAxis(node, attrInt(node, 'axis', 0), ds.length);
  const n = ds[axis]!;
  const outer = size(ds.slice(0, axis));
  const inner = size(ds.slice(axis + 1));
  if (values.length > MAX_TABLE_ROWS) ctx.fail(`the table of ${values.length} values has more than 2^${Math.log2(MAX_TABLE_ROWS)} rows`);
  const digest = bytesToHex(sha256(new Uint8Array(Float64Array.from(values).buffer))).slice(0, 32);
  const table: IndexedTable = {
    name: `gather/${outer}x${n}x${inner}/b${out.bits}/${digest}`,
    size: n,
    groups: outer * inner,
    value: (g, r) => values[(Math.floor(g / inner) * n + r) * inner + (g % inner)]!,
  };
  // Per output element: the position of its index in the indices tensor and its (outer, inner) group.
  const ir = idx.shape.length;
  const istr = strides(idx.shape);
  const pos = mapFromCoords(out.shape, (co) => {
    let j = 0;
    for (let k = 0; k < ir; k++) j += co[axis + k]! * istr[k]!;
    return j;
  });
  const ostr = strides(ds.slice(0, axis));
  const tstr = strides(ds.slice(axis + 1));
  const group = mapFromCoords(out.shape, (co) => {
    let o = 0;
    for (let a = 0; a < axis; a++) o += co[a]! * ostr[a]!;
    let t = 0;
    for (let a = axis + 1; a < ds.length; a++) t += co[a + ir - 1]! * tstr[a - axis - 1]!;
    return o * inner + t;
  });
  const cells: Value[] = Array.from(pos, (p, j) => indexedLookup(b, idx.cells[p]!, group[j]!, table));
  return [{ shape: out.shape, bits: out.bits, cells }];
}
