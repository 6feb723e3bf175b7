/**
 * Writes a graph IR to ONNX bytes (ModelProto, opset = graph.opset, default 13, matching IR version) that
 * onnxruntime-node loads. Used by tests to build models op by op, and by examples to save trained models.
 *
 * Float initializers go to `raw_data` (little-endian float32), integer ones to `int64_data` / `int32_data`,
 * so the reader's two paths are both exercised by round trips.
 */
import type { Attr, DType, Graph, Tensor, ValueInfo } from '../ir.ts';
import { onnx, ONNX_DTYPE } from './proto.ts';

/** Options of {@link writeOnnx}. */
export interface WriteOnnxOptions {
  /** ModelProto.ir_version; default: the one released with the graph's opset. */
  irVersion?: number;
  producerName?: string;
  /** Write float initializers as `float_data` instead of `raw_data` (to test the reader's other path). */
  floatAsTypedField?: boolean;
}

function dtypeCode(d: DType): number {
  return ONNX_DTYPE[d];
}

/** A TensorProto message for an IR tensor. */
export function tensorToProto(name: string, t: Tensor, floatAsTypedField = false): InstanceType<typeof onnx.TensorProto> {
  const p = new onnx.TensorProto({ name, dims: t.shape, dataType: dtypeCode(t.dtype) });
  if (t.dtype === 'float32') {
    if (floatAsTypedField) p.floatData = Array.from(t.data);
    else {
      const copy = new Float32Array(t.data);
      p.rawData = new Uint8Array(copy.buffer, 0, copy.byteLength);
    }
  } else if (t.dtype === 'int64') {
    p.int64Data = Array.from(t.data);
  } else {
    // int32 and bool both travel in int32_data (ONNX spec for BOOL, INT32).
    p.int32Data = Array.from(t.data);
  }
  return p;
}

function attrToProto(name: string, a: Attr): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  switch (a.type) {
    case 'int':
      return new onnx.AttributeProto({ name, type: T.INT, i: a.value });
    case 'float':
      return new onnx.AttributeProto({ name, type: T.FLOAT, f: a.value });
    case 'string':
      return new onnx.AttributeProto({ name, type: T.STRING, s: enc(a.value) });
    case 'ints':
      return new onnx.AttributeProto({ name, type: T.INTS, ints: a.value });
    case 'floats':
      return new onnx.AttributeProto({ name, type: T.FLOATS, floats: a.value });
    case 'strings':
      return new onnx.AttributeProto({ name, type: T.STRINGS, strings: a.value.map(enc) });
    case 'tensor':
      return new onnx.AttributeProto({ name, type: T.TENSOR, t: tensorToProto('', a.value) });
  }
}

function valueInfoToProto(v: ValueInfo): InstanceType<typeof onnx.ValueInfoProto> {
  const dim = v.shape?.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return new onnx.ValueInfoProto({
    name: v.name,
    type: { tensorType: { elemType: dtypeCode(v.dtype), ...(dim ? { shape: { dim } } : {}) } },
  });
}

/** Encodes a graph as an ONNX ModelProto. */
export function writeOnnx(graph: Graph, options: WriteOnnxOptions = {}): Uint8Array {
  const g = new onnx.GraphProto({
    name: graph.name,
    node: graph.nodes.map(
      (n) =>
        new onnx.NodeProto({
          opType: n.op,
          name: n.name,
          domain: n.domain ?? '',
          input: n.inputs,
          output: n.outputs,
          // `__` attributes are our own annotations (e.g. `__opset`), not ONNX's.
          attribute: Object.entries(n.attrs).filter(([k]) => !k.startsWith('__')).map(([k, a]) => attrToProto(k, a)),
        }),
    ),
    initializer: Object.entries(graph.initializers).map(([k, t]) => tensorToProto(k, t, options.floatAsTypedField)),
    input: graph.inputs.map(valueInfoToProto),
    output: graph.outputs.map(valueInfoToProto),
    valueInfo: Object.values(graph.valueInfo).map(valueInfoToProto),
  });
  const model = new onnx.ModelProto({
    // The IR version that ships with the opset (ONNX versioning table): opset ≤ 18 → 8, 19–20 → 9, 21 → 10.
    irVersion: options.irVersion ?? ((graph.opset || 13) <= 18 ? 8 : (graph.opset || 13) <= 20 ? 9 : 10),
    producerName: options.producerName ?? 'zkml-ts',
    opsetImport: [{ domain: '', version: graph.opset || 13 }],
    graph: g,
  });
  return onnx.ModelProto.encode(model).finish();
}
