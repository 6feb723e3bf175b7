/**
 * Pairing product check on the single-threaded BN254 WASM module (bn254-wasm.ts; one Miller loop per pair,
 * one final exponentiation): ~5 ms for a verifier's two pairs against ~40 ms on noble (noble.ts, the
 * reference the tests compare with), and without ffjavascript's engine and workers, whose start-up would
 * cost more than the pairing itself.
 */
import { G1_BYTES, g1IsIdentity, type G1Affine } from './g1.ts';
import { G2_BYTES, g2IsIdentity, type G2Affine } from './g2.ts';
import { pairingCheckWasm } from './bn254-wasm.ts';

/**
 * Π e(P_i, Q_i) == 1 in GT. Pairs with an identity on either side contribute 1 and are skipped
 * (an empty product is 1 ⇒ true). Inputs must be valid points (validate untrusted bytes first).
 */
export async function pairingCheck(pairs: readonly (readonly [G1Affine, G2Affine])[]): Promise<boolean> {
  const kept: (readonly [G1Affine, G2Affine])[] = [];
  for (const [p, q] of pairs) {
    if (p.length !== G1_BYTES || q.length !== G2_BYTES) throw new RangeError('pairingCheck: bad point size');
    if (g1IsIdentity(p) || g2IsIdentity(q)) continue;
    kept.push([p, q]);
  }
  if (kept.length === 0) return true;
  return pairingCheckWasm(kept);
}
