/**
 * Consistency of a stored simplified graph (a compiled model read from a file that may be hostile): every
 * node's inputs are produced earlier (by a graph input, an initializer or a node), no value is produced
 * twice, node names are unique, and every shape the file states — graph inputs and outputs, each node
 * output's value info — is what the op registry's shape rule gives. This is a check, not a rewrite: the
 * graph is used as stored (no folding, no simplification).
 */
import { FormatError } from '../errors.ts';
import type { Graph } from '../graph/ir.ts';
import { opDef } from '../layers/registry.ts';
import { tensorValues } from './simplify.ts';

const sameShape = (a: readonly unknown[] | undefined, b: readonly number[]): boolean => !!a && a.length === b.length && a.every((d, i) => d === b[i]);

/** Throws a FormatError naming `path` and the first inconsistency of `graph`. */
export function checkStoredGraph(graph: Graph, path: string): void {
  const fail = (msg: string): never => {
    throw new FormatError(path, msg);
  };
  const shapes = new Map<string, number[]>();
  for (const v of graph.inputs) {
    if (!v.shape || !v.shape.every((d) => typeof d === 'number')) fail(`graph input '${v.name}' has no static shape`);
    if (shapes.has(v.name)) fail(`graph input '${v.name}' is declared twice`);
    shapes.set(v.name, v.shape as number[]);
  }
  for (const [name, t] of Object.entries(graph.initializers)) {
    if (shapes.has(name)) fail(`initializer '${name}' shadows a graph input`);
    shapes.set(name, t.shape);
  }
  const names = new Set<string>();
  for (const node of graph.nodes) {
    const def = opDef(node.op, node.domain);
    if (!def) return fail(`node '${node.name}': unsupported op ${node.op}`);
    if (names.has(node.name)) fail(`node name '${node.name}' is used twice`);
    names.add(node.name);
    const inShapes = node.inputs.map((n) => {
      if (n === '') return [0];
      const s = shapes.get(n);
      return s ?? fail(`node '${node.name}': input '${n}' is not produced by any earlier node, initializer or graph input`);
    });
    const inConsts = node.inputs.map((n) => {
      const t = n === '' ? undefined : graph.initializers[n];
      return t ? tensorValues(t) : undefined;
    });
    let out: number[][];
    try {
      out = def.shape(node, inShapes, inConsts);
    } catch (e) {
      return fail(`node '${node.name}' (${node.op}): ${(e as Error).message}`);
    }
    node.outputs.forEach((o, k) => {
      if (o === '') return;
      if (shapes.has(o)) fail(`node '${node.name}': value '${o}' is produced twice`);
      const s = out[k];
      if (!s) return; // an output the shape rule does not type (nothing may read it)
      if (!sameShape(graph.valueInfo[o]?.shape, s)) fail(`value '${o}': stored shape ${JSON.stringify(graph.valueInfo[o]?.shape)} is not the shape ${JSON.stringify(s)} of node '${node.name}'`);
      shapes.set(o, s);
    });
  }
  for (const o of graph.outputs) {
    const s = shapes.get(o.name) ?? fail(`graph output '${o.name}' is not produced by the graph`);
    if (!sameShape(o.shape, s)) fail(`graph output '${o.name}': stored shape ${JSON.stringify(o.shape)} is not ${JSON.stringify(s)}`);
  }
}
