/** Tanh: table lookup, clamped outside the range where tanh is ±1 to half a unit. */
import { tableOp } from './table.ts';

export const tanh = tableOp('Tanh', () => ({
  fn: Math.tanh,
  outside: 'clamp',
  saturatesAt: (s) => {
    const t = Math.log(2 ** (s + 2)) / 2 + 1;
    return [-t, t];
  },
}));
