/**
 * Visibility of the model's graph inputs and outputs in the proof. Public tensors are copied, in order, to
 * instance column 0 (graph inputs first, then graph outputs); private ones stay in the witness. Defaults:
 * inputs private, outputs public. ('committed' — a hash of a private tensor made public — is the next
 * kind; the layout below already records each public tensor's kind and place so it can be added.)
 */
import { CircuitError } from '../errors.ts';
import type { Graph } from '../graph/ir.ts';

export type Visibility = 'public' | 'private';

/** One public tensor's place in instance column 0. */
export interface PublicTensor {
  name: string;
  kind: 'input' | 'output';
  shape: number[];
  /** First row in instance column 0 and number of values (row-major). */
  offset: number;
  length: number;
}

/** Visibility of every graph input and output, checking that `overrides` only names those tensors. */
export function resolveVisibility(graph: Graph, overrides: Readonly<Record<string, Visibility>> = {}): Map<string, Visibility> {
  const out = new Map<string, Visibility>();
  for (const v of graph.inputs) out.set(v.name, 'private');
  for (const v of graph.outputs) out.set(v.name, 'public');
  for (const [name, vis] of Object.entries(overrides)) {
    if (!out.has(name))
      throw new CircuitError(`visibility names '${name}', which is not a graph input or output (${[...out.keys()].join(', ')})`);
    if (vis !== 'public' && vis !== 'private') throw new CircuitError(`visibility of '${name}' must be 'public' or 'private', got '${vis}'`);
    out.set(name, vis);
  }
  return out;
}
