/**
 * The lookup table of one (node, table kind) as the circuit sees it: the settings' integer domain [lo, hi]
 * and the rows (q, tableValue(f, q)), named by a digest of every value (never by the node), so two uses
 * share a table exactly when they tabulate the same function on the same domain.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { FnTable } from '../../circuit/chips/table-lookup.ts';
import type { TableDomain } from '../../model/settings.ts';
import { tableValue } from '../../layers/table.ts';
import type { TableFn } from '../../layers/types.ts';
import { checkTableRows, type LowerCtx } from './context.ts';

/** The table of `kind` for ctx.node with its domain; fails when the settings hold no usable domain. */
export function nodeTable(ctx: LowerCtx, kind: string, fn: TableFn): { table: FnTable; spec: TableDomain } {
  const { s, node } = ctx;
  const spec = ctx.settings.tables[node.name]?.[kind] ?? ctx.fail(`no '${kind}' table domain in the quantization settings`);
  const { lo, hi } = spec;
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) ctx.fail(`${kind} table domain [${lo}, ${hi}] is not integer`);
  checkTableRows(ctx, `${kind} table`, lo, hi);
  // 'error' tables leave out rows where f is not finite: the reference raises there, so no such argument
  // needs proving. 'clamp' tables need every row.
  const partial = spec.outside === 'error';
  const values = new Float64Array(hi - lo + 1);
  for (let q = lo; q <= hi; q++) {
    const v = tableValue(fn.fn, q, s);
    if (!partial && !Number.isFinite(v)) ctx.fail(`${kind} table value at ${q} is not finite`);
    values[q - lo] = v;
  }
  const digest = bytesToHex(sha256(new Uint8Array(values.buffer))).slice(0, 32);
  return { table: { name: `${node.op}:${kind}/${lo}/${hi}/s${s}/${digest}`, lo, hi: hi + 1, f: (q: number) => values[q - lo]!, partial }, spec };
}
