/** Verifying and proving keys. The VK is what a verifier trusts; its canonical bytes hash to D_vk. */
import type { G1Affine, G2Affine } from '../curve/index.ts';
import type { Srs } from '../commit/index.ts';
import type { FrVec } from '../field/frvec.ts';
import type { Coeffs, LagrangeEvals } from '../poly/index.ts';
import type { ConstraintSystem, CsShape } from './cs.ts';

export interface VerifyingKey {
  readonly k: number;
  readonly cs: ConstraintSystem;
  readonly shape: CsShape;
  /** m_c: number of public values in each instance column. */
  readonly instanceLengths: readonly number[];
  readonly fixedCommitments: readonly G1Affine[];
  readonly sigmaCommitments: readonly G1Affine[];
  readonly g2Gen: G2Affine;
  readonly g2Tau: G2Affine;
  /** Application metadata bound by the digest (the model layer: what the public values mean); may be empty. */
  readonly meta: Uint8Array;
  /** keccak256 of the canonical VK bytes (PROTOCOL §3 D_vk). */
  readonly digest: Uint8Array;
}

/**
 * A fixed or σ column: coefficients (the prover evaluates it coset by coset from these) and, where kept,
 * values on H (a prover's key keeps only those it reads: keygen.ts provingKeyFromForms).
 */
export interface PolyForms {
  readonly lagrange?: LagrangeEvals;
  readonly coeffs: Coeffs;
}

export interface ProvingKey {
  readonly vk: VerifyingKey;
  /** SHA-256 of the circuit keygen was run on (plonk/circuit-digest.ts). */
  readonly circuitDigest: Uint8Array;
  readonly srs: Srs;
  readonly fixed: readonly PolyForms[];
  readonly sigmas: readonly PolyForms[];
  /** Coefficients of l_0, l_last, l_blind and X. */
  readonly l0: Coeffs;
  readonly llast: Coeffs;
  readonly lblind: Coeffs;
  readonly x: Coeffs;
  /** ω^i on the base domain (permutation identity labels before scaling by δ^j). */
  readonly omegaPowers: FrVec;
}
