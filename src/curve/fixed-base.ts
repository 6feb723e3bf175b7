/**
 * Fixed-base tables for batches of scalar multiplications of one point (the dev SRS: [τ^i]G and [L_i(τ)]G).
 * Table of G: m·2^(8w)·G for w < 32, m = 1..128 (4096 affine points, 256 KiB), so that s·G is the sum of
 * one table point (±) per signed 8-bit digit of s: 32 batch-affine additions per output point in the MSM
 * engine (src/kernels/msm, `fixedBaseG1`) instead of a double-and-add scalar multiplication.
 * The table itself is built once per base with @noble/curves (4096 projective additions, one batch
 * normalisation) and cached for the last few bases.
 */
import { bn254 } from '@noble/curves/bn254.js';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1_BYTES, g1FromBigints, g1ToBigints, type G1Affine } from './g1.ts';

const WINDOWS = 32;
const DIGITS = 128;
const cache = new Map<string, Uint8Array>();
const CACHE_SIZE = 4;

export function fixedBaseTable(base: G1Affine): Uint8Array {
  if (base.length !== G1_BYTES) throw new RangeError('fixedBaseTable: base must be 64 bytes');
  const key = Buffer.from(base).toString('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  const P = bn254.G1.Point;
  const c = g1ToBigints(base);
  const out = new Uint8Array(WINDOWS * DIGITS * G1_BYTES);
  if (c) {
    const pts: InstanceType<typeof P>[] = [];
    let bw = P.fromAffine(c);
    for (let w = 0; w < WINDOWS; w++) {
      let acc = bw;
      for (let m = 1; m <= DIGITS; m++) {
        pts.push(acc);
        if (m < DIGITS) acc = acc.add(bw);
      }
      bw = acc.double(); // 128·2^(8w)·G doubled = 2^(8(w+1))·G
    }
    normalizeZ(P, pts).forEach((p, i) => {
      if (p.is0()) return; // (only for a base of small order, which G1 has not; kept as zeros)
      const a = p.toAffine();
      out.set(g1FromBigints(a.x, a.y), i * G1_BYTES);
    });
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, out);
  return out;
}
