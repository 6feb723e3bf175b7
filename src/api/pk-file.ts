/**
 * `pk.bin`: what a prover needs besides the compiled model — the verifying key (with its commitments), the
 * digest of the circuit it was made for, the SRS powers, the Lagrange basis [L_i(τ)]₁ of the circuit's
 * domain (deriving it from the powers alone takes a slow G1 inverse FFT), and the proving key's coefficient
 * forms: of the fixed and σ columns and of l_0, l_last and l_blind. Prove rebuilds the circuit from the
 * witness layout — its fixed and σ columns are the key's Lagrange forms — checks its digest against the
 * stored one (a stale or foreign pk.bin is a clear error rather than a proof that fails later) and
 * assembles the proving key from those columns and the stored forms without an FFT.
 *
 * A small circuit's file also carries those polynomials' values on every whole coset of the extended domain
 * (at most KEY_COSETS_MAX_BYTES of them; plonk/key-cosets.ts): a process that makes one proof — the CLI —
 * then reads them instead of running a few hundred coset FFTs (MNIST at k 12: ~0.7 s of a 3.4 s proof).
 *
 * The forms are stored as raw Fr vectors (32 bytes per entry, Montgomery form, as held in memory), each at
 * a 32-byte aligned offset, and read as slices of the file's buffer: no per-element parsing.
 *
 * The file ends with a SHA-256 of everything before it: nothing in the SRS powers, the basis or the forms is
 * otherwise checked when proving (the curve points are not re-validated, to keep prove fast), so a damaged
 * file would silently yield proofs that fail to verify. The checksum turns that into a clear error. (It
 * guards against damage, not against whoever writes the file; the verifier never trusts pk.bin anyway.)
 */
import { createHash } from 'node:crypto';
import { FormatError } from '../errors.ts';
import { deserializeSrs, makeSrs, serializeSrs, type Srs } from '../commit/index.ts';
import type { ProvingKey, VerifyingKey } from '../plonk/keys.ts';
import type { KeyForms } from '../plonk/keygen.ts';
import { keyCosetEvals, keyCosetShift } from '../plonk/key-cosets.ts';
import type { ExtendedEvals } from '../poly/index.ts';
import type { Coeffs } from '../poly/index.ts';
import { ByteReader, ByteWriter } from '../serde/bytes.ts';
import { deserializeVk, serializeVk } from '../plonk/encoding/vk.ts';

const MAGIC = new TextEncoder().encode('ZKPK');
/**
 * Version 5 adds the optional coset values; version 4 added the coefficient forms (version 3 held the VK,
 * digest, SRS and basis only).
 */
const VERSION = 5;
/** Coset values are stored when they take at most this much (they are 2^extK times the forms). */
const KEY_COSETS_MAX_BYTES = 64 * 2 ** 20;
const CHECKSUM_BYTES = 32;
const DIGEST_BYTES = 32;
/** Alignment of the forms section (typed-array views over the forms need 4-byte alignment; 32 is one entry). */
const ALIGN = 32;

/** SHA-256 fed in pieces: one update of 2 GiB or more is refused (a large model's key is several GB). */
function sha256(b: Uint8Array): Uint8Array {
  const h = createHash('sha256');
  for (let at = 0; at < b.length; at += HASH_PIECE) h.update(b.subarray(at, Math.min(b.length, at + HASH_PIECE)));
  return new Uint8Array(h.digest());
}
const HASH_PIECE = 1 << 30;

/** The vectors of the forms section, in file order: fixed coefficients, σ coefficients, l_0, l_last, l_blind. */
function formVectors(pk: ProvingKey): Uint8Array[] {
  return [...pk.fixed.map((c) => c.coeffs), ...pk.sigmas.map((c) => c.coeffs), pk.l0, pk.llast, pk.lblind];
}

/** The bytes of pk.bin for a proving key made by setup. */
export async function serializePkFile(pk: ProvingKey): Promise<Uint8Array> {
  const { vk, circuitDigest, srs } = pk;
  if (circuitDigest.length !== DIGEST_BYTES) throw new RangeError('circuit digest must be 32 bytes');
  const vkBytes = serializeVk(vk);
  const srsBytes = serializeSrs(srs);
  const basis = await srs.lagrange(vk.k);
  const head = new ByteWriter()
    .bytes(MAGIC)
    .u32(VERSION)
    .u32(vkBytes.length)
    .bytes(vkBytes)
    .bytes(circuitDigest)
    .u32(srsBytes.length)
    .bytes(srsBytes)
    .u32(basis.length)
    .bytes(basis)
    .u32(pk.fixed.length)
    .u32(pk.sigmas.length)
    .finish();
  const start = Math.ceil(head.length / ALIGN) * ALIGN;
  const vectors = formVectors(pk);
  const columnBytes = 32 * vk.shape.n;
  for (const v of vectors) if (v.length !== columnBytes) throw new RangeError(`a key form has ${v.length} bytes, expected ${columnBytes}`);
  // After the forms: the number of cosets stored per polynomial (0: none), then their values.
  const E = 2 ** vk.shape.extK;
  const cosetBytes = vectors.length * E * columnBytes;
  const cosets: ExtendedEvals[] = [];
  if (cosetBytes <= KEY_COSETS_MAX_BYTES)
    for (const v of vectors) for (let j = 0; j < E; j++) cosets.push(await keyCosetEvals(v as Coeffs, j, vk.k, keyCosetShift(j, vk.k, vk.shape.extK)));
  const formsEnd = start + vectors.length * columnBytes;
  const bodyLength = formsEnd + ALIGN + cosets.length * columnBytes;
  const out = new Uint8Array(bodyLength + CHECKSUM_BYTES);
  out.set(head);
  vectors.forEach((v, i) => out.set(v, start + i * columnBytes));
  new DataView(out.buffer).setUint32(formsEnd, cosets.length === 0 ? 0 : E, true);
  cosets.forEach((v, i) => out.set(v, formsEnd + ALIGN + i * columnBytes));
  out.set(sha256(out.subarray(0, bodyLength)), bodyLength);
  return out;
}

/** What pk.bin holds: the VK, the circuit digest, the SRS (with the domain's Lagrange basis) and the coefficient forms. */
export interface PkFile {
  vk: VerifyingKey;
  circuitDigest: Uint8Array;
  srs: Srs;
  forms: KeyForms;
}

/** Reads pk.bin (`path` names it in errors): magic, version, checksum, then each section bounds-checked. */
export async function parsePkFile(input: Uint8Array, path: string): Promise<PkFile> {
  // The forms are views into this buffer: align it once (a fresh file read is aligned already).
  const bytes = input.byteOffset % ALIGN === 0 ? input : input.slice();
  const head = new ByteReader(bytes, path);
  const magic = head.take(4, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i])) throw new FormatError(path, 'not a zkml proving key (bad magic)');
  const version = head.u32('version');
  if (version === 3 || version === 4) throw new FormatError(path, `proving key made by an older version (pk.bin version ${version}); run zkml setup again`);
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
  if (vk.k > srs.maxK) throw new FormatError(path, `the stored SRS supports k ≤ ${srs.maxK}, the key needs k = ${vk.k}`);
  const basisLength = r.u32('Lagrange basis length');
  if (basisLength !== 64 * 2 ** vk.k) throw new FormatError(path, `Lagrange basis of ${basisLength} bytes does not match k = ${vk.k}`);
  const basis = r.take(basisLength, 'Lagrange basis').slice();
  const numFixed = r.u32('fixed column count');
  const numSigma = r.u32('σ column count');
  if (numFixed !== vk.cs.numFixed || numSigma !== vk.sigmaCommitments.length)
    throw new FormatError(path, `${numFixed} fixed and ${numSigma} σ columns stored, the verifying key has ${vk.cs.numFixed} and ${vk.sigmaCommitments.length}`);
  r.take((ALIGN - (r.offset % ALIGN)) % ALIGN, 'alignment');
  const columnBytes = 32 * vk.shape.n;
  const next = (what: string) => r.take(columnBytes, what) as Coeffs;
  const fixedCoeffs = Array.from({ length: numFixed }, (_, i) => next(`fixed column ${i} coefficients`));
  const sigmaCoeffs = Array.from({ length: numSigma }, (_, i) => next(`σ column ${i} coefficients`));
  const [l0, llast, lblind] = [next('l_0'), next('l_last'), next('l_blind')];
  // The coset count in a 32-byte slot (keeping the values aligned), then the values, polynomial by polynomial.
  const slot = r.take(ALIGN, 'coset count');
  const stored = (slot[0]! | (slot[1]! << 8) | (slot[2]! << 16) | (slot[3]! << 24)) >>> 0;
  const E = 2 ** vk.shape.extK;
  if (stored !== 0 && stored !== E) throw new FormatError(path, `${stored} cosets stored per polynomial, the key's extended domain has ${E}`);
  const polys = numFixed + numSigma + 3;
  const cosets = stored === 0 ? undefined : Array.from({ length: polys }, (_, i) => Array.from({ length: E }, (_, j) => r.take(columnBytes, `coset ${j} of key polynomial ${i}`) as ExtendedEvals));
  const forms: KeyForms = { fixedCoeffs, sigmaCoeffs, l0, llast, lblind, ...(cosets ? { cosets } : {}) };
  r.end();
  return { vk, circuitDigest, srs: makeSrs(srs.maxK, srs.g1Powers, srs.g2Gen, srs.g2Tau, srs.insecure, new Map([[vk.k, basis]])), forms };
}
