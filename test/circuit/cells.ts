/** Test helper: an assignment with one advice cell replaced (for tamper tests of chips). */
import assert from 'node:assert/strict';
import { frFrom } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import type { Cell } from '../../src/circuit/builder.ts';
import type { Assignment } from '../../src/circuit/mock-prover.ts';

/** `a` with advice cell `cell` set to `v` (a signed integer or a field element); the rest shared. */
export function withAdviceCell(a: Assignment, cell: Cell, v: bigint): Assignment {
  assert.equal(cell.column.type, 'advice');
  const advice = a.advice.map((col, i) => {
    if (i !== cell.column.index) return col;
    const vals = frVecToBigints(col);
    while (vals.length <= cell.row) vals.push(0n);
    vals[cell.row] = frFrom(v);
    return frVecFromBigints(vals);
  });
  return { ...a, advice };
}
