/** Test helpers: random scalars below r and G1 points as known multiples of the generator (noble as reference). */
import { randomBytes } from 'node:crypto';
import { bn254 } from '@noble/curves/bn254.js';
import { g1FromNoble } from '../../src/curve/noble.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';

/** A uniform-enough scalar in [0, r) (40 random bytes reduced). */
export function rnd(): bigint {
  let v = 0n;
  for (const b of randomBytes(40)) v = (v << 8n) | BigInt(b);
  return v % FR_MODULUS;
}

/** s·G₁ in the project's G1 byte format (the identity for s ≡ 0). */
export const g1 = (s: bigint): Uint8Array => {
  const e = s % FR_MODULUS;
  return g1FromNoble(e === 0n ? bn254.G1.Point.ZERO : bn254.G1.Point.BASE.multiply(e));
};
