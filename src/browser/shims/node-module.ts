/**
 * node:module for the browser bundle of the prover: graph/onnx/proto.ts loads onnx-proto through
 * createRequire on first use (so Node processes that never touch ONNX skip it); in the bundle the package
 * is simply included, and this require hands it over.
 */
import onnxProto from 'onnx-proto';

export function createRequire(_from: string): (id: string) => unknown {
  return (id) => {
    if (id === 'onnx-proto') return onnxProto;
    throw new Error(`module '${id}' is not available in the browser bundle`);
  };
}
