/**
 * Calldata of a generated Solidity verifier. The contract has one function,
 *   verifyProof(uint256[P] proof, uint256[I] instances) returns (bool)
 * (just `verifyProof(uint256[P])` when the circuit has no public values), all static ABI types, so every
 * proof element sits at an offset the generator knows:
 *   proof     = the proof bytes of serde/proof.ts without the 8-byte "ZKPF"+version header: G1 points as
 *               two words (x, y big-endian), scalars as one word, in transcript order (PROTOCOL §3);
 *   instances = the public values, column after column.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { FormatError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';

/** Bytes of the proof header (magic "ZKPF" + u32 version) that calldata leaves out. */
export const PROOF_HEADER_BYTES = 8;
const MAGIC = 'ZKPF';

export interface CalldataShape {
  /** Proof words (2 per point, 1 per scalar). */
  readonly proofWords: number;
  /** Public values, all columns together. */
  readonly instanceWords: number;
}

/** The verifier's function signature for a proof and instance size. */
export function verifierSignature(shape: CalldataShape): string {
  return shape.instanceWords > 0 ? `verifyProof(uint256[${shape.proofWords}],uint256[${shape.instanceWords}])` : `verifyProof(uint256[${shape.proofWords}])`;
}

export function functionSelector(signature: string): Uint8Array {
  return keccak_256(new TextEncoder().encode(signature)).subarray(0, 4);
}

/**
 * ABI calldata for `verifyProof`: selector, proof words, instance words. The proof bytes must carry the
 * zkml header; their body must be whole words. Instances must be canonical (< r).
 */
export function encodeCalldata(proofBytes: Uint8Array, instances: readonly (readonly bigint[])[], what = 'proof'): Uint8Array {
  if (proofBytes.length < PROOF_HEADER_BYTES || new TextDecoder().decode(proofBytes.subarray(0, 4)) !== MAGIC)
    throw new FormatError(what, 'not a zkml proof (bad magic)');
  const body = proofBytes.subarray(PROOF_HEADER_BYTES);
  if (body.length === 0 || body.length % 32 !== 0) throw new FormatError(what, `proof body of ${body.length} bytes is not a whole number of 32-byte words`);
  const flat = instances.flat();
  flat.forEach((v, i) => {
    if (typeof v !== 'bigint' || v < 0n || v >= FR_MODULUS) throw new FormatError(what, `public value ${i} is not a canonical field element`);
  });
  const shape = { proofWords: body.length / 32, instanceWords: flat.length };
  const out = new Uint8Array(4 + body.length + 32 * flat.length);
  out.set(functionSelector(verifierSignature(shape)), 0);
  out.set(body, 4);
  flat.forEach((v, i) => {
    let x = v;
    for (let b = 31; b >= 0; b--) {
      out[4 + body.length + 32 * i + b] = Number(x & 0xffn);
      x >>= 8n;
    }
  });
  return out;
}

export const toHex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`;
