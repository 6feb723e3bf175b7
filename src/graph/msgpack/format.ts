/**
 * zkml's msgpack files (ddkang/zkml `src/utils/loader.rs`, see shared/reference/zkml.md §2), parsed from
 * untrusted bytes into typed values once, at the boundary.
 *
 * - Model: `{ global_sf, k, num_cols, inp_idxes, out_idxes, tensors: [{idx, shape, data}], layers: [{layer_type,
 *   params, inp_idxes, inp_shapes, out_idxes, out_shapes, mask}], use_selectors?, commit?, commit_before?,
 *   commit_after?, bits_per_elem?, num_random? }`. Tensor data is already quantized: `round(v · global_sf)`
 *   for float constants, raw integers for TFLite INT32 tensors (shape operands).
 * - Config: the same dict with `tensors: []` (zkml's verifier input).
 * - Input: a bare list of tensors `[{idx, shape, data}]`.
 * Integers may arrive as msgpack int64; we read them as JS numbers and reject values past 2^53.
 */
import { Unpackr } from 'msgpackr';
import { FormatError } from '../../errors.ts';

/** One tensor of a zkml file: TFLite tensor index, shape and row-major integer data. */
export interface ZkmlTensor {
  readonly idx: number;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** One layer of a zkml model: the layer name of zkml's `match_layer` plus its integer params. */
export interface ZkmlLayer {
  readonly layerType: string;
  readonly params: readonly number[];
  readonly inpIdxes: readonly number[];
  readonly inpShapes: readonly (readonly number[])[];
  readonly outIdxes: readonly number[];
  readonly outShapes: readonly (readonly number[])[];
  readonly mask: readonly number[];
  /** Fork only (uiuc-kang-lab/zkml): the chosen implementation index. */
  readonly implementation?: number;
}

/** A zkml model (or config) file. Field names follow ours; comments give zkml's. */
export interface ZkmlModelFile {
  /** `global_sf`: the one fixed-point scale factor of every tensor. */
  readonly globalSf: number;
  readonly k: number;
  readonly numCols: number;
  readonly inpIdxes: readonly number[];
  readonly outIdxes: readonly number[];
  readonly tensors: readonly ZkmlTensor[];
  readonly layers: readonly ZkmlLayer[];
  readonly useSelectors: boolean;
  /** Tensor-id groups hashed before the DAG (`commit_before`). */
  readonly commitBefore: readonly (readonly number[])[];
  /** Tensor-id groups hashed after the DAG (`commit_after`). */
  readonly commitAfter: readonly (readonly number[])[];
  /** The converter's `--commit` flag where the file records it as a top-level boolean `commit`. */
  readonly commit: boolean;
  readonly bitsPerElem?: number;
  readonly numRandom?: number;
}

// int64 values decode as bigint; toInt() accepts them when they are safe integers.
const unpackr = new Unpackr({ useRecords: false, mapsAsObjects: true });

/** Decodes msgpack bytes, mapping the decoder's exceptions (truncated, garbage) to a FormatError. */
export function decodeMsgpack(bytes: Uint8Array, path: string): unknown {
  if (bytes.length === 0) throw new FormatError(path, 'empty file, expected a zkml msgpack file');
  try {
    return unpackr.unpack(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const truncated = (e as { incomplete?: boolean } | null)?.incomplete === true;
    throw new FormatError(path, `not a valid msgpack file (${truncated ? 'truncated' : why})`);
  }
}

/** Reads fields of one untrusted object, naming the field path in every error. */
class Reader {
  constructor(
    readonly path: string,
    readonly where: string,
    readonly obj: Record<string, unknown>,
  ) {}

  static of(path: string, where: string, value: unknown): Reader {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      throw new FormatError(path, `${where}: expected a map, got ${describe(value)}`);
    }
    return new Reader(path, where, value as Record<string, unknown>);
  }

  fail(field: string, msg: string): never {
    throw new FormatError(this.path, `${this.where}.${field}: ${msg}`);
  }

  has(field: string): boolean {
    return this.obj[field] !== undefined && this.obj[field] !== null;
  }

  int(field: string): number {
    return toInt(this.obj[field], (m) => this.fail(field, m));
  }

  optInt(field: string): number | undefined {
    return this.has(field) ? this.int(field) : undefined;
  }

  bool(field: string, dflt: boolean): boolean {
    const v = this.obj[field];
    if (v === undefined || v === null) return dflt;
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    return this.fail(field, `expected a boolean, got ${describe(v)}`);
  }

  str(field: string): string {
    const v = this.obj[field];
    if (typeof v !== 'string') return this.fail(field, `expected a string, got ${describe(v)}`);
    return v;
  }

  ints(field: string, dflt?: number[]): number[] {
    const v = this.obj[field];
    if ((v === undefined || v === null) && dflt) return dflt;
    return toInts(v, (m) => this.fail(field, m));
  }

  intLists(field: string, dflt?: number[][]): number[][] {
    const v = this.obj[field];
    if ((v === undefined || v === null) && dflt) return dflt;
    if (!Array.isArray(v)) return this.fail(field, `expected a list of integer lists, got ${describe(v)}`);
    return v.map((x, i) => toInts(x, (m) => this.fail(`${field}[${i}]`, m)));
  }

  list(field: string): unknown[] {
    const v = this.obj[field];
    if (!Array.isArray(v)) return this.fail(field, `expected a list, got ${describe(v)}`);
    return v;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'nil';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof Uint8Array) return `${v.length} raw bytes`;
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${String(v).slice(0, 40)}`;
}

function toInt(v: unknown, fail: (msg: string) => never): number {
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) fail(`integer ${v} exceeds 2^53`);
    return Number(v);
  }
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(`expected an integer, got ${describe(v)}`);
  return v;
}

function toInts(v: unknown, fail: (msg: string) => never): number[] {
  if (!Array.isArray(v)) return fail(`expected a list of integers, got ${describe(v)}`);
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    // Fast path for the large data arrays: plain safe integers.
    out[i] = typeof x === 'number' && Number.isSafeInteger(x) ? x : toInt(x, (m) => fail(`[${i}]: ${m}`));
  }
  return out;
}

function parseTensor(path: string, where: string, value: unknown): ZkmlTensor {
  const r = Reader.of(path, where, value);
  const idx = r.int('idx');
  const shape = r.ints('shape');
  if (shape.some((d) => d < 0)) r.fail('shape', `negative dimension in [${shape}]`);
  const data = r.ints('data');
  const size = shape.reduce((a, b) => a * b, 1);
  if (data.length !== size) r.fail('data', `holds ${data.length} values but shape [${shape}] needs ${size}`);
  return { idx, shape, data };
}

function parseLayer(path: string, where: string, value: unknown): ZkmlLayer {
  const r = Reader.of(path, where, value);
  const layer: ZkmlLayer = {
    layerType: r.str('layer_type'),
    params: r.ints('params', []),
    inpIdxes: r.ints('inp_idxes'),
    inpShapes: r.intLists('inp_shapes'),
    outIdxes: r.ints('out_idxes'),
    outShapes: r.intLists('out_shapes'),
    mask: r.ints('mask', []),
    ...(r.has('implementation') ? { implementation: r.int('implementation') } : {}),
  };
  if (layer.inpShapes.length !== layer.inpIdxes.length) {
    r.fail('inp_shapes', `${layer.inpShapes.length} shapes for ${layer.inpIdxes.length} inputs`);
  }
  if (layer.outShapes.length !== layer.outIdxes.length) {
    r.fail('out_shapes', `${layer.outShapes.length} shapes for ${layer.outIdxes.length} outputs`);
  }
  return layer;
}

/** Parses a zkml model or config file (see the file comment). */
export function parseZkmlModel(bytes: Uint8Array, path: string): ZkmlModelFile {
  const r = Reader.of(path, 'model', decodeMsgpack(bytes, path));
  const globalSf = r.int('global_sf');
  if (globalSf <= 0) r.fail('global_sf', `scale factor must be positive, got ${globalSf}`);
  const k = r.int('k');
  if (k < 1 || k > 32) r.fail('k', `expected 1..32, got ${k}`);
  const numCols = r.int('num_cols');
  if (numCols < 1) r.fail('num_cols', `expected at least 1 column, got ${numCols}`);
  const tensors = r.list('tensors').map((t, i) => parseTensor(path, `model.tensors[${i}]`, t));
  const layers = r.list('layers').map((l, i) => parseLayer(path, `model.layers[${i}]`, l));
  const bitsPerElem = r.optInt('bits_per_elem');
  const numRandom = r.optInt('num_random');
  return {
    globalSf,
    k,
    numCols,
    inpIdxes: r.ints('inp_idxes'),
    outIdxes: r.ints('out_idxes'),
    tensors,
    layers,
    useSelectors: r.bool('use_selectors', true),
    commitBefore: r.intLists('commit_before', []),
    commitAfter: r.intLists('commit_after', []),
    commit: r.bool('commit', false),
    ...(bitsPerElem !== undefined ? { bitsPerElem } : {}),
    ...(numRandom !== undefined ? { numRandom } : {}),
  };
}

/** Parses a zkml input file: a bare list of tensors. */
export function parseZkmlInput(bytes: Uint8Array, path: string): ZkmlTensor[] {
  const v = decodeMsgpack(bytes, path);
  if (!Array.isArray(v)) throw new FormatError(path, `input: expected a list of tensors, got ${describe(v)}`);
  return v.map((t, i) => parseTensor(path, `input[${i}]`, t));
}
