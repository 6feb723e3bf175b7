/**
 * Circuit digest: SHA-256 over everything keygen derives the proving key from — k, the constraint system,
 * instance lengths, the fixed columns and the σ permutation (Lagrange form). Two circuits with one digest
 * have identical proving keys, so a prover may reuse a VK's commitments for any circuit with the digest it
 * was made for instead of recomputing them (the commitments are most of keygen's time).
 * Prover-side only (never in a transcript), so it uses node's native hash: megabytes of columns are hashed
 * in tens of milliseconds where a JS keccak takes seconds.
 */
import { createHash } from 'node:crypto';
import type { FrVec } from '../field/frvec.ts';
import { ByteWriter } from '../serde/bytes.ts';
import { writeConstraintSystem } from './encoding/cs.ts';
import type { ConstraintSystem } from './cs.ts';

const DOMAIN = new TextEncoder().encode('zkml-ts circuit v1');

export function circuitDigest(
  k: number,
  cs: ConstraintSystem,
  instanceLengths: readonly number[],
  fixed: readonly FrVec[],
  sigmas: readonly FrVec[],
): Uint8Array {
  const head = new ByteWriter().bytes(DOMAIN).u32(k);
  writeConstraintSystem(head, cs);
  head.u32(instanceLengths.length);
  for (const m of instanceLengths) head.u32(m);
  head.u32(fixed.length).u32(sigmas.length);
  const h = createHash('sha256');
  h.update(head.finish());
  // Columns are hashed in place (no concatenated copy); each has exactly 2^k entries here.
  for (const col of [...fixed, ...sigmas]) h.update(col);
  return new Uint8Array(h.digest());
}
