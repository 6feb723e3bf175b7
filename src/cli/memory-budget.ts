/** --max-memory <MB>, shared by compile (refuse a model predicted not to fit) and prove (bound the quotient). */
import { totalmem } from 'node:os';
import { InvalidArgumentError } from '../errors.ts';

/** The memory a proof may take, in MB (default: this machine's total memory). */
export function memoryBudgetMb(v: string | true | undefined): number {
  if (v === undefined) return Math.floor(totalmem() / 2 ** 20);
  if (v === true || !/^\d+$/.test(v) || Number(v) < 1) throw new InvalidArgumentError(`--max-memory needs a positive number of MB, got '${v === true ? '' : v}'`);
  return Number(v);
}
