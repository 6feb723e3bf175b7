/** A pairing on ffjavascript's WASM curve, apart from pairing.ts so that the verifier's check loads no WASM engine. */
import { getFfjsCurve } from '../kernels/ffjs.ts';
import type { G1Affine } from './g1.ts';
import type { G2Affine } from './g2.ts';

/** e(P, Q) as ffjavascript GT bytes (tests / debugging: an independent pairing to check pairingCheck in pairing.ts). */
export async function pairing(p: G1Affine, q: G2Affine): Promise<Uint8Array> {
  const c = await getFfjsCurve();
  return new Uint8Array(c.pairing(p, q));
}
