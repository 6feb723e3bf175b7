/** Coset labels of the permutation argument: column j uses δ^j·H with δ = 7^(2^28) of odd order (PROTOCOL §4c). */
import { frMul, frPow } from '../../scalar/fr.ts';

export const PERMUTATION_DELTA = frPow(7n, 1n << 28n);

const cache: bigint[] = [1n];
/** δ^j for a global equality-column index j (never restarted per chunk). */
export function permutationDelta(j: number): bigint {
  while (cache.length <= j) cache.push(frMul(cache[cache.length - 1]!, PERMUTATION_DELTA));
  return cache[j]!;
}
