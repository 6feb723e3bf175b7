/**
 * Reciprocal: table lookup over the calibrated domain. A domain that contains 0 makes the row for q = 0
 * non-finite, and looking it up raises TableDomainError.
 */
import { tableOp } from './table.ts';

export const reciprocal = tableOp('Reciprocal', () => ({ fn: (x) => 1 / x, outside: 'error' }));
