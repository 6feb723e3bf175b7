/**
 * The generated ONNX protobuf classes (onnx-proto, a CommonJS package whose only export is `onnx`), loaded
 * once here so the reader and writer share one import.
 */
import onnxProto from 'onnx-proto';

/** The `onnx` protobuf namespace: ModelProto, GraphProto, TensorProto, ... */
export const onnx = onnxProto.onnx;
export type { onnx as OnnxTypes } from 'onnx-proto';

/** TensorProto.DataType codes used by the IR. */
export const ONNX_DTYPE = { float32: 1, int32: 6, int64: 7, bool: 9, double: 11 } as const;
