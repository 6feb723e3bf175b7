/**
 * The IR graph as JSON (nodes with typed attributes, initializers as {@link TensorJson}, value infos, opset,
 * renamed nodes), so a compiled model stores the simplified graph itself and reading it back runs neither
 * the ONNX reader nor the simplifier. Reading treats the object as hostile: every field is typed and
 * range-checked, op types must be known to the caller's registry, and maps keyed by names from the file are
 * built without a prototype (a key such as `__proto__` is an ordinary name).
 */
import { FormatError } from '../../errors.ts';
import type { Attr, Dim, DType, Graph, Node, Tensor, ValueInfo } from '../ir.ts';
import { isObject, MAX_TENSOR_ELEMENTS, tensorFromJson, tensorToJson } from './tensor.ts';

/** Float attribute values JSON cannot hold as numbers are written as these strings. */
const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0],
]);

function floatToJson(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (Object.is(x, -0)) return '-0';
  return Number.isFinite(x) ? x : String(x);
}

function attrToJson(a: Attr): unknown {
  switch (a.type) {
    case 'float':
      return { type: a.type, value: floatToJson(a.value) };
    case 'floats':
      return { type: a.type, value: a.value.map(floatToJson) };
    case 'tensor':
      return { type: a.type, value: tensorToJson(a.value) };
    default:
      return { type: a.type, value: a.value };
  }
}

function recordToJson<T>(r: Record<string, T>, f: (v: T) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(r)) out[k] = f(v);
  return out;
}

const infoToJson = (v: ValueInfo): unknown => ({ name: v.name, dtype: v.dtype, ...(v.shape !== undefined ? { shape: v.shape } : {}) });

/** The JSON form of a graph (a plain object for JSON.stringify). */
export function graphToJson(g: Graph): Record<string, unknown> {
  return {
    name: g.name,
    opset: g.opset,
    inputs: g.inputs.map(infoToJson),
    outputs: g.outputs.map(infoToJson),
    nodes: g.nodes.map((n) => ({
      op: n.op,
      name: n.name,
      ...(n.domain !== undefined ? { domain: n.domain } : {}),
      inputs: n.inputs,
      outputs: n.outputs,
      attrs: recordToJson(n.attrs, attrToJson),
    })),
    initializers: recordToJson(g.initializers, tensorToJson),
    valueInfo: recordToJson(g.valueInfo, infoToJson),
    ...(g.renamedNodes !== undefined ? { renamedNodes: g.renamedNodes } : {}),
  };
}

/** Reads the fields of one JSON object; every error names the file and the field. */
class Reader {
  constructor(readonly path: string) {}
  fail(what: string, msg: string): never {
    throw new FormatError(this.path, `${what}: ${msg}`);
  }
  obj(v: unknown, what: string): Record<string, unknown> {
    if (!isObject(v)) this.fail(what, 'must be an object');
    return v;
  }
  str(v: unknown, what: string): string {
    if (typeof v !== 'string') this.fail(what, 'must be a string');
    return v;
  }
  strs(v: unknown, what: string): string[] {
    if (!Array.isArray(v)) this.fail(what, 'must be an array of strings');
    return v.map((s, i) => this.str(s, `${what}[${i}]`));
  }
  int(v: unknown, what: string, lo: number, hi: number): number {
    if (!Number.isInteger(v) || (v as number) < lo || (v as number) > hi) this.fail(what, `must be an integer in [${lo}, ${hi}]`);
    return v as number;
  }
  float(v: unknown, what: string): number {
    if (typeof v === 'number') return v;
    const s = typeof v === 'string' ? SPECIAL_FLOATS.get(v) : undefined;
    if (s === undefined) this.fail(what, 'must be a number');
    return s;
  }
  /** A map keyed by names from the file, without a prototype. */
  record<T>(v: unknown, what: string, f: (x: unknown, key: string) => T): Record<string, T> {
    const o = this.obj(v, what);
    const out: Record<string, T> = Object.create(null);
    for (const [k, x] of Object.entries(o)) out[k] = f(x, k);
    return out;
  }
}

const DTYPES: ReadonlySet<string> = new Set<DType>(['float32', 'int64', 'int32', 'bool']);
const MAX_ATTR_INT = 2 ** 64;

function readValueInfo(r: Reader, v: unknown, what: string): ValueInfo {
  const o = r.obj(v, what);
  const name = r.str(o.name, `${what}.name`);
  const dtype = r.str(o.dtype, `${what}.dtype`);
  if (!DTYPES.has(dtype)) r.fail(`${what}.dtype`, `unknown dtype ${JSON.stringify(dtype)}`);
  if (o.shape === undefined) return { name, dtype: dtype as DType };
  if (!Array.isArray(o.shape) || o.shape.length > 64) r.fail(`${what}.shape`, 'must be an array of at most 64 dims');
  const shape: Dim[] = o.shape.map((d, i) => (typeof d === 'string' ? d : r.int(d, `${what}.shape[${i}]`, 0, MAX_TENSOR_ELEMENTS)));
  return { name, dtype: dtype as DType, shape };
}

function readAttr(r: Reader, v: unknown, what: string): Attr {
  const o = r.obj(v, what);
  const x = o.value;
  const ints = (xs: unknown): number[] => {
    if (!Array.isArray(xs)) r.fail(what, 'value must be an array of integers');
    return xs.map((e, i) => r.int(e, `${what}[${i}]`, -MAX_ATTR_INT, MAX_ATTR_INT));
  };
  switch (o.type) {
    case 'int':
      return { type: 'int', value: r.int(x, what, -MAX_ATTR_INT, MAX_ATTR_INT) };
    case 'float':
      return { type: 'float', value: r.float(x, what) };
    case 'string':
      return { type: 'string', value: r.str(x, what) };
    case 'ints':
      return { type: 'ints', value: ints(x) };
    case 'floats':
      if (!Array.isArray(x)) r.fail(what, 'value must be an array of numbers');
      return { type: 'floats', value: x.map((e, i) => r.float(e, `${what}[${i}]`)) };
    case 'strings':
      return { type: 'strings', value: r.strs(x, what) };
    case 'tensor':
      return { type: 'tensor', value: tensorFromJson(x, r.path, what) };
    default:
      return r.fail(what, `unknown attribute type ${JSON.stringify(o.type)}`);
  }
}

/**
 * Reads a graph written by {@link graphToJson}. `knownOp(op, domain)` says whether an op type is supported
 * (the layer registry); a node of any other op is refused.
 */
export function graphFromJson(v: unknown, path: string, knownOp: (op: string, domain: string) => boolean): Graph {
  const r: Reader = new Reader(path);
  const o = r.obj(v, 'graph');
  const infos = (x: unknown, what: string): ValueInfo[] => {
    if (!Array.isArray(x)) r.fail(what, 'must be an array');
    return x.map((e, i) => readValueInfo(r, e, `${what}[${i}]`));
  };
  if (!Array.isArray(o.nodes)) r.fail('graph.nodes', 'must be an array');
  const nodes = o.nodes.map((e, i): Node => {
    const what = `graph.nodes[${i}]`;
    const n = r.obj(e, what);
    const op = r.str(n.op, `${what}.op`);
    const domain = n.domain === undefined ? undefined : r.str(n.domain, `${what}.domain`);
    if (!knownOp(op, domain ?? '')) r.fail(`${what}.op`, `unsupported op ${JSON.stringify(op)}${domain ? ` in domain ${JSON.stringify(domain)}` : ''}`);
    return {
      op,
      name: r.str(n.name, `${what}.name`),
      inputs: r.strs(n.inputs, `${what}.inputs`),
      outputs: r.strs(n.outputs, `${what}.outputs`),
      attrs: r.record(n.attrs, `${what}.attrs`, (a, k) => readAttr(r, a, `${what}.attrs.${k}`)),
      ...(domain !== undefined ? { domain } : {}),
    };
  });
  let renamedNodes: Graph['renamedNodes'];
  if (o.renamedNodes !== undefined) {
    if (!Array.isArray(o.renamedNodes)) r.fail('graph.renamedNodes', 'must be an array');
    renamedNodes = o.renamedNodes.map((e, i) => {
      const x = r.obj(e, `graph.renamedNodes[${i}]`);
      return { from: r.str(x.from, `graph.renamedNodes[${i}].from`), to: r.str(x.to, `graph.renamedNodes[${i}].to`) };
    });
  }
  const initializers: Record<string, Tensor> = r.record(o.initializers, 'graph.initializers', (t, k) => tensorFromJson(t, path, `initializer ${JSON.stringify(k)}`));
  return {
    name: r.str(o.name, 'graph.name'),
    inputs: infos(o.inputs, 'graph.inputs'),
    outputs: infos(o.outputs, 'graph.outputs'),
    nodes,
    initializers,
    valueInfo: r.record(o.valueInfo, 'graph.valueInfo', (x, k) => readValueInfo(r, x, `graph.valueInfo.${k}`)),
    opset: r.int(o.opset, 'graph.opset', 1, 1000),
    ...(renamedNodes !== undefined ? { renamedNodes } : {}),
  };
}
