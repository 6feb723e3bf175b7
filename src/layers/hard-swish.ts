/** HardSwish x · max(0, min(1, x/6 + 1/2)): table lookup over the calibrated domain (x grows unbounded). */
import { tableOp } from './table.ts';

export const hardSwish = tableOp('HardSwish', () => ({ fn: (x) => x * Math.max(0, Math.min(1, x / 6 + 0.5)), outside: 'error' }));
