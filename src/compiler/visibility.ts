/**
 * Visibility of the model's graph inputs and outputs in the proof. Public tensors are copied, in order, to
 * instance column 0 (graph inputs first, then graph outputs); private ones stay in the witness. Defaults:
 * inputs private, outputs public. A 'committed' graph input stays private but its commitment (a salted
 * Poseidon chain over its cells, src/commit/tensor-commitment.ts) is public, in the input's place: the
 * proof is about the tensor the commitment opens to, and reveals nothing else of it. A committed graph
 * output likewise: its commitment (under a salt the prover draws) is public in the output's place, and the
 * prover keeps the opening.
 */
import { CircuitError } from '../errors.ts';
import type { Graph } from '../graph/ir.ts';

export type Visibility = 'public' | 'private' | 'committed';

/** One public tensor's place in instance column 0. */
export interface PublicTensor {
  name: string;
  /** A public input or output tensor, or the commitment to a committed input (shape [1], one field element). */
  kind: 'input' | 'output' | 'commitment';
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
    if (vis !== 'public' && vis !== 'private' && vis !== 'committed') throw new CircuitError(`visibility of '${name}' must be 'public', 'private' or 'committed', got '${vis}'`);
    out.set(name, vis);
  }
  return out;
}
