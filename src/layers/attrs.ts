/** Typed attribute getters: a wrong attribute type is a ModelError naming the node, never a silent default. */
import type { Node } from '../graph/ir.ts';
import { ModelError } from '../graph/errors.ts';

/** Integer attribute, or `def` when absent. */
export function attrInt(node: Node, name: string, def: number): number {
  const a = node.attrs[name];
  if (!a) return def;
  if (a.type !== 'int') throw new ModelError(node.name, `attribute ${name} must be an int, got ${a.type}`);
  return a.value;
}

/** Float attribute (an int attribute is accepted and converted), or `def` when absent. */
export function attrFloat(node: Node, name: string, def: number): number {
  const a = node.attrs[name];
  if (!a) return def;
  if (a.type !== 'float' && a.type !== 'int') throw new ModelError(node.name, `attribute ${name} must be a float, got ${a.type}`);
  return a.value;
}

/** Integer list attribute, or `def` when absent. */
export function attrInts(node: Node, name: string, def: number[] | undefined): number[] | undefined {
  const a = node.attrs[name];
  if (!a) return def;
  if (a.type !== 'ints') throw new ModelError(node.name, `attribute ${name} must be a list of ints, got ${a.type}`);
  return a.value;
}

/** String attribute, or `def` when absent. */
export function attrString(node: Node, name: string, def: string): string {
  const a = node.attrs[name];
  if (!a) return def;
  if (a.type !== 'string') throw new ModelError(node.name, `attribute ${name} must be a string, got ${a.type}`);
  return a.value;
}

/** Normalizes a possibly negative axis against a rank; ModelError when out of range. */
export function normAxis(node: Node, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new ModelError(node.name, `axis ${axis} out of range for rank ${rank}`);
  return a;
}
