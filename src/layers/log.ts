/** Log: table lookup over the calibrated domain, which starts at the smallest positive input (q ≥ 1). */
import { tableOp } from './table.ts';

export const log = tableOp('Log', () => ({ fn: Math.log, outside: 'error', defined: [Number.MIN_VALUE, Infinity] }));
