/** Exp: table lookup over the calibrated domain; values beyond it raise TableDomainError. */
import { tableOp } from './table.ts';

export const exp = tableOp('Exp', () => ({ fn: Math.exp, outside: 'error' }));
