/**
 * Points that a process combines again and again with new scalars (a verifying key's commitments: every
 * verification against the key combines them), with their byte rows 2^(8j)·B (bn254-wasm.ts
 * g1ByteRowsWasm) computed once, so that their part of a combination is a single 8-bit bucket pass
 * instead of a full multiexp. Like combination.ts, free of Node built-ins (the browser verifier uses it).
 */
import { frFrom } from '../scalar/fr.ts';
import { G1_BYTES, type G1Affine } from './g1.ts';
import { g1Combine } from './combination.ts';
import { BYTE_ROWS, g1ByteRowsWasm, g1CombineRowsWasm } from './bn254-wasm.ts';

/**
 * More bases than this get no rows (2 KiB of rows per base: 4 MiB at the cap); their combinations stay
 * plain. A verifying key has one base per fixed and σ column, a few hundred for the models we prove.
 */
export const MAX_TABLE_BASES = 2048;

/** A fixed list of bases B_i, combined with the byte rows from the second combination on. */
export class PrecomputedBases {
  readonly points: readonly G1Affine[];
  /** A copy of the points' bytes, to tell whether the points were changed in place since. */
  private readonly snapshot: Uint8Array;
  private combinations = 0;
  private rows: Promise<Uint8Array> | null = null;

  constructor(points: readonly G1Affine[]) {
    for (const p of points) if (p.length !== G1_BYTES) throw new RangeError('PrecomputedBases: point must be 64 bytes');
    this.points = points.slice();
    this.snapshot = new Uint8Array(points.length * G1_BYTES);
    points.forEach((p, i) => this.snapshot.set(p, i * G1_BYTES));
  }

  get size(): number {
    return this.points.length;
  }

  /** Whether the rows are built (or being built): combinations from now on use them. */
  get tabulated(): boolean {
    return this.rows !== null;
  }

  /** Whether the first points.length bases are `points`, byte for byte. */
  startsWith(points: readonly G1Affine[]): boolean {
    if (points.length > this.points.length) return false;
    const s = this.snapshot;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.length !== G1_BYTES) return false;
      for (let b = 0, o = i * G1_BYTES; b < G1_BYTES; b++) if (p[b] !== s[o + b]) return false;
    }
    return true;
  }

  /**
   * Σ a_i·B_i + Σ s_k·P_k (scalars any integers, taken mod r). The first combination is plain: building
   * the rows (248 doublings per base: ~11 ms for MNIST's 55 bases) costs several times what one
   * combination saves (~2 ms there), so a one-shot verification does not pay it; the second builds them
   * and every later one uses them.
   */
  async combine(baseScalars: readonly bigint[], points: readonly G1Affine[], scalars: readonly bigint[]): Promise<G1Affine> {
    if (baseScalars.length !== this.points.length) throw new RangeError('PrecomputedBases.combine: one scalar per base');
    if (points.length !== scalars.length) throw new RangeError('PrecomputedBases.combine: length mismatch');
    if (++this.combinations < 2 || this.points.length > MAX_TABLE_BASES || this.points.length === 0)
      return g1Combine([...this.points, ...points], [...baseScalars, ...scalars]);
    for (const p of points) if (p.length !== G1_BYTES) throw new RangeError('PrecomputedBases.combine: point must be 64 bytes');
    // (A failed build is forgotten, so that the next combination tries again.)
    this.rows ??= g1ByteRowsWasm(this.points).catch((e: unknown) => {
      this.rows = null;
      throw e;
    });
    const rows = await this.rows;
    // Row scalars: the 32 LE bytes of each a_i, in the rows' order (base by base, byte j for row j).
    const rowScalars = new Uint8Array(this.points.length * BYTE_ROWS);
    const view = new DataView(rowScalars.buffer);
    baseScalars.forEach((a, i) => {
      const v = frFrom(a);
      for (let w = 0; w < 4; w++) view.setBigUint64(i * BYTE_ROWS + 8 * w, BigInt.asUintN(64, v >> BigInt(64 * w)), true);
    });
    return g1CombineRowsWasm(rows, rowScalars, points, scalars.map(frFrom));
  }
}

