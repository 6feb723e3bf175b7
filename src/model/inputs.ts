/**
 * Input value files, parsed once into typed tensors per model input:
 * - `{"input": [...]}` (one input; nested arrays or flat),
 * - an object keyed by input name, each nested arrays, flat arrays, or `{"shape": [...], "data": [...]}`,
 * - EZKL's `{"input_data": [[...], ...]}` (one flat array per input, in input order).
 * A file may hold several samples: `{"samples": [<one of the above>, ...]}` or a top-level array of them.
 * Errors name the input: wrong element count or shape, non-numbers, NaN/Inf.
 * zkml msgpack input files (`.msgpack`) are read by parseInputBytes.
 */
import { FormatError } from '../errors.ts';
import { InputError } from '../graph/errors.ts';
import type { Graph } from '../graph/ir.ts';
import type { Arr } from '../layers/types.ts';
import { isMsgpackPath } from './load.ts';
import { importZkmlInput } from '../graph/msgpack/import.ts';

function flattenNested(name: string, v: unknown, out: number[], dims: number[], depth: number): void {
  if (Array.isArray(v)) {
    if (dims.length <= depth) dims.push(v.length);
    else if (dims[depth] !== v.length) throw new InputError(name, `ragged nested array (length ${v.length} where ${dims[depth]} expected at depth ${depth})`);
    for (const x of v) flattenNested(name, x, out, dims, depth + 1);
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError(name, `element ${out.length} is ${v}; inputs must be finite`);
    out.push(v);
  } else if (v === null || v === 'NaN' || v === 'Infinity' || v === '-Infinity') {
    throw new InputError(name, `element ${out.length} is ${v === null ? 'null (NaN/Inf in JSON)' : v}; inputs must be finite numbers`);
  } else throw new InputError(name, `element ${out.length} is not a number (${JSON.stringify(v)?.slice(0, 40)})`);
}

/** A `"shape"` given beside the data: a list of non-negative integers, checked against the model's. */
function declaredShape(name: string, v: unknown): number[] {
  if (!Array.isArray(v) || !v.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new InputError(name, `"shape" must be a list of non-negative integers, got ${JSON.stringify(v)?.slice(0, 60)}`);
  return v as number[];
}

function toTensor(name: string, v: unknown, shape: number[]): Arr {
  let raw = v;
  let declared: number[] | undefined;
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'data' in raw) {
    const extra = Object.keys(raw).filter((k) => k !== 'data' && k !== 'shape');
    if (extra.length > 0) throw new InputError(name, `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} beside "data" (expected "shape" and "data")`);
    if ('shape' in raw) declared = declaredShape(name, (raw as { shape: unknown }).shape);
    raw = (raw as { data: unknown }).data;
  }
  const flat: number[] = [];
  const dims: number[] = [];
  flattenNested(name, raw, flat, dims, 0);
  const n = shape.reduce((a, b) => a * b, 1);
  if (declared && declared.join() !== shape.join()) throw new InputError(name, `declared shape [${declared}] but the model expects [${shape}]`);
  if (flat.length !== n) throw new InputError(name, `has ${flat.length} values (shape [${dims}]), the model expects ${n} (shape [${shape}])`);
  if (dims.length > 1 && dims.join() !== shape.join() && dims.length === shape.length) throw new InputError(name, `has shape [${dims}], the model expects [${shape}]`);
  return { shape: [...shape], data: Float64Array.from(flat) };
}

function oneSample(graph: Graph, obj: unknown, file: string): Record<string, Arr> {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(file, 'expected a JSON object with "input", "input_data" or one key per model input');
  const o = obj as Record<string, unknown>;
  const names = graph.inputs.map((v) => v.name);
  const shapeOf = (i: number): number[] => graph.inputs[i]!.shape as number[];
  const out: Record<string, Arr> = {};
  // Every key must mean something: a key that is silently ignored (a misspelt input, a shape) hides a mistake.
  const onlyKeys = (allowed: readonly string[], form: string): void => {
    const extra = Object.keys(o).filter((k) => !allowed.includes(k));
    if (extra.length > 0) throw new FormatError(file, `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} in ${form} (expected ${allowed.map((k) => `"${k}"`).join(', ')})`);
  };
  if ('input_data' in o) {
    onlyKeys(['input_data', 'output_data'], 'an "input_data" file');
    const list = o.input_data;
    if (!Array.isArray(list) || list.length !== names.length) throw new FormatError(file, `"input_data" must hold ${names.length} array(s), one per model input`);
    names.forEach((n, i) => (out[n] = toTensor(n, list[i], shapeOf(i))));
  } else if ('input' in o && !names.includes('input') && names.length === 1) {
    onlyKeys(['input', 'shape'], 'an "input" file');
    out[names[0]!] = toTensor(names[0]!, 'shape' in o ? { shape: o.shape, data: o.input } : o.input, shapeOf(0));
  } else {
    // A single input may carry its shape beside it: {"<name>": [...], "shape": [...]}.
    const sideShape = names.length === 1 && !names.includes('shape') && 'shape' in o;
    names.forEach((n, i) => {
      if (!(n in o)) throw new InputError(n, `missing from ${file} (keys: ${Object.keys(o).join(', ')})`);
      out[n] = toTensor(n, sideShape ? { shape: o.shape, data: o[n] } : o[n], shapeOf(i));
    });
    onlyKeys(sideShape ? [...names, 'shape'] : names, 'a file keyed by input name');
  }
  return out;
}

/** Parses input JSON text into one or more samples for `graph` (whose input shapes must be static). */
export function parseInputs(graph: Graph, text: string, file = 'input.json'): Record<string, Arr>[] {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new FormatError(file, `not valid JSON (${(e as Error).message})`);
  }
  if (Array.isArray(obj) && obj.length > 0 && typeof obj[0] === 'object' && !Array.isArray(obj[0])) return obj.map((x) => oneSample(graph, x, file));
  if (obj && typeof obj === 'object' && 'samples' in (obj as object)) {
    const s = (obj as { samples: unknown }).samples;
    if (!Array.isArray(s)) throw new FormatError(file, '"samples" must be an array');
    return s.map((x) => oneSample(graph, x, file));
  }
  // EZKL-style input_data with a batch: several rows for a single input of batch 1 → several samples.
  const o = obj as Record<string, unknown>;
  if (o && typeof o === 'object' && Array.isArray(o.input_data) && graph.inputs.length === 1 && o.input_data.length > 1) {
    return o.input_data.map((row) => oneSample(graph, { input_data: [row] }, file));
  }
  if (o && typeof o === 'object' && Array.isArray(o.input) && graph.inputs.length === 1) {
    const n = (graph.inputs[0]!.shape as number[]).reduce((a, b) => a * b, 1);
    const rows = o.input as unknown[];
    // {"input": [[...], [...]]} with one flat row per sample.
    if (rows.length > 1 && rows.every((r) => Array.isArray(r) && (r as unknown[]).flat(Infinity).length === n) && rows.flat(Infinity).length !== n) {
      return rows.map((r) => oneSample(graph, { input: r }, file));
    }
  }
  return [oneSample(graph, obj, file)];
}

/**
 * Samples from input bytes: JSON (every form parseInputs reads) or, for a `.msgpack` file, a zkml input
 * tensor list whose integers are at zkml's scale `zkmlScale` (the model file's global_sf).
 */
export function parseInputBytes(graph: Graph, bytes: Uint8Array, file: string, zkmlScale?: number): Record<string, Arr>[] {
  if (!isMsgpackPath(file)) return parseInputs(graph, new TextDecoder().decode(bytes), file);
  if (zkmlScale === undefined) throw new FormatError(file, 'a zkml msgpack input needs a model imported from zkml msgpack (its scale)');
  const { values } = importZkmlInput(bytes, file, zkmlScale);
  const sample: Record<string, Arr> = {};
  for (const v of graph.inputs) {
    const t = values[v.name];
    if (!t) throw new InputError(v.name, `missing from ${file} (tensors: ${Object.keys(values).join(', ')})`);
    const want = (v.shape ?? []).map(Number);
    sample[v.name] = toTensor(v.name, Array.from(t.data), want);
  }
  return [sample];
}
