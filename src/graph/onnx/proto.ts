/**
 * The generated ONNX protobuf classes (onnx-proto, a CommonJS package whose only export is `onnx`), loaded
 * once here so the reader and writer share one import — on first use: the package and protobufjs take
 * ~70 ms to load, which a process that never reads or writes ONNX (prove, verify, setup) should not pay.
 */
import { createRequire } from 'node:module';
import type onnxProto from 'onnx-proto';

type OnnxNamespace = typeof onnxProto.onnx;
let loaded: OnnxNamespace | undefined;
const load = (): OnnxNamespace => (loaded ??= (createRequire(import.meta.url)('onnx-proto') as typeof onnxProto).onnx);

/** The `onnx` protobuf namespace: ModelProto, GraphProto, TensorProto, ... (loaded on first access). */
export const onnx: OnnxNamespace = new Proxy({} as OnnxNamespace, { get: (_, key) => load()[key as keyof OnnxNamespace] });
export type { onnx as OnnxTypes } from 'onnx-proto';

/** TensorProto.DataType codes used by the IR. */
export const ONNX_DTYPE = { float32: 1, int32: 6, int64: 7, bool: 9, double: 11 } as const;
