/**
 * `inspect`: what a model is made of and how well its quantized integer semantics track the float model.
 * With sample data: max |float − onnxruntime| (ONNX models), top-1 agreement and max error of the integer
 * evaluator vs float, and accuracy on labels. Calibration uses the same samples.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FormatError } from '../errors.ts';
import { UnsupportedOpError } from '../graph/errors.ts';
import type { Graph } from '../graph/ir.ts';
import { readOnnx } from '../graph/onnx/reader.ts';
import { writeOnnx } from '../graph/onnx/writer.ts';
import { simplifyGraph } from './simplify.ts';
import { parseInputs } from './inputs.ts';
import { evaluateFloat } from './float-eval.ts';
import { evaluateInt } from './int-eval.ts';
import { quantizeModel } from './quantize.ts';
import { ortSession, runOrt } from './ort.ts';
import { importZkmlMsgpack } from '../graph/msgpack/import.ts';
import type { Arr } from '../layers/types.ts';

/** Options of {@link inspectModel}. */
export interface InspectOptions {
  /** Sample inputs: a JSON file (one or many samples) or a directory of them. */
  data?: string;
  /** Labels: a JSON array, `{"labels": [...]}`, or `{"<sample file>": label}` for a data directory. */
  labels?: string;
  inputShapes?: Record<string, number[]>;
  scaleBits?: number;
}

/** The report of {@link inspectModel}; JSON field names are stable (the CLI's --json output). */
export interface InspectReport {
  model: string;
  format: 'onnx' | 'zkml-msgpack';
  opset: number;
  inputs: { name: string; shape: (number | string)[] }[];
  outputs: { name: string; shape: (number | string)[] }[];
  ops: Record<string, number>;
  params: number;
  supported: boolean;
  unsupported: { op: string; node: string }[];
  /** Nodes renamed on import because another node had the same name (names key per-node settings). */
  renamed_nodes: { from: string; to: string }[];
  scale_bits: number | null;
  samples: number;
  ort_max_abs_diff: number | null;
  quant_top1_agreement: number | null;
  quant_max_abs_err: number | null;
  float_accuracy: number | null;
  quant_accuracy: number | null;
  tables: number;
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new FormatError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function readText(path: string): string {
  return new TextDecoder().decode(readBytes(path));
}

/** Loads samples (and per-file labels when `data` is a directory with a labels mapping). */
function loadSamples(graph: Graph, data: string, labelsPath: string | undefined): { samples: Record<string, Arr>[]; labels: number[] | null } {
  let files: string[];
  let isDir = false;
  try {
    isDir = statSync(data).isDirectory();
  } catch {
    throw new FormatError(data, 'cannot read (ENOENT)');
  }
  if (isDir) files = readdirSync(data).filter((f) => f.endsWith('.json') && f !== 'labels.json').sort().map((f) => join(data, f));
  else files = [data];
  const samples: Record<string, Arr>[] = [];
  const perFile: string[] = [];
  for (const f of files) {
    for (const s of parseInputs(graph, readText(f), f)) {
      samples.push(s);
      perFile.push(basename(f));
    }
  }
  let labels: number[] | null = null;
  const lp = labelsPath ?? (isDir ? join(data, 'labels.json') : undefined);
  if (lp && (labelsPath || safeExists(lp))) {
    const obj = JSON.parse(readText(lp)) as unknown;
    const arr = Array.isArray(obj) ? obj : obj && typeof obj === 'object' && Array.isArray((obj as { labels?: unknown }).labels) ? (obj as { labels: unknown[] }).labels : null;
    if (arr) labels = arr.slice(0, samples.length).map(Number);
    else if (obj && typeof obj === 'object') labels = perFile.map((f) => Number((obj as Record<string, unknown>)[f]));
    if (!labels || labels.length !== samples.length || labels.some((l) => !Number.isInteger(l))) throw new FormatError(lp, `need one integer label per sample (${samples.length})`);
  }
  return { samples, labels };
}

function safeExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function argmax(d: Float64Array): number {
  let b = 0;
  for (let i = 1; i < d.length; i++) if (d[i]! > d[b]!) b = i;
  return b;
}

/** Inspects a model file (.onnx, or zkml .msgpack). */
export async function inspectModel(path: string, options: InspectOptions = {}): Promise<InspectReport> {
  const bytes = readBytes(path);
  const isMsgpack = path.endsWith('.msgpack');
  let raw: Graph;
  let zkmlScaleBits: number | null = null;
  if (isMsgpack) {
    const imp = importZkmlMsgpack(bytes, path);
    raw = imp.graph;
    zkmlScaleBits = imp.settings.scaleBits;
  } else raw = readOnnx(bytes, path);
  const ops: Record<string, number> = {};
  for (const n of raw.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1;
  let params = 0;
  for (const t of Object.values(raw.initializers)) if (t.dtype === 'float32') params += t.data.length;
  const report: InspectReport = {
    model: path,
    format: isMsgpack ? 'zkml-msgpack' : 'onnx',
    opset: raw.opset,
    inputs: raw.inputs.map((v) => ({ name: v.name, shape: v.shape ?? [] })),
    outputs: raw.outputs.map((v) => ({ name: v.name, shape: v.shape ?? [] })),
    ops,
    params,
    supported: true,
    unsupported: [],
    renamed_nodes: raw.renamedNodes ?? [],
    scale_bits: null,
    samples: 0,
    ort_max_abs_diff: null,
    quant_top1_agreement: null,
    quant_max_abs_err: null,
    float_accuracy: null,
    quant_accuracy: null,
    tables: 0,
  };
  let graph: Graph;
  try {
    graph = simplifyGraph(structuredClone(raw), { inputShapes: options.inputShapes, file: path });
  } catch (e) {
    if (e instanceof UnsupportedOpError) {
      report.supported = false;
      report.unsupported = e.unsupported;
      return report;
    }
    throw e;
  }
  report.inputs = graph.inputs.map((v) => ({ name: v.name, shape: v.shape ?? [] }));
  report.outputs = graph.outputs.map((v) => ({ name: v.name, shape: v.shape ?? [] }));
  if (!options.data) return report;
  const { samples, labels } = loadSamples(graph, options.data, options.labels);
  report.samples = samples.length;
  const model = quantizeModel(graph, samples, { scaleBits: options.scaleBits ?? zkmlScaleBits ?? undefined });
  report.scale_bits = model.settings.scaleBits;
  report.tables = Object.values(model.settings.tables).reduce((n, t) => n + Object.keys(t).length, 0);
  // onnxruntime runs the original file (ONNX) or our writer's rendering of the imported graph (msgpack).
  const session = await ortSession(isMsgpack ? writeOnnx(graph) : bytes);
  const out0 = graph.outputs[0]!.name;
  let ortDiff = 0;
  let agree = 0;
  let maxErr = 0;
  let floatCorrect = 0;
  let quantCorrect = 0;
  for (const [i, s] of samples.entries()) {
    const f = evaluateFloat(graph, s);
    const o = await runOrt(session, s);
    for (const [k, v] of Object.entries(f)) {
      const r = o[k];
      if (!r) continue;
      for (let j = 0; j < v.data.length; j++) ortDiff = Math.max(ortDiff, Math.abs(v.data[j]! - r.data[j]!));
    }
    const q = evaluateInt(model, s).dequantized;
    const fo = f[out0]!.data;
    const qo = q[out0]!.data;
    for (let j = 0; j < fo.length; j++) maxErr = Math.max(maxErr, Math.abs(fo[j]! - qo[j]!));
    const ft = argmax(fo);
    const qt = argmax(qo);
    if (ft === qt) agree++;
    if (labels) {
      if (ft === labels[i]) floatCorrect++;
      if (qt === labels[i]) quantCorrect++;
    }
  }
  report.ort_max_abs_diff = ortDiff;
  report.quant_top1_agreement = agree / samples.length;
  report.quant_max_abs_err = maxErr;
  if (labels) {
    report.float_accuracy = floatCorrect / samples.length;
    report.quant_accuracy = quantCorrect / samples.length;
  }
  return report;
}
