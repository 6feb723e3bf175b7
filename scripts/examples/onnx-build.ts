/**
 * A small builder over the graph IR (src/graph/ir.ts) for the example generators: it names values, keeps
 * nodes in topological order and writes ONNX with our writer (src/graph/onnx/writer.ts).
 */
import { attr, emptyGraph, floatTensor, intTensor, type Attr as IrAttr, type Graph } from '../../src/graph/ir.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';

/** Attribute shorthand: integer, integer list, `{ f }` float, string. */
export type Attr = number | number[] | { f: number } | string;

function toIrAttr(v: Attr): IrAttr {
  if (typeof v === 'number') return attr.int(v);
  if (typeof v === 'string') return attr.string(v);
  if (Array.isArray(v)) return attr.ints(v);
  return attr.float(v.f);
}

export class GraphBuilder {
  readonly graph: Graph;
  private counter = 0;

  constructor(name: string, opset = 17) {
    this.graph = emptyGraph(name, opset);
  }

  fresh(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  input(name: string, dims: number[]): string {
    this.graph.inputs.push({ name, dtype: 'float32', shape: dims });
    return name;
  }

  output(name: string, dims: number[]): void {
    this.graph.outputs.push({ name, dtype: 'float32', shape: dims });
  }

  /** A float32 initializer. */
  constant(prefix: string, dims: number[], data: ArrayLike<number>): string {
    const name = this.fresh(prefix);
    const size = dims.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`${name}: ${data.length} values for dims [${dims}]`);
    this.graph.initializers[name] = floatTensor(dims, data);
    return name;
  }

  /** An int64 initializer (shapes, axes). */
  int64(prefix: string, values: number[]): string {
    const name = this.fresh(prefix);
    this.graph.initializers[name] = intTensor([values.length], values);
    return name;
  }

  /** Adds a node with one output and returns that output's name. */
  node(op: string, inputs: string[], attrs: Record<string, Attr> = {}, output?: string): string {
    const out = output ?? this.fresh(op.toLowerCase());
    const irAttrs: Record<string, IrAttr> = {};
    for (const [k, v] of Object.entries(attrs)) irAttrs[k] = toIrAttr(v);
    this.graph.nodes.push({ op, name: this.fresh(`n_${op}`), inputs, outputs: [out], attrs: irAttrs });
    return out;
  }

  encode(): Uint8Array {
    return writeOnnx(this.graph, { producerName: 'zkml-ts examples' });
  }
}
