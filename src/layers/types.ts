/**
 * What every op file in `layers/` provides: a shape rule, float semantics and integer semantics (and, for
 * pure data movement, an index map). Tensors at evaluation time are `Arr`: a static shape and a row-major
 * Float64Array. Float evaluation stores reals; integer evaluation stores exact integers (|v| < 2^52).
 */
import type { Node } from '../graph/ir.ts';

/** A runtime tensor: static shape, row-major Float64Array data. */
export interface Arr {
  shape: number[];
  data: Float64Array;
}

/** An input to an op: its runtime value, plus its float value when the input is a graph constant. */
export interface OpInput extends Arr {
  /**
   * Scale exponent of `data` in integer evaluation: the data holds round(v · 2^bits). 0 for raw integers
   * (indices, booleans, integer-typed constants); the model scale s for fixed-point tensors. Unused (0) in
   * float evaluation.
   */
  bits: number;
  /** Float value of a constant input (initializer), so an op can quantize it at the scale it needs. */
  constFloat?: Float64Array;
}

/** An integer-evaluation result: data at scale 2^bits. */
export interface QArr extends Arr {
  bits: number;
}

/** Domain and contents of one lookup table (one per table-using node and table kind). */
export interface TableSpec {
  /** Smallest and largest integer input the table covers. */
  lo: number;
  hi: number;
  /**
   * Inputs outside [lo, hi]: 'clamp' (the function is saturated there, so clamping to the nearest end is
   * exact to the output resolution; the circuit enforces it with a comparison) or 'error'.
   */
  outside: 'clamp' | 'error';
}

/** What integer semantics need beyond the inputs: the scale, the table domains, error context. */
export interface IntCtx {
  /** Fixed-point scale exponent s: a real v is the integer round(v · 2^s). */
  scaleBits: number;
  /** Table domain for (this node, table kind); throws if quantization did not record one. */
  table(kind: string): TableSpec;
}

/**
 * Per output: for each output element, the flat index into the concatenation of the op's inputs' data, or
 * -1 for the constant 0 (padding).
 */
export type IndexMaps = Int32Array[];

/** The definition of one op. */
export interface OpDef {
  op: string;
  /** Output shapes from input shapes; `consts` holds the float values of constant inputs. */
  shape(node: Node, inShapes: number[][], consts: (Float64Array | undefined)[]): number[][];
  /** Float semantics (the ONNX definition, computed in float64). */
  float(node: Node, inputs: OpInput[]): Arr[];
  /** Integer semantics on fixed-point values: the specification the circuit proves. */
  int(node: Node, inputs: OpInput[], ctx: IntCtx): QArr[];
  /**
   * Pure data movement: output element j of output o is input element maps[o][j] of the concatenated
   * inputs (input 0's data, then input 1's, ...). The compiler lays these out as copy constraints.
   */
  indexMap?(node: Node, inShapes: number[][], consts: (Float64Array | undefined)[]): IndexMaps | undefined;
  /** Inputs whose elements index maps may point at (others are parameters such as shapes and axes). */
  dataInputs?: number[] | 'all';
  /** Table ops: which table kinds this op uses, with the real function each tabulates (argument and result are reals). */
  tables?(node: Node, consts: (Float64Array | undefined)[]): Record<string, TableFn>;
  /**
   * Real range of each table's argument on calibration inputs (float evaluation). Absent: the table
   * argument is input 0 itself.
   */
  tableArgRange?(node: Node, inputs: OpInput[]): Record<string, [number, number]>;
}

/** A tabulated real function with its out-of-domain policy. */
export interface TableFn {
  fn: (x: number) => number;
  outside: 'clamp' | 'error';
  /** For 'clamp' tables: the domain [lo, hi] in reals beyond which the function is flat to within 1/2^s. */
  saturatesAt?: (scaleBits: number) => [number, number];
  /** Real domain the function is defined on (e.g. [0, ∞) for sqrt); calibration ranges are cut to it. */
  defined?: [number, number];
}
