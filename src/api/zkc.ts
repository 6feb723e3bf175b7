/**
 * `model.zkc`: a compiled model — the quantized graph (ONNX bytes written by our writer) and the
 * quantization settings that fix its integer semantics, plus the circuit size chosen at compile time.
 * JSON, versioned, validated on read.
 */
import { FormatError } from '../errors.ts';
import { importOnnx, settingsFromJson, settingsToJson, writeOnnx, type QuantizedModel } from '../model/index.ts';
import { readFileOrThrow } from './files.ts';
import { MAX_TABLE_BITS, MIN_TABLE_BITS, type CompileOptions as CircuitCompileOptions, type ModelHead, type Visibility } from '../compiler/index.ts';

export const ZKC_FORMAT = 'zkml-compiled-model';
export const ZKC_VERSION = 1;

export interface CompiledModel {
  readonly model: QuantizedModel;
  /** Domain size exponent of the circuit. */
  readonly k: number;
  readonly source: string;
  /** Products per row of the dot-product chip (`--cols`); default: the compiler's. */
  readonly width?: number;
  /** Range-table bits T (`--table-bits`, or chosen by compile's search); default: the compiler's. */
  readonly tableBits?: number;
  /** Visibility overrides per graph input/output (default: inputs private, outputs public; inputs may be 'committed'). */
  readonly visibility?: Readonly<Record<string, Visibility>>;
  /** zkml's global scale when the model came from a zkml msgpack file: its input files are at this scale. */
  readonly zkmlScale?: number;
  /** A circuit appended after the graph (src/apps/audit): in memory only, never written to a .zkc. */
  readonly head?: ModelHead;
}

export function serializeZkc(c: CompiledModel): string {
  return JSON.stringify({
    format: ZKC_FORMAT,
    version: ZKC_VERSION,
    source: c.source,
    k: c.k,
    ...(c.zkmlScale !== undefined ? { zkml_scale: c.zkmlScale } : {}),
    ...(c.width !== undefined ? { width: c.width } : {}),
    ...(c.tableBits !== undefined ? { table_bits: c.tableBits } : {}),
    ...(c.visibility !== undefined ? { visibility: c.visibility } : {}),
    settings: JSON.parse(settingsToJson(c.model.settings)),
    onnx: Buffer.from(writeOnnx(c.model.graph)).toString('base64'),
  });
}

export function parseZkc(text: string, path: string): CompiledModel {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text);
  } catch {
    throw new FormatError(path, 'not a compiled model (.zkc is JSON)');
  }
  if (obj.format !== ZKC_FORMAT) throw new FormatError(path, `not a compiled model (format is ${JSON.stringify(obj.format)})`);
  if (obj.version !== ZKC_VERSION) throw new FormatError(path, `compiled-model version ${obj.version}, this build reads ${ZKC_VERSION}`);
  if (typeof obj.onnx !== 'string' || typeof obj.k !== 'number' || !obj.settings) throw new FormatError(path, 'missing onnx, k or settings');
  let settings;
  try {
    settings = settingsFromJson(JSON.stringify(obj.settings));
  } catch (e) {
    throw new FormatError(path, `bad settings: ${(e as Error).message}`);
  }
  const graph = importOnnx(new Uint8Array(Buffer.from(obj.onnx, 'base64')), path);
  if (obj.zkml_scale !== undefined && (typeof obj.zkml_scale !== 'number' || !(obj.zkml_scale > 0))) throw new FormatError(path, 'zkml_scale must be a positive number');
  const zkmlScale = obj.zkml_scale as number | undefined;
  if (obj.width !== undefined && !(Number.isInteger(obj.width) && (obj.width as number) >= 1)) throw new FormatError(path, 'width must be a positive integer');
  const width = obj.width as number | undefined;
  if (obj.table_bits !== undefined && !(Number.isInteger(obj.table_bits) && (obj.table_bits as number) >= MIN_TABLE_BITS && (obj.table_bits as number) <= MAX_TABLE_BITS))
    throw new FormatError(path, `table_bits must be an integer in [${MIN_TABLE_BITS}, ${MAX_TABLE_BITS}]`);
  const tableBits = obj.table_bits as number | undefined;
  const vis = obj.visibility;
  if (vis !== undefined && (typeof vis !== 'object' || vis === null || Array.isArray(vis) || Object.values(vis).some((v) => v !== 'public' && v !== 'private' && v !== 'committed')))
    throw new FormatError(path, "visibility must map tensor names to 'public', 'private' or 'committed'");
  const visibility = vis as Record<string, Visibility> | undefined;
  return {
    model: { graph, settings },
    k: obj.k,
    source: String(obj.source ?? ''),
    ...(zkmlScale !== undefined ? { zkmlScale } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(tableBits !== undefined ? { tableBits } : {}),
    ...(visibility !== undefined ? { visibility } : {}),
  };
}

/** Layout options of a compiled model's circuit (the same at compile, setup and prove time). */
export function circuitOptions(c: CompiledModel): CircuitCompileOptions {
  return {
    k: c.k,
    ...(c.width !== undefined ? { width: c.width } : {}),
    ...(c.tableBits !== undefined ? { tableBits: c.tableBits } : {}),
    ...(c.visibility !== undefined ? { visibility: c.visibility } : {}),
    ...(c.head !== undefined ? { head: c.head } : {}),
  };
}

export function readZkc(path: string): CompiledModel {
  return parseZkc(new TextDecoder().decode(readFileOrThrow(path, 'compiled model')), path);
}
