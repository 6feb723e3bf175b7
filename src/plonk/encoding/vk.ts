/**
 * Verifying-key bytes (format version 2): magic, version, k, constraint system, instance lengths, fixed
 * and σ commitments (64-byte BE G1), [1]₂ and [τ]₂, then an application metadata block (length-prefixed
 * bytes; the model layer stores what the public values mean). D_vk = keccak256 of these bytes, so the
 * metadata is bound to every proof made for the key. Version 1 keys (no metadata) still load.
 */
import { keccak256 as keccak_256 } from '../../transcript/keccak-wasm.ts';
import { FormatError } from '../../errors.ts';
import { g1FromBytesBE, g1ToBytesBE } from '../../curve/g1.ts';
import { G2_BYTES, g2Validate } from '../../curve/g2.ts';
import { csShape } from '../cs.ts';
import type { VerifyingKey } from '../keys.ts';
import { ByteReader, ByteWriter } from '../../serde/bytes.ts';
import { readConstraintSystem, writeConstraintSystem } from './cs.ts';

const MAGIC = new TextEncoder().encode('ZKVK');
export const VK_FORMAT_VERSION = 2;
const MAX_META_BYTES = 1 << 24;

export function writeVkBody(vk: Omit<VerifyingKey, 'digest'>): Uint8Array {
  const w = new ByteWriter().bytes(MAGIC).u32(VK_FORMAT_VERSION).u32(vk.k);
  writeConstraintSystem(w, vk.cs);
  w.u32(vk.instanceLengths.length);
  for (const m of vk.instanceLengths) w.u32(m);
  w.u32(vk.fixedCommitments.length);
  for (const c of vk.fixedCommitments) w.bytes(g1ToBytesBE(c));
  w.u32(vk.sigmaCommitments.length);
  for (const c of vk.sigmaCommitments) w.bytes(g1ToBytesBE(c));
  w.bytes(vk.g2Gen).bytes(vk.g2Tau);
  w.u32(vk.meta.length).bytes(vk.meta);
  return w.finish();
}

export function vkDigest(vk: Omit<VerifyingKey, 'digest'>): Uint8Array {
  return keccak_256(writeVkBody(vk));
}

export function serializeVk(vk: VerifyingKey): Uint8Array {
  return writeVkBody(vk);
}

/** Parses and validates a VK: structure, curve points, and that the shape is derivable from the cs. */
export async function deserializeVk(bytes: Uint8Array, what = 'verifying key'): Promise<VerifyingKey> {
  const r = new ByteReader(bytes, what);
  const magic = r.take(4, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i])) throw new FormatError(what, 'not a zkml verifying key (bad magic)');
  const version = r.u32('format version');
  if (version !== 1 && version !== VK_FORMAT_VERSION) throw new FormatError(what, `format version ${version}, this build reads 1 and ${VK_FORMAT_VERSION}`);
  const k = r.u32('k', 28);
  const cs = readConstraintSystem(r);
  const instanceLengths = Array.from({ length: r.u32('instance columns', 1 << 16) }, () => r.u32('instance length'));
  const point = (field: string) => {
    try {
      return g1FromBytesBE(r.take(64, field));
    } catch (e) {
      throw new FormatError(what, `${field}: ${(e as Error).message}`);
    }
  };
  const fixedCommitments = Array.from({ length: r.u32('fixed commitments', 1 << 16) }, (_, i) => point(`fixed commitment ${i}`));
  const sigmaCommitments = Array.from({ length: r.u32('sigma commitments', 1 << 16) }, (_, i) => point(`sigma commitment ${i}`));
  const g2Gen = r.take(G2_BYTES, '[1]2').slice();
  const g2Tau = r.take(G2_BYTES, '[tau]2').slice();
  await g2Validate(g2Gen, `${what}: [1]2`);
  await g2Validate(g2Tau, `${what}: [tau]2`);
  const meta = version >= 2 ? r.take(r.u32('metadata length', MAX_META_BYTES), 'metadata').slice() : new Uint8Array(0);
  r.end();
  let shape;
  try {
    shape = csShape(cs, k);
  } catch (e) {
    throw new FormatError(what, `inconsistent constraint system: ${(e as Error).message}`);
  }
  if (fixedCommitments.length !== cs.numFixed || sigmaCommitments.length !== cs.equality.length || instanceLengths.length !== cs.numInstance)
    throw new FormatError(what, 'commitment or instance counts do not match the constraint system');
  const body = { k, cs, shape, instanceLengths, fixedCommitments, sigmaCommitments, g2Gen, g2Tau, meta };
  return { ...body, digest: keccak_256(bytes) };
}
