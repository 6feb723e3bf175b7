/**
 * Public values: each cell is copied to the next row of instance column 0 (the verifier supplies those
 * values, so the copy pins the cell to the claimed public value).
 */
import type { CircuitBuilder, Value } from '../builder.ts';

export function publicOutputs(b: CircuitBuilder, values: readonly Value[]): void {
  for (const v of values) b.publicOutput(v);
}
