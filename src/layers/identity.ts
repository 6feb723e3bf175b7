/** Identity and Dropout (inference: pass-through; the importer removes both, this covers leftovers). */
import { identityMap, movementOp } from './movement.ts';
import { size } from './shape-util.ts';

export const identity = movementOp('Identity', [0], (_n, s) => [[...s[0]!]], (_n, s) => [identityMap(size(s[0]!))]);
export const dropout = movementOp('Dropout', [0], (_n, s) => [[...s[0]!]], (_n, s) => [identityMap(size(s[0]!))]);
