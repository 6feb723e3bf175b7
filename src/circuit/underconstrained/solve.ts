/**
 * Solving a partner: after the finder moves one copy class and some constraint row breaks, it asks what
 * value of a second class reading that row repairs it. This is how two-cell freedoms are found (a
 * one-sided rescale accepts (q − 1, r + 2^s): moving q by −1 breaks the gate, and the gate — linear in
 * r — gives back r + 2^s exactly), which no single-cell perturbation can reach.
 *
 * - gate rows: a polynomial that is affine in the partner's value x is a·x + b; two evaluations give a and
 *   b, and x = −b/a in the field. A polynomial that is not affine in x (x squared, or two cells of the
 *   class multiplied) fails the final re-evaluation and yields nothing.
 * - lookup rows: the inputs that do not depend on x pick the table tuples that agree with them; each such
 *   tuple gives x from an input that is affine in x.
 */
import { frAdd, frInv, frMul, frSub } from '../../scalar/fr.ts';
import type { CopyClass } from './cells.ts';
import type { Constraint, Item, LocalChecker } from './local-check.ts';

/** The value of `cls` that makes gate row `item` vanish, or null when there is none or it is not unique. */
export function solveFromGate(chk: LocalChecker, item: Item, cls: CopyClass): bigint | null {
  const x0 = chk.value(cls);
  const f0 = chk.gateValue(item);
  chk.set(cls, frAdd(x0, 1n));
  const f1 = chk.gateValue(item);
  let out: bigint | null = null;
  if (f0 !== null && f1 !== null) {
    const a = frSub(f1, f0);
    if (a !== 0n) {
      const x = frSub(x0, frMul(f0, frInv(a)));
      chk.set(cls, x);
      if (chk.gateValue(item) === 0n) out = x;
    }
  }
  chk.set(cls, x0);
  return out;
}

const tupleIndex = new WeakMap<Constraint, Map<bigint, number[]>[]>();

/** Per input position, table rows by value (built once per lookup). */
function indexOf(con: Constraint): Map<bigint, number[]>[] {
  let idx = tupleIndex.get(con);
  if (idx) return idx;
  const tuples = con.tuples!;
  const width = tuples[0]?.length ?? 0;
  idx = Array.from({ length: width }, () => new Map<bigint, number[]>());
  const seen = new Set<string>();
  tuples.forEach((t, row) => {
    const key = t.join(',');
    // Padding repeats the first tuple: index each distinct tuple once.
    if (seen.has(key)) return;
    seen.add(key);
    t.forEach((v, j) => {
      const m = idx![j]!;
      let list = m.get(v);
      if (!list) m.set(v, (list = []));
      list.push(row);
    });
  });
  tupleIndex.set(con, idx);
  return idx;
}

/**
 * Values of `cls` (other than its current one) that put lookup row `item` into its table, at most `max`
 * of them; empty when every input moves with the class (the table alone cannot pick a value) or the
 * lookup is off on that row.
 */
export function solveFromLookup(chk: LocalChecker, item: Item, cls: CopyClass, max = 4): bigint[] {
  const con = chk.constraintOf(item);
  const row = chk.rowOf(item);
  if (con.kind !== 'lookup' || chk.constraintOf(item).selector!(row) !== 1n) return [];
  const x0 = chk.value(cls);
  const at0 = con.inputs!.map((f) => f(row));
  chk.set(cls, frAdd(x0, 1n));
  const at1 = con.inputs!.map((f) => f(row));
  chk.set(cls, x0);
  if (at0.some((v) => v === null) || at1.some((v) => v === null)) return [];
  const slope = at0.map((v, j) => frSub(at1[j]!, v!));
  const fixedPos = slope.map((a, j) => (a === 0n ? j : -1)).filter((j) => j >= 0);
  const movingPos = slope.findIndex((a) => a !== 0n);
  if (fixedPos.length === 0 || movingPos < 0) return [];
  const idx = indexOf(con);
  const rows = idx[fixedPos[0]!]!.get(at0[fixedPos[0]!]!) ?? [];
  const inv = frInv(slope[movingPos]!);
  const out: bigint[] = [];
  for (const r of rows) {
    const t = con.tuples![r]!;
    if (!fixedPos.every((j) => t[j] === at0[j])) continue;
    const x = frAdd(x0, frMul(frSub(t[movingPos]!, at0[movingPos]!), inv));
    if (x === x0 || out.includes(x)) continue;
    out.push(x);
    if (out.length >= max) break;
  }
  return out;
}
