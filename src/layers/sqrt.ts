/** Sqrt: table lookup over the calibrated domain (starting at 0); negative inputs raise TableDomainError. */
import { tableOp } from './table.ts';

export const sqrt = tableOp('Sqrt', () => ({ fn: Math.sqrt, outside: 'error', defined: [0, Infinity] }));
