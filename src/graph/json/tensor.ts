/**
 * IR tensors as JSON: dtype, shape and the typed array's bytes in base64 (little-endian, as the array holds
 * them), so weights round-trip bit for bit. Reading treats the object as hostile: every field is typed and
 * range-checked, and the byte length is compared with shape × element size before anything is allocated.
 */
import { FormatError } from '../../errors.ts';
import type { DType, Tensor } from '../ir.ts';

/** A tensor as written to JSON. */
export interface TensorJson {
  dtype: DType;
  shape: number[];
  /** Base64 of the data's bytes: float32 for 'float32', float64 (exact integers) for the integer types. */
  data: string;
}

/** Largest element count a stored tensor may declare (and largest single dimension). */
export const MAX_TENSOR_ELEMENTS = 2 ** 31;

const DTYPES: ReadonlySet<string> = new Set<DType>(['float32', 'int64', 'int32', 'bool']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The JSON form of a tensor. */
export function tensorToJson(t: Tensor): TensorJson {
  return { dtype: t.dtype, shape: [...t.shape], data: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64') };
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A static shape: non-negative integer dims whose product is at most {@link MAX_TENSOR_ELEMENTS}. */
export function readShape(v: unknown, path: string, what: string): number[] {
  if (!Array.isArray(v) || v.length > 64) throw new FormatError(path, `${what}: shape must be an array of at most 64 dims`);
  let n = 1;
  for (const d of v) {
    if (!Number.isInteger(d) || d < 0 || d > MAX_TENSOR_ELEMENTS) throw new FormatError(path, `${what}: shape dims must be integers in [0, 2^31]`);
    n *= d;
    if (n > MAX_TENSOR_ELEMENTS) throw new FormatError(path, `${what}: more than 2^31 elements`);
  }
  return [...(v as number[])];
}

/** Reads a tensor written by {@link tensorToJson}; `what` names it in errors. */
export function tensorFromJson(v: unknown, path: string, what: string): Tensor {
  if (!isObject(v)) throw new FormatError(path, `${what}: tensor must be an object`);
  const { dtype, data } = v;
  if (typeof dtype !== 'string' || !DTYPES.has(dtype)) throw new FormatError(path, `${what}: unknown dtype ${JSON.stringify(dtype)}`);
  const shape = readShape(v.shape, path, what);
  if (typeof data !== 'string') throw new FormatError(path, `${what}: data must be a base64 string`);
  let n = 1;
  for (const d of shape) n *= d;
  const size = dtype === 'float32' ? 4 : 8;
  const bytes = n * size;
  if (data.length !== 4 * Math.ceil(bytes / 3) || !BASE64.test(data))
    throw new FormatError(path, `${what}: data is not the base64 of ${bytes} bytes (shape ${JSON.stringify(shape)}, ${dtype})`);
  // Node's native decoder where there is one; atob in a browser (the page's prover reads .zkc files too).
  const raw = typeof Buffer === 'function' ? Buffer.from(data, 'base64') : Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  if (raw.length !== bytes) throw new FormatError(path, `${what}: data decodes to ${raw.length} bytes, expected ${bytes}`);
  if (dtype === 'float32') {
    const out = new Float32Array(n);
    new Uint8Array(out.buffer).set(raw);
    return { dtype, shape, data: out };
  }
  const out = new Float64Array(n);
  new Uint8Array(out.buffer).set(raw);
  for (let i = 0; i < n; i++) {
    const x = out[i]!;
    if (!(Math.abs(x) <= Number.MAX_SAFE_INTEGER)) throw new FormatError(path, `${what}: element ${i} (${x}) is not a finite value within ±2^53`);
  }
  return { dtype: dtype as 'int64' | 'int32' | 'bool', shape, data: out };
}
