/** Mish (opset 18) x·tanh(softplus(x)): relu plus a table saturating at 0 both ways (relu-plus-table.ts). */
import { reluPlusTableOp, softplusFn } from './relu-plus-table.ts';

export const mish = reluPlusTableOp('Mish', () => ({ f: (x) => x * Math.tanh(softplusFn(x)), gain: 1, limLo: 0, limHi: 0 }));
