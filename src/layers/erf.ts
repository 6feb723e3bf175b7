/** Erf: table lookup, clamped outside the range where erf is ±1 to half a unit. */
import { erf as erfFn, tableOp } from './table.ts';

export const erf = tableOp('Erf', () => ({
  fn: erfFn,
  outside: 'clamp',
  saturatesAt: (s) => {
    const t = Math.sqrt(Math.log(2 ** (s + 1))) + 1;
    return [-t, t];
  },
}));
