/** Sigmoid: table lookup, clamped outside [−(ln 2^(s+1) + 1), +(…)] where σ is flat to half a unit. */
import { logisticSaturation, tableOp } from './table.ts';

export const sigmoid = tableOp('Sigmoid', () => ({ fn: (x) => 1 / (1 + Math.exp(-x)), outside: 'clamp', saturatesAt: logisticSaturation }));
