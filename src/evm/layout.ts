/**
 * Where things are while the generated verifier runs: proof elements at fixed calldata offsets
 * (calldata.ts), and named memory slots the generator hands out.
 */
import { InvalidArgumentError } from '../errors.ts';
import { g1ToBigints, type G1Affine } from '../curve/index.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import { evalKey, evaluationOrder, type OpenedPoly } from '../plonk/openings.ts';
import { adviceCommitOrder } from '../plonk/proof.ts';
import { proofCounts } from '../plonk/encoding/proof.ts';
import type { CalldataShape } from './calldata.ts';

export const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

/** Memory from 0x200 up (0x00–0x1ff is scratch for precompile calls and the MSM accumulator). */
export class Memory {
  private next = 0x200;
  private readonly named = new Map<string, number>();

  /** Address (hex literal) of the slot called `name`, allocated on first use. */
  slot(name: string): string {
    let a = this.named.get(name);
    if (a === undefined) {
      a = this.take(1);
      this.named.set(name, a);
    }
    return hex(a);
  }

  /** `words` consecutive words; returns the first address. */
  take(words: number): number {
    const a = this.next;
    this.next += 32 * words;
    return a;
  }

  /** First address past everything allocated (the transcript buffer goes there: it may grow freely). */
  get end(): number {
    return this.next;
  }
}

/** A commitment in the opening check: a proof point (calldata offset of x; y follows) or a VK constant. */
export type CommitmentSource = { readonly calldata: number } | { readonly constant: readonly [bigint, bigint] | null };

/** Calldata offsets of every proof element and public value. */
export class ProofLayout {
  readonly shape: CalldataShape;
  /** Points before the evaluations (advice, m, z, φ, r, h). */
  readonly leadingPoints: number;
  readonly scalars: number;
  /** Index (in proof order) of the first m, z, φ, r and h point. */
  readonly first: { readonly m: number; readonly z: number; readonly phi: number; readonly r: number; readonly h: number };
  /** Calldata offsets of W (W′ follows at +64), the public values, and each instance column. */
  readonly wOffset: number;
  readonly instanceOffset: number;
  readonly instanceColumnOffsets: readonly number[];
  readonly calldataSize: number;
  private readonly evalIndex: Map<string, number>;
  private readonly advicePosition: Map<number, number>;

  constructor(private readonly vk: VerifyingKey) {
    const { cs, shape } = vk;
    const counts = proofCounts(vk);
    const A = cs.advicePhases.length;
    const L = shape.lookupArgs.length;
    const C = shape.chunks.length;
    const G = shape.lookupArgs.reduce((s, a) => s + a.groups.length, 0);
    this.first = { m: A, z: A + L, phi: A + L + C, r: A + L + C + G, h: A + L + C + G + 1 };
    this.leadingPoints = counts.points - 2;
    this.scalars = counts.scalars;
    const instanceWords = vk.instanceLengths.reduce((a, b) => a + b, 0);
    this.shape = { proofWords: 2 * counts.points + counts.scalars, instanceWords };
    this.wOffset = 4 + 64 * this.leadingPoints + 32 * this.scalars;
    this.instanceOffset = 4 + 32 * this.shape.proofWords;
    const cols: number[] = [];
    vk.instanceLengths.reduce((off, m, c) => ((cols[c] = off), off + 32 * m), this.instanceOffset);
    this.instanceColumnOffsets = cols;
    this.calldataSize = this.instanceOffset + 32 * instanceWords;
    this.evalIndex = new Map(evaluationOrder(cs, shape).map((e, i) => [evalKey(e.poly, e.rotation), i]));
    this.advicePosition = new Map(adviceCommitOrder(cs.advicePhases).map((col, i) => [col, i]));
  }

  /** Calldata offset of the i-th point in proof order (i < leadingPoints). */
  point(i: number): number {
    return 4 + 64 * i;
  }

  /** Calldata offset of the j-th evaluation. */
  evaluation(j: number): number {
    return 4 + 64 * this.leadingPoints + 32 * j;
  }

  /** Yul expression reading the claimed evaluation of `poly` at x·ω^rotation. */
  evalAt(poly: OpenedPoly, rotation: number): string {
    const i = this.evalIndex.get(evalKey(poly, rotation));
    if (i === undefined) throw new InvalidArgumentError(`verifying key is inconsistent: no evaluation for ${evalKey(poly, rotation)}`);
    return `calldataload(${hex(this.evaluation(i))})`;
  }

  /** Where the commitment of an opened polynomial (other than h) comes from, as verifier.ts's commitmentOf. */
  commitment(poly: OpenedPoly): CommitmentSource {
    const [kind, a, b] = poly.split(':');
    const constant = (p: G1Affine): CommitmentSource => {
      const c = g1ToBigints(p);
      return { constant: c ? [c.x, c.y] : null };
    };
    switch (kind) {
      case 'advice':
        return { calldata: this.point(this.advicePosition.get(Number(a))!) };
      case 'fixed':
        return constant(this.vk.fixedCommitments[Number(a)]!);
      case 'sigma':
        return constant(this.vk.sigmaCommitments[Number(a)]!);
      case 'r':
        return { calldata: this.point(this.first.r) };
      case 'z':
        return { calldata: this.point(this.first.z + Number(a)) };
      case 'm':
        return { calldata: this.point(this.first.m + Number(a)) };
      case 'phi': {
        const before = this.vk.shape.lookupArgs.slice(0, Number(a)).reduce((s, arg) => s + arg.groups.length, 0);
        return { calldata: this.point(this.first.phi + before + Number(b)) };
      }
      default:
        throw new Error(`no single commitment for ${poly}`);
    }
  }
}
