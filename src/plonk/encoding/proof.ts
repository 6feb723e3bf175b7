/**
 * Proof bytes (format version 1): "ZKPF", version, then exactly the transcript items of PROTOCOL §3 in
 * order — G1 points as 64-byte big-endian affine coordinates, scalars as 32-byte big-endian values < r.
 * The element counts follow from the VK, so any other length is rejected.
 */
import { FormatError } from '../../errors.ts';
import { g1FromBytesBE, g1ToBytesBE, type G1Affine } from '../../curve/g1.ts';
import type { VerifyingKey } from '../keys.ts';
import { evaluationOrder } from '../openings.ts';
import type { Proof } from '../proof.ts';
import { ByteReader, ByteWriter } from '../../serde/bytes.ts';

const MAGIC = new TextEncoder().encode('ZKPF');
export const PROOF_FORMAT_VERSION = 1;

/** Number of G1 points and scalars a proof for this VK carries. */
export function proofCounts(vk: VerifyingKey): { points: number; scalars: number } {
  const { cs, shape } = vk;
  const groups = shape.lookupArgs.reduce((s, a) => s + a.groups.length, 0);
  const points = cs.advicePhases.length + shape.lookupArgs.length + shape.chunks.length + groups + 1 + (shape.d - 1) + 2;
  return { points, scalars: evaluationOrder(cs, shape).length };
}

export function serializeProof(proof: Proof): Uint8Array {
  const w = new ByteWriter().bytes(MAGIC).u32(PROOF_FORMAT_VERSION);
  const pts = [...proof.advice, ...proof.multiplicities, ...proof.permutationProducts, ...proof.logupSums, proof.random, ...proof.quotientPieces];
  for (const p of pts) w.bytes(g1ToBytesBE(p));
  for (const s of proof.evals) w.scalar(s);
  w.bytes(g1ToBytesBE(proof.W)).bytes(g1ToBytesBE(proof.Wprime));
  return w.finish();
}

/** Parses a proof for `vk`, validating length, every point (on curve, coordinates < q) and scalar (< r). */
export function deserializeProof(bytes: Uint8Array, vk: VerifyingKey, what = 'proof'): Proof {
  const r = new ByteReader(bytes, what);
  const magic = r.take(4, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i])) throw new FormatError(what, 'not a zkml proof (bad magic)');
  const version = r.u32('format version');
  if (version !== PROOF_FORMAT_VERSION) throw new FormatError(what, `format version ${version}, this build reads ${PROOF_FORMAT_VERSION}`);
  const { points, scalars } = proofCounts(vk);
  const expected = 8 + 64 * points + 32 * scalars;
  if (bytes.length !== expected) throw new FormatError(what, `${bytes.length} bytes, a proof for this key has exactly ${expected}`);
  const point = (field: string): G1Affine => {
    try {
      return g1FromBytesBE(r.take(64, field));
    } catch (e) {
      throw new FormatError(what, `${field}: ${(e as Error).message}`);
    }
  };
  const many = (n: number, field: string) => Array.from({ length: n }, (_, i) => point(`${field} ${i}`));
  const { cs, shape } = vk;
  const advice = many(cs.advicePhases.length, 'advice commitment');
  const multiplicities = many(shape.lookupArgs.length, 'multiplicity commitment');
  const permutationProducts = many(shape.chunks.length, 'permutation commitment');
  const logupSums = many(shape.lookupArgs.reduce((s, a) => s + a.groups.length, 0), 'logUp commitment');
  const random = point('random commitment');
  const quotientPieces = many(shape.d - 1, 'quotient piece');
  const evals = Array.from({ length: scalars }, (_, i) => r.scalar(`evaluation ${i}`));
  const W = point('W');
  const Wprime = point("W'");
  r.end();
  return { advice, multiplicities, permutationProducts, logupSums, random, quotientPieces, evals, W, Wprime };
}
