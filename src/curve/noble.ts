/**
 * Our point byte formats ⇄ @noble/curves' BN254 points. noble is pure TypeScript (BigInt): slow per
 * operation but with nothing to build or start, which suits the few-point work of a verifier (a pairing
 * check, a short linear combination) and single additions; MSMs over many points stay on the WASM engine.
 */
import { bn254 } from '@noble/curves/bn254.js';
import { pippenger } from '@noble/curves/abstract/curve.js';

type G1Point = InstanceType<typeof bn254.G1.Point>;
type G2Point = InstanceType<typeof bn254.G2.Point>;

// Byte helpers are restated here (not imported from g1.ts / g2.ts, which import this file).
const Q = bn254.fields.Fp.ORDER;
const R_MOD_Q = (1n << 256n) % Q;
const R_INV_MOD_Q = bn254.fields.Fp.inv(R_MOD_Q);

function readMont(b: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i]!);
  return (v * R_INV_MOD_Q) % Q;
}
function writeMont(v: bigint, out: Uint8Array, off: number): void {
  let m = (v * R_MOD_Q) % Q;
  for (let i = 0; i < 32; i++) {
    out[off + i] = Number(m & 0xffn);
    m >>= 8n;
  }
}
const zero = (b: Uint8Array): boolean => b.every((x) => x === 0);

/** G1Affine bytes (64, LE Montgomery; all zero = identity) → noble point (no validity check: callers hold validated points). */
export function g1ToNoble(p: Uint8Array): G1Point {
  if (zero(p)) return bn254.G1.Point.ZERO;
  return bn254.G1.Point.fromAffine({ x: readMont(p, 0), y: readMont(p, 32) });
}

export function g1FromNoble(p: G1Point): Uint8Array {
  const out = new Uint8Array(64);
  if (p.is0()) return out;
  const a = p.toAffine();
  writeMont(a.x, out, 0);
  writeMont(a.y, out, 32);
  return out;
}

/** G2Affine bytes (128: x.c0‖x.c1‖y.c0‖y.c1, LE Montgomery) → noble point (no validity check). */
export function g2ToNoble(p: Uint8Array): G2Point {
  if (zero(p)) return bn254.G2.Point.ZERO;
  const Fp2 = bn254.fields.Fp2;
  return bn254.G2.Point.fromAffine({ x: Fp2.create({ c0: readMont(p, 0), c1: readMont(p, 32) }), y: Fp2.create({ c0: readMont(p, 64), c1: readMont(p, 96) }) });
}

export function g2FromNoble(p: G2Point): Uint8Array {
  const out = new Uint8Array(128);
  if (p.is0()) return out;
  const a = p.toAffine();
  writeMont(a.x.c0, out, 0);
  writeMont(a.x.c1, out, 32);
  writeMont(a.y.c0, out, 64);
  writeMont(a.y.c1, out, 96);
  return out;
}

/** Σ s_i·P_i by noble's Pippenger (scalars reduced mod r, non-negative). */
export function g1LinearCombinationNoble(points: readonly Uint8Array[], scalars: readonly bigint[]): Uint8Array {
  return g1FromNoble(pippenger(bn254.G1.Point, points.map(g1ToNoble), [...scalars]));
}

/** Π e(P_i, Q_i) == 1, by one batched Miller loop and one final exponentiation. */
export function pairingCheckNoble(pairs: readonly (readonly [Uint8Array, Uint8Array])[]): boolean {
  const gt = bn254.pairingBatch(pairs.map(([p, q]) => ({ g1: g1ToNoble(p), g2: g2ToNoble(q) })));
  return bn254.fields.Fp12.eql(gt, bn254.fields.Fp12.ONE);
}

/** Whether a G2 point (canonical coordinates) is on the twist and in the order-r subgroup. */
export function g2IsValidNoble(p: Uint8Array): boolean {
  try {
    const pt = g2ToNoble(p);
    pt.assertValidity();
    return pt.isTorsionFree();
  } catch {
    return false;
  }
}

/** The standard G2 generator (EIP-197 / snarkjs). */
export function g2GeneratorNoble(): Uint8Array {
  return g2FromNoble(bn254.G2.Point.BASE);
}
