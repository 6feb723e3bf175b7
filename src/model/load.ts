/**
 * Loads a model file into a simplified graph: ONNX by default, zkml msgpack for `.msgpack`. This is the
 * entry point the CLI and the library use.
 */
import { readFileSync } from 'node:fs';
import { FormatError } from '../errors.ts';
import type { Graph } from './ir.ts';
import { readOnnx } from './onnx/reader.ts';
import { simplifyGraph } from './simplify.ts';

/** Options of {@link loadModel}. */
export interface LoadOptions {
  /** Shapes for inputs with dynamic dims, by input name. */
  inputShapes?: Record<string, number[]>;
}

/** Reads ONNX bytes and simplifies the graph (constant folding, BN folding, shape inference). */
export function importOnnx(bytes: Uint8Array, file = 'model.onnx', options: LoadOptions = {}): Graph {
  return simplifyGraph(readOnnx(bytes, file), { inputShapes: options.inputShapes, file });
}

/** Reads a model file from disk (ONNX). */
export function loadModelFile(path: string, options: LoadOptions = {}): Graph {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FormatError(path, `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return importOnnx(bytes, path, options);
}
