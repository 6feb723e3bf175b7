/**
 * A code-emitting algebra for `emitConstraints` (plonk/constraints.ts): instead of numbers it builds a
 * DAG of field operations (hash-consed, so shared subexpressions such as A(X) or β·σ are computed once)
 * and renders it as Yul. The Solidity verifier's constraint code is therefore produced by the very
 * function the TypeScript prover and verifier run — the three cannot drift apart.
 *
 * Challenges. emitConstraints takes the challenge values as numbers (θ, β_L, β, γ, circuit challenges)
 * and folds some of them into constants (β·δ^j). The generator passes random sentinel values and maps
 * every constant that equals a sentinel (or β-sentinel·δ^j) back to a read of the runtime challenge.
 * Any other use of a challenge value would surface as a literal that depends on the sentinels, so the
 * generator builds the DAG twice with independent sentinels and refuses to emit code unless both
 * renderings are identical.
 *
 * Values in the rendered code are field elements in [0, r] (r only from an unreduced negation
 * `sub(r, a)`); every consumer is addmod/mulmod, which accept any 256-bit operand.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { FR_MODULUS, frMul } from '../scalar/fr.ts';
import type { ConstraintAlgebra, ProofPoly } from '../plonk/constraints.ts';
import type { Column } from '../plonk/expression.ts';
import { permutationDelta } from '../plonk/permutation/delta.ts';

export type YulNode =
  | { readonly id: number; readonly op: 'leaf'; readonly code: string; readonly value?: bigint }
  | { readonly id: number; readonly op: 'add' | 'sub' | 'mul'; readonly a: YulNode; readonly b: YulNode }
  | { readonly id: number; readonly op: 'neg'; readonly a: YulNode };

/** Where leaves live at run time: each resolver returns a Yul expression (calldataload(..), mload(..)). */
export interface LeafResolver {
  column(column: Column, rotation: number): string;
  poly(id: ProofPoly, rotation: number): string;
  /** Yul expression of a named challenge: 'theta' | 'betaL' | 'beta' | 'gamma' | `circuit:${i}`. */
  challenge(name: string): string;
}

/** Yul literal of a field element (decimal when short). */
export function yulLiteral(v: bigint): string {
  return v < 1_000_000n ? v.toString() : `0x${v.toString(16)}`;
}

/** Hash-consed DAG builder implementing the constraint algebra (arrow members: emitConstraints passes them unbound). */
export class YulDag implements ConstraintAlgebra<YulNode> {
  private readonly nodes = new Map<string, YulNode>();
  private nextId = 0;
  /** Sentinel value → challenge node. */
  private readonly sentinels = new Map<bigint, YulNode>();

  constructor(
    private readonly leaves: LeafResolver,
    challengeSentinels: ReadonlyMap<string, bigint>,
    /** Number of equality columns: β·δ^j is recognised for j below it. */
    equalityColumns: number,
  ) {
    for (const [name, v] of challengeSentinels) this.sentinels.set(v, this.leaf(leaves.challenge(name)));
    const beta = challengeSentinels.get('beta');
    if (beta !== undefined) {
      const betaNode = this.sentinels.get(beta)!;
      for (let j = 1; j < equalityColumns; j++) {
        const v = frMul(beta, permutationDelta(j));
        this.sentinels.set(v, this.op('mul', betaNode, this.literal(permutationDelta(j))));
      }
    }
  }

  private intern(key: string, make: (id: number) => YulNode): YulNode {
    let n = this.nodes.get(key);
    if (!n) {
      n = make(this.nextId++);
      this.nodes.set(key, n);
    }
    return n;
  }

  private leaf(code: string): YulNode {
    return this.intern(`L:${code}`, (id) => ({ id, op: 'leaf', code }));
  }

  private literal(v: bigint): YulNode {
    const value = ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
    return this.intern(`C:${value}`, (id) => ({ id, op: 'leaf', code: yulLiteral(value), value }));
  }

  private op(op: 'add' | 'sub' | 'mul', a: YulNode, b: YulNode): YulNode {
    // add and mul commute: order operands by id so a+b and b+a share one node.
    if (op !== 'sub' && b.id < a.id) [a, b] = [b, a];
    return this.intern(`${op}:${a.id}:${b.id}`, (id) => ({ id, op, a, b }));
  }

  readonly constant = (v: bigint): YulNode => {
    return this.sentinels.get(v) ?? this.literal(v);
  };

  readonly add = (a: YulNode, b: YulNode): YulNode => {
    const [ca, cb] = [constOf(a), constOf(b)];
    if (ca !== undefined && cb !== undefined) return this.literal(ca + cb);
    if (ca === 0n) return b;
    if (cb === 0n) return a;
    return this.op('add', a, b);
  };

  readonly sub = (a: YulNode, b: YulNode): YulNode => {
    const [ca, cb] = [constOf(a), constOf(b)];
    if (ca !== undefined && cb !== undefined) return this.literal(ca - cb);
    if (cb === 0n) return a;
    if (ca === 0n) return this.intern(`neg:${b.id}`, (id) => ({ id, op: 'neg', a: b }));
    return this.op('sub', a, b);
  };

  readonly mul = (a: YulNode, b: YulNode): YulNode => {
    const [ca, cb] = [constOf(a), constOf(b)];
    if (ca !== undefined && cb !== undefined) return this.literal(ca * cb);
    if (ca === 0n || cb === 0n) return this.literal(0n);
    if (ca === 1n) return b;
    if (cb === 1n) return a;
    return this.op('mul', a, b);
  };

  readonly column = (column: Column, rotation: number): YulNode => {
    const code = this.leaves.column(column, rotation);
    return /^[0-9]/.test(code) ? this.literal(BigInt(code)) : this.leaf(code);
  };

  readonly poly = (id: ProofPoly, rotation: number): YulNode => {
    return this.leaf(this.leaves.poly(id, rotation));
  };
}

const constOf = (n: YulNode): bigint | undefined => (n.op === 'leaf' ? n.value : undefined);

/** Random sentinel values for the named challenges (seeded, so generation is deterministic). */
export function challengeSentinels(names: readonly string[], seed: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const name of names) {
    const h = keccak_256(new TextEncoder().encode(`zkml-evm-sentinel/${seed}/${name}`));
    let v = 0n;
    for (const b of h) v = (v << 8n) | BigInt(b);
    out.set(name, v % FR_MODULUS);
  }
  return out;
}

/**
 * Renders the DAG of the roots as Yul statements. Nodes used more than once, or nested deeper than
 * `maxInline`, are stored in memory temporaries (`alloc` hands out addresses); the rest are inlined.
 * `root(i, expr)` turns root i's expression into a statement (the caller folds Φ by Horner).
 */
export function renderYul(
  roots: readonly YulNode[],
  alloc: () => number,
  root: (index: number, expr: string) => string,
  opts: { modulus?: string; maxInline?: number } = {},
): string[] {
  const R = opts.modulus ?? 'r';
  const maxInline = opts.maxInline ?? 3;
  const uses = new Map<number, number>();
  const visit = (n: YulNode) => {
    const u = (uses.get(n.id) ?? 0) + 1;
    uses.set(n.id, u);
    if (u > 1) return;
    if (n.op === 'neg') visit(n.a);
    else if (n.op !== 'leaf') {
      visit(n.a);
      visit(n.b);
    }
  };
  roots.forEach(visit);

  const lines: string[] = [];
  const stored = new Map<number, string>();
  const hex = (a: number) => `0x${a.toString(16)}`;
  /** Expression and its nesting depth (0 for a leaf or a stored temporary). */
  const render = (n: YulNode, forceStore = false): { code: string; depth: number } => {
    const s = stored.get(n.id);
    if (s) return { code: s, depth: 0 };
    if (n.op === 'leaf') return { code: n.code, depth: 0 };
    let code: string;
    let depth: number;
    if (n.op === 'neg') {
      const a = render(n.a);
      code = `sub(${R}, ${a.code})`;
      depth = a.depth + 1;
    } else {
      const a = render(n.a);
      const b = render(n.b);
      depth = Math.max(a.depth, b.depth) + 1;
      if (n.op === 'add') code = `addmod(${a.code}, ${b.code}, ${R})`;
      else if (n.op === 'mul') code = `mulmod(${a.code}, ${b.code}, ${R})`;
      else code = `addmod(${a.code}, sub(${R}, ${b.code}), ${R})`;
    }
    if (forceStore || (uses.get(n.id) ?? 0) > 1 || depth >= maxInline) {
      const addr = hex(alloc());
      lines.push(`mstore(${addr}, ${code})`);
      const ref = `mload(${addr})`;
      stored.set(n.id, ref);
      return { code: ref, depth: 0 };
    }
    return { code, depth };
  };
  roots.forEach((n, i) => {
    const { code } = render(n);
    lines.push(root(i, code));
  });
  return lines;
}
