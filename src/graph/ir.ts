/**
 * The typed graph IR every model format is imported into and every later stage (shape inference,
 * quantization, float and integer evaluation, the compiler) reads. It is plain data: no classes, no
 * methods, so a graph can be built by a literal in a test, cloned with structuredClone and written back to
 * ONNX by `onnx/writer.ts`.
 *
 * Op names and attribute names follow ONNX (default domain) so the ONNX operator docs are the reference for
 * what each node means; other importers (zkml msgpack) translate to the same vocabulary.
 */

/** Element types a tensor may carry. Integer types hold exact integers (|v| ≤ 2^53) in a Float64Array. */
export type DType = 'float32' | 'int64' | 'int32' | 'bool';

/** A float tensor: row-major data. */
export interface FloatTensor {
  dtype: 'float32';
  shape: number[];
  data: Float32Array;
}

/**
 * An integer tensor (int64, int32 or bool as 0/1): row-major exact integer values. int64 values beyond
 * ±2^53 (ONNX uses INT64_MAX as "to the end" in Slice) are clamped to ±Number.MAX_SAFE_INTEGER on import.
 */
export interface IntTensor {
  dtype: 'int64' | 'int32' | 'bool';
  shape: number[];
  data: Float64Array;
}

/** A constant tensor (initializer, Constant node value, tensor attribute). */
export type Tensor = FloatTensor | IntTensor;

/** One dimension of a declared shape: a number, or a symbolic name (a dynamic dim such as 'batch'). */
export type Dim = number | string;

/** Name, element type and (possibly symbolic) shape of a graph input, output or intermediate value. */
export interface ValueInfo {
  name: string;
  dtype: DType;
  /** Absent: unknown rank (allowed on outputs; shape inference fills it in). */
  shape?: Dim[];
}

/**
 * A node attribute, tagged with its ONNX type: ONNX checks attribute types strictly (alpha=1 must still be
 * a FLOAT), so the tag cannot be inferred from the JS value.
 */
export type Attr =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'string'; value: string }
  | { type: 'ints'; value: number[] }
  | { type: 'floats'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; value: Tensor };

/** One operation. An empty string in `inputs` marks an omitted optional input (ONNX convention). */
export interface Node {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
  /** Operator domain; absent or '' for the default ONNX domain. */
  domain?: string;
}

/** A model graph in topological node order. */
export interface Graph {
  name: string;
  /** Runtime inputs (initializers are not listed here even when an ONNX file lists them as inputs). */
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: Node[];
  /** Constant tensors by value name. */
  initializers: Record<string, Tensor>;
  /** Known types and shapes of intermediate values (filled by shape inference; may be partial). */
  valueInfo: Record<string, ValueInfo>;
  /** Default-domain opset version the node semantics follow (e.g. 13). */
  opset: number;
  /**
   * Nodes the importer renamed because their name was taken by an earlier node (node names key the
   * quantization settings and must be unique): the file's name and the name given. Unnamed nodes are named
   * without an entry here.
   */
  renamedNodes?: { from: string; to: string }[];
}

/**
 * Makes node names unique in place: the first node keeps a name, a later node with the same name (or with
 * no name) gets `${name or op}_${i}`, with a suffix that no node of the graph uses. Returns the renames of
 * named nodes. Names must be unique because per-node data (table domains, calibration) is keyed by them.
 */
export function uniquifyNodeNames(nodes: Node[], unnamedBase: (node: Node, index: number) => string): { from: string; to: string }[] {
  const explicit = new Set<string>();
  for (const n of nodes) if (n.name) explicit.add(n.name);
  const used = new Set<string>();
  // The next suffix to try per base, so a file repeating one name n times costs O(n), not O(n²).
  const nextSuffix = new Map<string, number>();
  const renamed: { from: string; to: string }[] = [];
  nodes.forEach((n, i) => {
    if (n.name && !used.has(n.name)) {
      used.add(n.name);
      return;
    }
    const base = n.name || unnamedBase(n, i);
    let name = base;
    let j = nextSuffix.get(base) ?? 1;
    while (used.has(name) || (name !== n.name && explicit.has(name))) name = `${base}_${j++}`;
    nextSuffix.set(base, j);
    if (n.name) renamed.push({ from: n.name, to: name });
    n.name = name;
    used.add(name);
  });
  return renamed;
}

/** Attribute constructors, so graph literals stay short: `{ axis: attr.int(1), alpha: attr.float(0.1) }`. */
export const attr = {
  int: (value: number): Attr => ({ type: 'int', value }),
  float: (value: number): Attr => ({ type: 'float', value }),
  string: (value: string): Attr => ({ type: 'string', value }),
  ints: (value: number[]): Attr => ({ type: 'ints', value }),
  floats: (value: number[]): Attr => ({ type: 'floats', value }),
  strings: (value: string[]): Attr => ({ type: 'strings', value }),
  tensor: (value: Tensor): Attr => ({ type: 'tensor', value }),
};

/** Number of elements of a static shape (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A float32 tensor from a shape and values (copied). */
export function floatTensor(shape: number[], values: ArrayLike<number>): FloatTensor {
  return { dtype: 'float32', shape: [...shape], data: Float32Array.from(values) };
}

/** An integer tensor from a shape and values (copied). */
export function intTensor(shape: number[], values: ArrayLike<number>, dtype: IntTensor['dtype'] = 'int64'): IntTensor {
  return { dtype, shape: [...shape], data: Float64Array.from(values) };
}

/** An empty graph at the given opset, to be filled by a builder or importer. */
export function emptyGraph(name = 'graph', opset = 13): Graph {
  return { name, inputs: [], outputs: [], nodes: [], initializers: {}, valueInfo: {}, opset };
}
