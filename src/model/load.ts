/**
 * Loads a model file into a simplified graph: ONNX by default, zkml msgpack for `.msgpack`. This is the
 * entry point the CLI and the library use.
 */
import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.ts';
import type { Graph } from '../graph/ir.ts';
import { readOnnx } from '../graph/onnx/reader.ts';
import { simplifyGraph } from './simplify.ts';
import { importZkmlMsgpack, type ZkmlSettings } from '../graph/msgpack/import.ts';

/** Options of {@link loadModel}. */
export interface LoadOptions {
  /** Shapes for inputs with dynamic dims, by input name. */
  inputShapes?: Record<string, number[]>;
}

/** Reads ONNX bytes and simplifies the graph (constant folding, BN folding, shape inference). */
export function importOnnx(bytes: Uint8Array, file = 'model.onnx', options: LoadOptions = {}): Graph {
  return simplifyGraph(readOnnx(bytes, file), { inputShapes: options.inputShapes, file });
}

/** A loaded model: the simplified graph, and zkml's settings when the file was a zkml msgpack model. */
export interface LoadedModel {
  graph: Graph;
  format: 'onnx' | 'zkml-msgpack';
  zkml: ZkmlSettings | null;
}

/** True for zkml msgpack files (models and inputs), chosen by extension as zkml names them. */
export const isMsgpackPath = (path: string): boolean => path.toLowerCase().endsWith('.msgpack');

/** Reads a model file from disk: ONNX, or a zkml msgpack model (`.msgpack`). */
export function loadModel(path: string, options: LoadOptions = {}): LoadedModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FormatError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (isMsgpackPath(path)) {
    const imp = importZkmlMsgpack(bytes, path);
    return { graph: simplifyGraph(imp.graph, { inputShapes: options.inputShapes, file: path }), format: 'zkml-msgpack', zkml: imp.settings };
  }
  return { graph: importOnnx(bytes, path, options), format: 'onnx', zkml: null };
}

/** Reads a model file from disk (ONNX or zkml msgpack) into its simplified graph. */
export function loadModelFile(path: string, options: LoadOptions = {}): Graph {
  return loadModel(path, options).graph;
}
