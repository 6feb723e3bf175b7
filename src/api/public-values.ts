/**
 * What a model proof's public values mean. The layout (which graph inputs and outputs are public, their
 * shapes and places in instance column 0) and the scale are stored as the verifying key's metadata, so they
 * are bound by D_vk: a verifier decodes the proven values from the instances through the key it trusts,
 * never through labels in the proof file.
 */
import { FormatError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';
import type { PublicTensor } from '../compiler/index.ts';

const META_FORMAT = 'zkml-model-public-values';

export interface ModelMeta {
  scaleBits: number;
  layout: PublicTensor[];
  /** The compiled model's name (the proof file's `model` label); null in keys made before it was stored. */
  model: string | null;
}

export interface PublicValue {
  name: string;
  /** A public graph input or output, or the commitment to a committed graph input (named after it). */
  kind: 'input' | 'output' | 'commitment';
  shape: number[];
  /** Integers at the model's scale (signed); empty for a commitment. */
  values: number[];
  /** values / 2^scaleBits; empty for a commitment. */
  dequantized: number[];
  /** Kind 'commitment' only: the commitment, a field element as 0x-prefixed 64-digit hex. */
  commitment?: string;
}

export function encodeModelMeta(meta: ModelMeta): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: META_FORMAT, version: 2, scale_bits: meta.scaleBits, public: meta.layout, model: meta.model }));
}

/** The model metadata of a VK, or null when the key carries none (a key made outside the model layer). */
export function decodeModelMeta(bytes: Uint8Array, what: string): ModelMeta | null {
  if (bytes.length === 0) return null;
  let obj: { format?: unknown; version?: unknown; scale_bits?: unknown; public?: unknown; model?: unknown };
  try {
    obj = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new FormatError(what, 'verifying-key metadata is not JSON');
  }
  if (obj.format !== META_FORMAT || (obj.version !== 1 && obj.version !== 2)) throw new FormatError(what, 'verifying-key metadata has an unknown format');
  if (obj.version === 2 && typeof obj.model !== 'string') throw new FormatError(what, 'verifying-key metadata lacks the model name');
  if (!Number.isInteger(obj.scale_bits) || !Array.isArray(obj.public)) throw new FormatError(what, 'verifying-key metadata lacks scale_bits or public');
  let next = 0;
  const layout = obj.public.map((t: PublicTensor, i: number) => {
    const ok =
      t && typeof t.name === 'string' && (t.kind === 'input' || t.kind === 'output' || (t.kind === 'commitment' && t.length === 1)) && Array.isArray(t.shape) &&
      t.shape.every((d) => Number.isInteger(d) && d >= 0) && t.offset === next && Number.isInteger(t.length) &&
      t.length === t.shape.reduce((a, b) => a * b, 1);
    if (!ok) throw new FormatError(what, `verifying-key metadata: public tensor ${i} is malformed`);
    next += t.length;
    return { name: t.name, kind: t.kind, shape: [...t.shape], offset: t.offset, length: t.length };
  });
  return { scaleBits: obj.scale_bits as number, layout, model: obj.version === 2 ? (obj.model as string) : null };
}

/** Field element → signed integer (values above r/2 are negative), as the circuit's integers are encoded. */
function signed(v: bigint): number {
  return Number(v > FR_MODULUS / 2n ? v - FR_MODULUS : v);
}

/** The public tensors decoded from instance column 0 through the layout. */
export function decodePublicValues(meta: ModelMeta, instances: readonly (readonly bigint[])[]): PublicValue[] {
  const col = instances[0] ?? [];
  const total = meta.layout.reduce((a, t) => a + t.length, 0);
  if (col.length !== total) throw new RangeError(`instance column 0 has ${col.length} values, the layout ${total}`);
  const scale = 2 ** meta.scaleBits;
  return meta.layout.map((t) => {
    if (t.kind === 'commitment')
      return { name: t.name, kind: t.kind, shape: [...t.shape], values: [], dequantized: [], commitment: `0x${col[t.offset]!.toString(16).padStart(64, '0')}` };
    const values = col.slice(t.offset, t.offset + t.length).map(signed);
    return { name: t.name, kind: t.kind, shape: [...t.shape], values, dequantized: values.map((v) => v / scale) };
  });
}
