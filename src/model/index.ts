/**
 * The model front end's public API: import a model into the graph IR, calibrate and quantize it, and
 * evaluate it in float (ONNX semantics) or in integers (the specification the circuit proves).
 */
export type { Graph, Node, Tensor, FloatTensor, IntTensor, ValueInfo, Attr, DType, Dim } from '../graph/ir.ts';
export { attr, floatTensor, intTensor, emptyGraph, numel } from '../graph/ir.ts';
export { readOnnx } from '../graph/onnx/reader.ts';
export { writeOnnx, type WriteOnnxOptions } from '../graph/onnx/writer.ts';
export { importOnnx, loadModel, loadModelFile, isMsgpackPath, type LoadOptions, type LoadedModel } from './load.ts';
export { simplifyGraph, type SimplifyOptions } from './simplify.ts';
export { evaluateFloat, type FloatEvalOptions } from './float-eval.ts';
export { evaluateInt, evaluateIntQ, quantizeInput, type QuantizedModel, type IntResult } from './int-eval.ts';
export { quantizeModel, type QuantizeOptions } from './quantize.ts';
export { settingsToJson, settingsFromJson, settingsFromObject, type QuantSettings, type TableDomain } from './settings.ts';
export { parseInputs, parseInputBytes } from './inputs.ts';
export { inspectModel, type InspectOptions, type InspectReport } from './inspect.ts';
export * from '../graph/errors.ts';
