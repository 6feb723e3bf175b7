/** Pairing product check on ffjavascript's multi-threaded Miller loops. */
import { getFfjsCurve } from '../kernels/ffjs.ts';
import { G1_BYTES, G2_BYTES, g1IsIdentity, g2IsIdentity, type G1Affine, type G2Affine } from './g1.ts';

/**
 * Π e(P_i, Q_i) == 1 in GT. Pairs with an identity on either side contribute 1 and are skipped
 * (an empty product is 1 ⇒ true). Inputs must be valid points (validate untrusted bytes first).
 */
export async function pairingCheck(pairs: readonly (readonly [G1Affine, G2Affine])[]): Promise<boolean> {
  const args: Uint8Array[] = [];
  for (const [p, q] of pairs) {
    if (p.length !== G1_BYTES || q.length !== G2_BYTES) throw new RangeError('pairingCheck: bad point size');
    if (g1IsIdentity(p) || g2IsIdentity(q)) continue;
    args.push(p, q);
  }
  if (args.length === 0) return true;
  const c = await getFfjsCurve();
  return (await c.pairingEq(...args)) as boolean;
}

/** e(P, Q) as ffjavascript GT bytes (tests / debugging). */
export async function pairing(p: G1Affine, q: G2Affine): Promise<Uint8Array> {
  const c = await getFfjsCurve();
  return new Uint8Array(c.pairing(p, q));
}
