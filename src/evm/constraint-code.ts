/**
 * The constraint part of the generated verifier (PROTOCOL §5 step 5): `emitConstraints` run over the
 * Yul-emitting algebra, folded into Φ(x) by Horner in y. Built twice with independent challenge
 * sentinels; the two renderings must agree (yul-algebra.ts explains why).
 */
import { ZkmlError } from '../errors.ts';
import { emitConstraints } from '../plonk/constraints.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import type { OpenedPoly } from '../plonk/openings.ts';
import { type Memory, type ProofLayout } from './layout.ts';
import { YulDag, challengeSentinels, renderYul, type LeafResolver, type YulNode } from './yul-algebra.ts';

/** The constraint list uses a challenge in a way the generator cannot turn into code (a generator limit, not a user error). */
export class ChallengeUseError extends ZkmlError {}

/** emitConstraints' signature, replaceable in tests. */
export type ConstraintEmitter = typeof emitConstraints;

export interface ConstraintCode {
  /** Yul statements; they leave Φ(x) in the variable `phi` and read `y` and `r` from scope. */
  readonly lines: readonly string[];
  /** Instance evaluations the constraints read: column, rotation and the slot the caller must fill. */
  readonly instanceQueries: readonly { column: number; rotation: number; slot: string }[];
}

/** Names of the challenges constraints may read (slots of the same names hold them at run time). */
export const constraintChallengeNames = (vk: VerifyingKey): string[] => [
  'theta',
  'betaL',
  'beta',
  'gamma',
  ...vk.cs.challengePhases.map((_, i) => `circuit:${i}`),
];

export function constraintCode(vk: VerifyingKey, layout: ProofLayout, mem: Memory, emitter: ConstraintEmitter = emitConstraints): ConstraintCode {
  const { cs, shape } = vk;
  const names = constraintChallengeNames(vk);
  const instanceQueries: { column: number; rotation: number; slot: string }[] = [];
  const leaves: LeafResolver = {
    column(c, rot) {
      if (c.type !== 'instance') return layout.evalAt(`${c.type}:${c.index}` as OpenedPoly, rot);
      if (vk.instanceLengths[c.index] === 0) return '0';
      const slot = mem.slot(`instance ${c.index} at x·ω^${rot}`);
      if (!instanceQueries.some((q) => q.slot === slot)) instanceQueries.push({ column: c.index, rotation: rot, slot });
      return `mload(${slot})`;
    },
    poly(id, rot) {
      if (id === 'l0' || id === 'llast' || id === 'lblind' || id === 'x') return `mload(${mem.slot(id)})`;
      return layout.evalAt(id as OpenedPoly, rot);
    },
    challenge: (name) => `mload(${mem.slot(name)})`,
  };
  const roots = (seed: string): YulNode[] => {
    const s = challengeSentinels(names, seed);
    const dag = new YulDag(leaves, s, cs.equality.length);
    const out: YulNode[] = [];
    const ch = { circuit: cs.challengePhases.map((_, i) => s.get(`circuit:${i}`)!), theta: s.get('theta')!, betaL: s.get('betaL')!, beta: s.get('beta')!, gamma: s.get('gamma')! };
    emitter(cs, shape, ch, dag, (_name, v) => out.push(v));
    return out;
  };
  const fold = (i: number, e: string) => (i === 0 ? `phi := ${e}` : `phi := addmod(mulmod(phi, y, r), ${e}, r)`);
  // Render both DAGs with one stand-in allocator: any difference is a challenge value used as a literal.
  const standIn = (nodes: YulNode[]) => {
    let a = 0;
    return renderYul(nodes, () => (a += 32), fold).join('\n');
  };
  const emitted = roots('emit');
  if (standIn(roots('check')) !== standIn(emitted))
    throw new ChallengeUseError('constraint code depends on challenge values in a way the EVM generator cannot express');
  const lines = renderYul(emitted, () => mem.take(1), fold);
  return { lines, instanceQueries };
}
