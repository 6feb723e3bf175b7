/**
 * Verifying a proof file: the proof against the VK, and every readable field of the file against what the
 * VK and the proven instances determine. Kept apart from the rest of the API so that verifying loads only
 * the verifier (no model import, compiler or prover), and free of Node APIs (no files, no Buffer): the
 * browser verifier (src/browser/verify.ts) bundles this module. Reading files: verify.ts.
 */
import { FormatError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import { verify as plonkVerify, type VerifyResult } from '../plonk/verifier.ts';
import { deserializeProof } from '../plonk/encoding/proof.ts';
import { deserializeVk } from '../plonk/encoding/vk.ts';
import { decodeModelMeta, decodePublicValues, type ModelMeta, type PublicValue } from './public-values.ts';

export interface ProofFile {
  format: 'zkml-proof';
  version: 1;
  model: string;
  /** Hex of the proof bytes (src/serde/proof.ts). */
  proof: string;
  /** Public instance values, decimal strings (canonical field elements). */
  instances: string[][];
  /** The public graph outputs (a copy of the `public` entries of kind output, for people). */
  outputs: { name: string; shape: number[]; values: number[]; dequantized: number[] }[];
  /** Every public tensor (inputs or their commitments, then outputs), decoded from the instances through the VK's layout. */
  public: PublicValue[];
}

/**
 * The proof file's format fields, its proof bytes and its public values, checked without a key: JSON, the
 * format tag and version, a hex proof, decimal public values below r. FormatError on anything malformed.
 */
export function readProofFileFields(text: string, path: string): { file: ProofFile; proofBytes: Uint8Array; instances: bigint[][] } {
  let obj: ProofFile;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new FormatError(path, 'not a proof file (expected JSON)');
  }
  if (obj?.format !== 'zkml-proof' || obj.version !== 1 || typeof obj.proof !== 'string' || !Array.isArray(obj.instances))
    throw new FormatError(path, 'not a zkml proof file (format, version, proof or instances missing)');
  if (!/^([0-9a-f]{2})*$/.test(obj.proof)) throw new FormatError(path, 'proof is not hex');
  const instances = (obj.instances as unknown[]).map((col, c) => {
    if (!Array.isArray(col)) throw new FormatError(path, `instances[${c}] is not a list`);
    return col.map((v: unknown, i: number) => {
      if (typeof v !== 'string' || !/^[0-9]{1,80}$/.test(v)) throw new FormatError(path, `instances[${c}][${i}] is not a decimal string`);
      const b = BigInt(v);
      if (b >= FR_MODULUS) throw new FormatError(path, `instances[${c}][${i}] is not below the field modulus`);
      return b;
    });
  });
  return { file: obj, proofBytes: hexToBytes(obj.proof), instances };
}

/** Parses a proof file (JSON) for `vk`: FormatError on anything malformed. */
export function parseProofFile(text: string, vk: VerifyingKey, path: string) {
  const { file, proofBytes, instances } = readProofFileFields(text, path);
  return { proof: deserializeProof(proofBytes, vk, path), instances, file };
}

/** Bytes of an even-length lowercase hex string (checked by the caller). */
function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = (HEX_DIGIT[hex.charCodeAt(2 * i)]! << 4) | HEX_DIGIT[hex.charCodeAt(2 * i + 1)]!;
  return out;
}
/** Value of the lowercase hex digit with that character code (no substring and parseInt per byte). */
const HEX_DIGIT = (() => {
  const t = new Uint8Array(128);
  for (let d = 0; d < 16; d++) t['0123456789abcdef'.charCodeAt(d)] = d;
  return t;
})();

export type ModelVerifyResult = VerifyResult & {
  /** The proven public tensors, decoded through the VK's layout (only when valid and the VK has one). */
  public?: PublicValue[];
};

/**
 * Verifies a proof file. Beyond the proof itself, every readable field of the file must be what the VK and
 * the proven instances determine: `model` equals the name the VK stores, `outputs` and `public` equal the
 * instances decoded through the VK's layout (names, kinds, shapes, values), and no other field is present —
 * a file whose labels or numbers were edited is invalid even when its proof and instances are genuine.
 */
export async function verify(proofText: string, vkBytes: Uint8Array, paths: { proof?: string; vk?: string } = {}): Promise<ModelVerifyResult> {
  const vkPath = paths.vk ?? 'vk.bin';
  const vk = await readVkOnce(vkBytes, vkPath);
  const { proof, instances, file } = parseProofFile(proofText, vk, paths.proof ?? 'proof.json');
  const shapeOk = instances.length === vk.instanceLengths.length && instances.every((c, i) => c.length === vk.instanceLengths[i]);
  if (!shapeOk) return { valid: false, reason: 'public values do not match the shape the verifying key fixes' };
  const meta = decodeModelMeta(vk.meta, vkPath);
  const result = await plonkVerify(vk, instances, proof);
  if (!result.valid || !meta) return result;
  const proven = decodePublicValues(meta, instances);
  const mismatch = readableFieldMismatch(file, meta, proven);
  if (mismatch) return { valid: false, reason: mismatch };
  return { valid: true, public: proven };
}

/** The last verifying key parsed here, with its bytes (a copy). */
let lastVk: { bytes: Uint8Array; vk: VerifyingKey } | null = null;

/**
 * deserializeVk, skipped when the bytes equal the last key's: a process that checks many proofs against one
 * key (serve-verifier, a benchmark) parses and validates it once (~2 ms of a ~15 ms verification). The key
 * is a pure function of its bytes and nothing downstream modifies it.
 */
async function readVkOnce(vkBytes: Uint8Array, vkPath: string): Promise<VerifyingKey> {
  const last = lastVk;
  if (last && last.bytes.length === vkBytes.length && last.bytes.every((b, i) => b === vkBytes[i])) return last.vk;
  const vk = await deserializeVk(vkBytes, vkPath);
  lastVk = { bytes: vkBytes.slice(), vk };
  return vk;
}

const PROOF_FILE_KEYS = ['format', 'version', 'model', 'proof', 'instances', 'outputs', 'public'];

/** The first readable field of a proof file that differs from what the VK and the proven values fix, or null. */
function readableFieldMismatch(file: ProofFile, meta: ModelMeta, proven: PublicValue[]): string | null {
  const extra = Object.keys(file).filter((k) => !PROOF_FILE_KEYS.includes(k));
  if (extra.length > 0) return `the file has fields nothing checks: ${extra.join(', ')}`;
  if (meta.model === null) return 'the verifying key predates bound model names (made by an older setup); run setup again';
  if (file.model !== meta.model) return `the file's model label '${String(file.model)}' differs from the verifying key's '${meta.model}'`;
  // Compared field by field in a fixed order, so key order and extra keys in an entry both count.
  const canon = (e: unknown, keys: readonly string[]): string =>
    e && typeof e === 'object' && !Array.isArray(e) && Object.keys(e).length === keys.length ? JSON.stringify(keys.map((k) => (e as Record<string, unknown>)[k])) : 'malformed';
  // Each entry is compared on the wanted entry's own keys (a commitment entry has one more).
  const same = (claimed: unknown, want: readonly object[]): boolean =>
    Array.isArray(claimed) && claimed.length === want.length && want.every((w, i) => canon(claimed[i], Object.keys(w)) === canon(w, Object.keys(w)));
  const outputs = proven.filter((p) => p.kind === 'output').map(({ name, shape, values, dequantized }) => ({ name, shape, values, dequantized }));
  if (!same(file.outputs, outputs)) return "the file's outputs differ from the proven public values";
  if (!same(file.public, proven)) return "the file's public values differ from the proven ones";
  return null;
}
