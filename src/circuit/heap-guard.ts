/**
 * Layout keeps column values and copies in typed arrays (outside the JS heap), but the chips' cell handles
 * and the tensors between layers are JS objects: a model too large for the heap would otherwise end in V8's
 * fatal out-of-memory abort, a native stack trace with nothing a user can act
 * on. The builder calls checkLayoutHeap as it lays out rows; near the heap limit it stops with a typed error
 * that says how far it got and what to do.
 */
import { getHeapStatistics } from 'node:v8';
import { CircuitError } from '../errors.ts';

export class LayoutMemoryError extends CircuitError {}

/** Fraction of the old-generation limit at which layout gives up (V8 garbage-collects before it gets there). */
const LIMIT_FRACTION = 0.85;
/** V8's heap_size_limit includes the young generation's reserve (3 semi-spaces of 16 MB on 64-bit). */
const YOUNG_RESERVE = 48 * 2 ** 20;
let calls = 0;

export function checkLayoutHeap(rows: number): void {
  if ((++calls & 1023) !== 0) return; // a heap-statistics call every 1024 regions
  const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics();
  if (used > LIMIT_FRACTION * (limit - YOUNG_RESERVE))
    throw new LayoutMemoryError(
      `laying out the circuit needs more memory than the JS heap allows (${Math.round((limit - YOUNG_RESERVE) / 2 ** 20)} MB, stopped after ${rows} rows); ` +
        'run with NODE_OPTIONS=--max-old-space-size=<MB> on a machine with more memory, or use a smaller model',
    );
}
