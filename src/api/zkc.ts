/**
 * `model.zkc`: a compiled model — the simplified graph (the IR as JSON, src/graph/json/) and the
 * quantization settings that fix its integer semantics, plus the layout chosen at compile time (k, width,
 * table bits, visibility, committed weights and the activation width they fix). Reading it runs neither
 * the ONNX reader nor the simplifier: the graph is the one compile laid out. JSON, versioned, validated on
 * read as a hostile file.
 */
import { FormatError } from '../errors.ts';
import { settingsFromObject, settingsToJson, type QuantizedModel } from '../model/index.ts';
import { graphFromJson, graphToJson } from '../graph/json/graph.ts';
import { opDef } from '../layers/registry.ts';
import { checkStoredGraph } from '../model/graph-check.ts';
import { readFileOrThrow } from './files.ts';
import { resolveVisibility } from '../compiler/visibility.ts';
import { MAX_DOT_OUTPUTS, MAX_INPUTS_PER_ROW, MAX_TABLE_BITS, MIN_TABLE_BITS, type CompileOptions as CircuitCompileOptions, type ModelHead, type Visibility } from '../compiler/index.ts';

export const ZKC_FORMAT = 'zkml-compiled-model';
/** Version 2 stores the graph as IR JSON (version 1 stored ONNX bytes to import again). */
export const ZKC_VERSION = 2;
/** Largest domain exponent a compiled model may declare. */
const MAX_K = 28;

export interface CompiledModel {
  readonly model: QuantizedModel;
  /** Domain size exponent of the circuit. */
  readonly k: number;
  readonly source: string;
  /** Products per row of the dot-product chip (`--cols`); default: the compiler's. */
  readonly width?: number;
  /** Outputs per dot row (`--dot-outputs`, or chosen by compile's search); default 1. */
  readonly dotOutputs?: number;
  /** Range-table bits T (`--table-bits`, or chosen by compile's search); default: the compiler's. */
  readonly tableBits?: number;
  /** Private graph inputs per range-check row (chosen by compile's search); default 1. */
  readonly inputsPerRow?: number;
  /** Visibility overrides per graph input/output (default: inputs private, outputs public; inputs and outputs may be 'committed'). */
  readonly visibility?: Readonly<Record<string, Visibility>>;
  /**
   * Weights committed (compiler/weights.ts): in advice cells behind one public commitment, not in the
   * verifying key. The .zkc still holds them: it is the owner's file, like an opening.
   */
  readonly committedWeights?: boolean;
  /** Signed activation bits B when fixed at compile time (always with committed weights). */
  readonly actBits?: number;
  /** Committed weights: signed bits of a weight at 2^s (compiler/weights.ts). */
  readonly weightBits?: number;
  /** zkml's global scale when the model came from a zkml msgpack file: its input files are at this scale. */
  readonly zkmlScale?: number;
  /** A circuit appended after the graph (src/apps/audit): in memory only, never written to a .zkc. */
  readonly head?: ModelHead;
}

/** The `.zkc` text of a compiled model. */
export function serializeZkc(c: CompiledModel): string {
  return JSON.stringify({
    format: ZKC_FORMAT,
    version: ZKC_VERSION,
    source: c.source,
    k: c.k,
    ...(c.zkmlScale !== undefined ? { zkml_scale: c.zkmlScale } : {}),
    ...(c.width !== undefined ? { width: c.width } : {}),
    ...(c.dotOutputs !== undefined ? { dot_outputs: c.dotOutputs } : {}),
    ...(c.tableBits !== undefined ? { table_bits: c.tableBits } : {}),
    ...(c.inputsPerRow !== undefined ? { inputs_per_row: c.inputsPerRow } : {}),
    ...(c.visibility !== undefined ? { visibility: c.visibility } : {}),
    ...(c.committedWeights ? { committed_weights: true } : {}),
    ...(c.actBits !== undefined ? { act_bits: c.actBits } : {}),
    ...(c.weightBits !== undefined ? { weight_bits: c.weightBits } : {}),
    settings: JSON.parse(settingsToJson(c.model.settings)),
    graph: graphToJson(c.model.graph),
  });
}

/** Reads `.zkc` text (`path` names the file in errors); refuses version 1 files and anything malformed. */
export function parseZkc(text: string, path: string): CompiledModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FormatError(path, 'not a compiled model (.zkc is JSON)');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new FormatError(path, 'not a compiled model (.zkc is a JSON object)');
  const obj = parsed as Record<string, unknown>;
  if (obj.format !== ZKC_FORMAT) throw new FormatError(path, `not a compiled model (format is ${JSON.stringify(obj.format)})`);
  if (obj.version === 1) throw new FormatError(path, 'compiled by an older version (.zkc version 1); run zkml compile again');
  if (obj.version !== ZKC_VERSION) throw new FormatError(path, `compiled-model version ${JSON.stringify(obj.version)}, this build reads ${ZKC_VERSION}`);
  if (!Number.isInteger(obj.k) || (obj.k as number) < 1 || (obj.k as number) > MAX_K) throw new FormatError(path, `k must be an integer in [1, ${MAX_K}]`);
  if (typeof obj.settings !== 'object' || obj.settings === null || obj.graph === undefined) throw new FormatError(path, 'missing graph or settings');
  if (obj.source !== undefined && typeof obj.source !== 'string') throw new FormatError(path, 'source must be a string');
  let settings;
  try {
    settings = settingsFromObject(obj.settings);
  } catch (e) {
    throw new FormatError(path, `bad settings: ${(e as Error).message}`);
  }
  const graph = graphFromJson(obj.graph, path, (op, domain) => opDef(op, domain) !== undefined);
  checkStoredGraph(graph, path);
  if (obj.zkml_scale !== undefined && (typeof obj.zkml_scale !== 'number' || !(obj.zkml_scale > 0))) throw new FormatError(path, 'zkml_scale must be a positive number');
  const zkmlScale = obj.zkml_scale as number | undefined;
  if (obj.width !== undefined && !(Number.isInteger(obj.width) && (obj.width as number) >= 1)) throw new FormatError(path, 'width must be a positive integer');
  const width = obj.width as number | undefined;
  if (obj.dot_outputs !== undefined && !(Number.isInteger(obj.dot_outputs) && (obj.dot_outputs as number) >= 1 && (obj.dot_outputs as number) <= MAX_DOT_OUTPUTS))
    throw new FormatError(path, `dot_outputs must be an integer in [1, ${MAX_DOT_OUTPUTS}]`);
  const dotOutputs = obj.dot_outputs as number | undefined;
  if (obj.table_bits !== undefined && !(Number.isInteger(obj.table_bits) && (obj.table_bits as number) >= MIN_TABLE_BITS && (obj.table_bits as number) <= MAX_TABLE_BITS))
    throw new FormatError(path, `table_bits must be an integer in [${MIN_TABLE_BITS}, ${MAX_TABLE_BITS}]`);
  const tableBits = obj.table_bits as number | undefined;
  if (obj.inputs_per_row !== undefined && !(Number.isInteger(obj.inputs_per_row) && (obj.inputs_per_row as number) >= 1 && (obj.inputs_per_row as number) <= MAX_INPUTS_PER_ROW))
    throw new FormatError(path, `inputs_per_row must be an integer in [1, ${MAX_INPUTS_PER_ROW}]`);
  const inputsPerRow = obj.inputs_per_row as number | undefined;
  const vis = obj.visibility;
  if (vis !== undefined && (typeof vis !== 'object' || vis === null || Array.isArray(vis) || Object.values(vis).some((v) => v !== 'public' && v !== 'private' && v !== 'committed')))
    throw new FormatError(path, "visibility must map tensor names to 'public', 'private' or 'committed'");
  if (obj.committed_weights !== undefined && obj.committed_weights !== true) throw new FormatError(path, 'committed_weights must be true when present');
  if (obj.act_bits !== undefined && !(Number.isInteger(obj.act_bits) && (obj.act_bits as number) >= 2 && (obj.act_bits as number) <= 60)) throw new FormatError(path, 'act_bits must be an integer in [2, 60]');
  if (obj.committed_weights && obj.act_bits === undefined) throw new FormatError(path, 'a model with committed weights must store act_bits');
  if (obj.weight_bits !== undefined && !(obj.committed_weights && Number.isInteger(obj.weight_bits) && (obj.weight_bits as number) >= 2 && (obj.weight_bits as number) <= 64))
    throw new FormatError(path, 'weight_bits must be an integer in [2, 64], with committed_weights');
  if (obj.committed_weights && obj.weight_bits === undefined) throw new FormatError(path, 'a model with committed weights must store weight_bits');
  const weightBits = obj.weight_bits as number | undefined;
  const actBits = obj.act_bits as number | undefined;
  const visibility = vis === undefined ? undefined : (Object.assign(Object.create(null), vis) as Record<string, Visibility>);
  return {
    model: { graph, settings },
    k: obj.k as number,
    source: (obj.source as string | undefined) ?? '',
    ...(zkmlScale !== undefined ? { zkmlScale } : {}),
    ...(width !== undefined ? { width } : {}),
    ...(dotOutputs !== undefined ? { dotOutputs } : {}),
    ...(tableBits !== undefined ? { tableBits } : {}),
    ...(inputsPerRow !== undefined ? { inputsPerRow } : {}),
    ...(visibility !== undefined ? { visibility } : {}),
    ...(obj.committed_weights ? { committedWeights: true } : {}),
    ...(actBits !== undefined ? { actBits } : {}),
    ...(weightBits !== undefined ? { weightBits } : {}),
  };
}

/** Layout options of a compiled model's circuit (the same at compile, setup and prove time). */
/** The compiled model's committed graph inputs and outputs, by name, in graph order. */
export function committedTensors(c: CompiledModel): { inputs: string[]; outputs: string[] } {
  const { graph } = c.model;
  const vis = resolveVisibility(graph, c.visibility);
  const committed = (vs: readonly { name: string }[]) => vs.filter((v) => vis.get(v.name) === 'committed').map((v) => v.name);
  return { inputs: committed(graph.inputs), outputs: committed(graph.outputs) };
}

export function circuitOptions(c: CompiledModel): CircuitCompileOptions {
  return {
    k: c.k,
    ...(c.width !== undefined ? { width: c.width } : {}),
    ...(c.dotOutputs !== undefined ? { dotOutputs: c.dotOutputs } : {}),
    ...(c.tableBits !== undefined ? { tableBits: c.tableBits } : {}),
    ...(c.inputsPerRow !== undefined ? { inputsPerRow: c.inputsPerRow } : {}),
    ...(c.visibility !== undefined ? { visibility: c.visibility } : {}),
    ...(c.committedWeights ? { committedWeights: true } : {}),
    ...(c.actBits !== undefined ? { actBits: c.actBits } : {}),
    ...(c.weightBits !== undefined ? { weightBits: c.weightBits } : {}),
    ...(c.head !== undefined ? { head: c.head } : {}),
  };
}

/** Reads a `.zkc` file from disk. */
export function readZkc(path: string): CompiledModel {
  return parseZkc(new TextDecoder().decode(readFileOrThrow(path, 'compiled model')), path);
}
