/**
 * Parses ONNX bytes (untrusted) into the graph IR, once, at the boundary. Tensors may use raw_data or the
 * typed fields (float, double, int32, int64, float16 via raw_data); external-data tensors are rejected with
 * ExternalDataError. Does no graph rewriting: see `../simplify.ts`.
 */
import { FormatError } from '../../errors.ts';
import { ExternalDataError } from '../errors.ts';
import { uniquifyNodeNames, type Attr, type DType, type Dim, type Graph, type Node, type Tensor, type ValueInfo } from '../ir.ts';
import { onnx } from './proto.ts';

type Long = { toNumber(): number } | number;
const num = (v: Long | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());
const clampSafe = (v: number): number => Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, v));

/** Maps an ONNX element type code to the IR dtype (doubles and halves become float32). */
function dtypeOf(code: number): DType {
  switch (code) {
    case 1:
    case 10:
    case 11:
    case 16:
      return 'float32';
    case 7:
    case 13:
    case 12:
      return 'int64';
    case 9:
      return 'bool';
    default:
      return 'int32';
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Converts a TensorProto to an IR tensor. */
export function tensorFromProto(p: InstanceType<typeof onnx.TensorProto>, file: string): Tensor {
  const name = p.name || '(unnamed)';
  if (p.dataLocation === 1 || (p.externalData && p.externalData.length > 0)) throw new ExternalDataError(file, name);
  const shape = (p.dims ?? []).map(num);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new FormatError(file, `tensor '${name}': dims [${shape}] are not non-negative integers`);
  const n = shape.reduce((a, b) => a * b, 1);
  const code = p.dataType ?? 0;
  const raw = p.rawData && p.rawData.length > 0 ? p.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  // The values must be in the file before anything of size n is allocated: dims are the file's claim.
  const stored = raw ? raw.length : Math.max(p.floatData?.length ?? 0, p.doubleData?.length ?? 0, p.int32Data?.length ?? 0, p.int64Data?.length ?? 0);
  if (n > stored) throw new FormatError(file, `tensor '${name}': shape [${shape}] needs ${n} values, the file holds ${raw ? `${raw.length} bytes` : `${stored} values`}`);
  const values = new Float64Array(n);
  const need = (bytes: number): void => {
    if (raw && raw.length < n * bytes) throw new FormatError(file, `tensor '${name}': raw_data has ${raw.length} bytes, shape [${shape}] needs ${n * bytes}`);
  };
  const typed = (arr: ArrayLike<Long> | null | undefined, what: string): void => {
    const a = arr ?? [];
    if (a.length !== n) throw new FormatError(file, `tensor '${name}': ${what} has ${a.length} values, shape [${shape}] needs ${n}`);
    for (let i = 0; i < n; i++) values[i] = clampSafe(num(a[i]));
  };
  switch (code) {
    case 1:
      if (view) {
        need(4);
        for (let i = 0; i < n; i++) values[i] = view.getFloat32(4 * i, true);
      } else typed(p.floatData, 'float_data');
      break;
    case 11:
      if (view) {
        need(8);
        for (let i = 0; i < n; i++) values[i] = view.getFloat64(8 * i, true);
      } else typed(p.doubleData, 'double_data');
      break;
    case 10:
      if (view) {
        need(2);
        for (let i = 0; i < n; i++) values[i] = halfToFloat(view.getUint16(2 * i, true));
      } else {
        typed(p.int32Data, 'int32_data');
        for (let i = 0; i < n; i++) values[i] = halfToFloat(values[i]!);
      }
      break;
    case 7:
      if (view) {
        need(8);
        for (let i = 0; i < n; i++) values[i] = clampSafe(Number(view.getBigInt64(8 * i, true)));
      } else typed(p.int64Data, 'int64_data');
      break;
    case 6:
    case 5:
    case 4:
    case 3:
    case 2:
    case 9: {
      const width = code === 6 ? 4 : code === 5 || code === 4 ? 2 : 1;
      if (view) {
        need(width);
        for (let i = 0; i < n; i++) {
          values[i] =
            width === 4 ? view.getInt32(4 * i, true) : code === 5 ? view.getInt16(2 * i, true) : code === 4 ? view.getUint16(2 * i, true) : code === 3 ? view.getInt8(i) : view.getUint8(i);
        }
      } else typed(p.int32Data, 'int32_data');
      break;
    }
    default:
      throw new FormatError(file, `tensor '${name}': element type ${code} is not supported`);
  }
  const dtype = dtypeOf(code);
  return dtype === 'float32' ? { dtype, shape, data: Float32Array.from(values) } : { dtype, shape, data: values };
}

function attrFromProto(a: InstanceType<typeof onnx.AttributeProto>, file: string): Attr | undefined {
  const T = onnx.AttributeProto.AttributeType;
  const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
  switch (a.type) {
    case T.FLOAT:
      return { type: 'float', value: a.f ?? 0 };
    case T.INT:
      return { type: 'int', value: clampSafe(num(a.i)) };
    case T.STRING:
      return { type: 'string', value: dec(a.s ?? new Uint8Array()) };
    case T.FLOATS:
      return { type: 'floats', value: [...(a.floats ?? [])] };
    case T.INTS:
      return { type: 'ints', value: (a.ints ?? []).map((v) => clampSafe(num(v))) };
    case T.STRINGS:
      return { type: 'strings', value: (a.strings ?? []).map(dec) };
    case T.TENSOR:
      return { type: 'tensor', value: tensorFromProto(a.t as InstanceType<typeof onnx.TensorProto>, file) };
    default:
      // Graph-valued attributes (If, Loop, Scan): those ops are reported as unsupported.
      return undefined;
  }
}

function valueInfoFromProto(v: InstanceType<typeof onnx.ValueInfoProto>): ValueInfo {
  const tt = v.type?.tensorType;
  const shape: Dim[] = (tt?.shape?.dim ?? []).map((d, i) => (d.dimValue != null && num(d.dimValue) > 0 ? num(d.dimValue) : d.dimParam || `?${i}`));
  return { name: v.name ?? '', dtype: dtypeOf(tt?.elemType ?? 1), shape };
}

/** Parses ONNX model bytes. `file` names the source in errors. */
export function readOnnx(bytes: Uint8Array, file = 'model.onnx'): Graph {
  let model: InstanceType<typeof onnx.ModelProto>;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new FormatError(file, `not a readable ONNX model (${(e as Error).message}); the file may be truncated or of another format`);
  }
  const g = model.graph;
  if (!g || !g.output || g.output.length === 0 || !g.node || g.node.length === 0) throw new FormatError(file, 'not an ONNX model: no graph with nodes and outputs');
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? num(opsetEntry.version) : 13;
  const initializers: Record<string, Tensor> = {};
  for (const t of g.initializer ?? []) initializers[t.name ?? ''] = tensorFromProto(t as InstanceType<typeof onnx.TensorProto>, file);
  if ((g.sparseInitializer ?? []).length > 0) throw new FormatError(file, 'sparse initializers are not supported');
  const nodes: Node[] = (g.node ?? []).map((n, i) => {
    const attrs: Record<string, Attr> = {};
    for (const a of n.attribute ?? []) {
      const v = attrFromProto(a as InstanceType<typeof onnx.AttributeProto>, file);
      if (v) attrs[a.name ?? ''] = v;
    }
    const node: Node = { op: n.opType ?? '', name: n.name ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs };
    if (n.domain && n.domain !== 'ai.onnx') node.domain = n.domain;
    // Softmax/LogSoftmax changed meaning at opset 13 (axis default and 2-D coercion).
    if (opset < 13 && (node.op === 'Softmax' || node.op === 'LogSoftmax')) attrs['__opset'] = { type: 'int', value: opset };
    return node;
  });
  // Node names key per-node settings (table domains): a repeated or missing name gets a fresh one.
  const renamedNodes = uniquifyNodeNames(nodes, (n, i) => `${n.op}_${i}`);
  const valueInfo: Record<string, ValueInfo> = {};
  for (const v of g.valueInfo ?? []) valueInfo[v.name ?? ''] = valueInfoFromProto(v as InstanceType<typeof onnx.ValueInfoProto>);
  return {
    name: g.name || 'graph',
    inputs: (g.input ?? []).filter((v) => !(v.name! in initializers)).map((v) => valueInfoFromProto(v as InstanceType<typeof onnx.ValueInfoProto>)),
    outputs: (g.output ?? []).map((v) => valueInfoFromProto(v as InstanceType<typeof onnx.ValueInfoProto>)),
    nodes,
    initializers,
    valueInfo,
    opset,
    ...(renamedNodes.length > 0 ? { renamedNodes } : {}),
  };
}
