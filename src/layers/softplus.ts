/** Softplus log(1 + eˣ) = relu(x) + log(1 + e^−|x|): relu plus a table saturating at 0 both ways. */
import { reluPlusTableOp, softplusFn } from './relu-plus-table.ts';

export const softplus = reluPlusTableOp('Softplus', () => ({ f: softplusFn, gain: 1, limLo: 0, limHi: 0 }));
