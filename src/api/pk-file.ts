/**
 * `pk.bin`: what a prover needs besides the compiled model — the verifying key (with its commitments), the
 * digest of the circuit it was made for, and the SRS powers. The proving key's large precomputed vectors
 * (coefficient and extended-coset forms, a few FFTs per column) are re-derived from the model at prove
 * time; the commitments are reused only after the rebuilt circuit's digest matches, so a stale or foreign
 * pk.bin is a clear error rather than a proof that fails later. The Lagrange basis [L_i(τ)]₁ of the
 * circuit's domain is stored too: deriving it from the powers alone takes a slow G1 inverse FFT.
 *
 * The file ends with a SHA-256 of everything before it: nothing in the SRS powers or the Lagrange basis is
 * otherwise checked when proving (the curve points are not re-validated, to keep prove fast), so a damaged
 * file would silently yield proofs that fail to verify. The checksum turns that into a clear error. (It
 * guards against damage, not against whoever writes the file; the verifier never trusts pk.bin anyway.)
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatError } from '../errors.ts';
import { deserializeSrs, makeSrs, serializeSrs, type Srs } from '../commit/index.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import { ByteReader, ByteWriter } from '../serde/bytes.ts';
import { deserializeVk, serializeVk } from '../plonk/encoding/vk.ts';

const MAGIC = new TextEncoder().encode('ZKPK');
const VERSION = 3;
const CHECKSUM_BYTES = 32;
const DIGEST_BYTES = 32;

export async function serializePkFile(vk: VerifyingKey, circuitDigest: Uint8Array, srs: Srs): Promise<Uint8Array> {
  if (circuitDigest.length !== DIGEST_BYTES) throw new RangeError('circuit digest must be 32 bytes');
  const vkBytes = serializeVk(vk);
  const srsBytes = serializeSrs(srs);
  const basis = await srs.lagrange(vk.k);
  const body = new ByteWriter()
    .bytes(MAGIC)
    .u32(VERSION)
    .u32(vkBytes.length)
    .bytes(vkBytes)
    .bytes(circuitDigest)
    .u32(srsBytes.length)
    .bytes(srsBytes)
    .u32(basis.length)
    .bytes(basis)
    .finish();
  const out = new Uint8Array(body.length + CHECKSUM_BYTES);
  out.set(body);
  out.set(sha256(body), body.length);
  return out;
}

export interface PkFile {
  vk: VerifyingKey;
  circuitDigest: Uint8Array;
  srs: Srs;
}

export async function parsePkFile(bytes: Uint8Array, path: string): Promise<PkFile> {
  const head = new ByteReader(bytes, path);
  const magic = head.take(4, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i])) throw new FormatError(path, 'not a zkml proving key (bad magic)');
  const version = head.u32('version');
  if (version !== VERSION) throw new FormatError(path, `proving-key version ${version}, this build reads ${VERSION}`);
  const body = bytes.subarray(0, Math.max(0, bytes.length - CHECKSUM_BYTES));
  const sum = sha256(body);
  if (bytes.length < 8 + CHECKSUM_BYTES || !sum.every((b, i) => b === bytes[body.length + i]))
    throw new FormatError(path, 'the proving key is damaged (checksum mismatch); copy it again or rerun setup');
  const r = new ByteReader(body, path);
  r.take(8, 'header');
  const vk = await deserializeVk(r.take(r.u32('vk length'), 'vk').slice(), path);
  const circuitDigest = r.take(DIGEST_BYTES, 'circuit digest').slice();
  let srs: Srs;
  try {
    srs = deserializeSrs(r.take(r.u32('srs length'), 'srs').slice(), path);
  } catch (e) {
    throw new FormatError(path, (e as Error).message);
  }
  const basisLength = r.u32('Lagrange basis length');
  if (basisLength !== 64 * 2 ** vk.k) throw new FormatError(path, `Lagrange basis of ${basisLength} bytes does not match k = ${vk.k}`);
  const basis = r.take(basisLength, 'Lagrange basis').slice();
  r.end();
  return { vk, circuitDigest, srs: makeSrs(srs.maxK, srs.g1Powers, srs.g2Gen, srs.g2Tau, srs.insecure, new Map([[vk.k, basis]])) };
}
