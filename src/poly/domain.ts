/** Multiplicative subgroup H = ⟨ω⟩ of size n = 2^k, ω = 5^((r−1)/2^k) (PROTOCOL §1). */
import { FR_MODULUS, FR_TWO_ADICITY, frInv, frMul, frPow, frSub, rootOfUnity } from '../scalar/fr.ts';
import { frVecPowers, type FrVec } from '../field/frvec.ts';

export class Domain {
  readonly k: number;
  readonly n: number;
  readonly omega: bigint;
  readonly omegaInv: bigint;
  readonly nInv: bigint;

  constructor(k: number) {
    if (!Number.isInteger(k) || k < 0 || k > FR_TWO_ADICITY) throw new RangeError(`domain size 2^${k} not supported`);
    this.k = k;
    this.n = 2 ** k;
    this.omega = rootOfUnity(k);
    this.omegaInv = frInv(this.omega);
    this.nInv = frInv(BigInt(this.n) % FR_MODULUS);
  }

  /** ω^i (any integer i, negative allowed). */
  element(i: number): bigint {
    const e = ((i % this.n) + this.n) % this.n;
    return frPow(this.omega, BigInt(e));
  }

  /** ω^0..ω^{n−1} as an FrVec. */
  elements(): FrVec {
    return frVecPowers(this.omega, this.n);
  }

  /** Z_H(x) = x^n − 1. */
  vanishingAt(x: bigint): bigint {
    return frSub(frPow(x, BigInt(this.n)), 1n);
  }

  /** x·ω^rot. */
  rotate(x: bigint, rot: number): bigint {
    return frMul(x, this.element(rot));
  }
}
