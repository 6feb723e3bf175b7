/**
 * The PLONKish constraint system as plain data (PROTOCOL §2), and the layout numbers derived from it
 * (blinding rows, usable rows, degree bound, extended-domain size, permutation chunks, logUp groups).
 */
import { CircuitError } from '../errors.ts';
import { type Column, type Expr, degree, forEachQuery, isFixedOnly } from './expression.ts';

export interface Gate {
  readonly name: string;
  /** Each polynomial must vanish on every row (gate selectors are fixed columns inside the polys). */
  readonly polys: readonly Expr[];
}

export interface LookupTable {
  readonly name: string;
  /** Table tuple t_1..t_w; fixed-only expressions. */
  readonly columns: readonly Expr[];
}

export interface Lookup {
  readonly name: string;
  /** Index into `lookupTables`. Lookups into one table share one multiplicity column. */
  readonly table: number;
  /** Fixed-only 0/1 expression enabling the lookup on a row. */
  readonly selector: Expr;
  /** Input tuple f_1..f_w (same width as the table). */
  readonly inputs: readonly Expr[];
}

export interface ConstraintSystem {
  readonly numFixed: number;
  readonly numInstance: number;
  /** Phase of each advice column (0, 1, …); challenges of phase p are drawn after phase-p advice. */
  readonly advicePhases: readonly number[];
  readonly challengePhases: readonly number[];
  readonly gates: readonly Gate[];
  readonly lookupTables: readonly LookupTable[];
  readonly lookups: readonly Lookup[];
  /** Columns taking part in copy constraints, in permutation order. */
  readonly equality: readonly Column[];
}

export interface QueryRef {
  readonly column: Column;
  readonly rotation: number;
}

/** One logUp argument: a table and the inputs looking into it, split into groups of bounded degree. */
export interface LookupArgument {
  readonly table: number;
  readonly inputs: readonly number[];
  /** groups[g] = indices into `inputs`. Group 0 also carries the table term. */
  readonly groups: readonly (readonly number[])[];
}

export interface CsShape {
  readonly k: number;
  readonly n: number;
  readonly d: number;
  /** Number of blinding rows b; usable rows are 0..u−1, row u holds final accumulator values. */
  readonly blindingRows: number;
  readonly u: number;
  readonly extK: number;
  readonly chunkSize: number;
  readonly chunks: readonly (readonly number[])[];
  readonly lookupArgs: readonly LookupArgument[];
  readonly adviceQueries: readonly QueryRef[];
  readonly fixedQueries: readonly QueryRef[];
  readonly instanceQueries: readonly QueryRef[];
  readonly numPhases: number;
}

const colKey = (c: Column) => `${c.type}:${c.index}`;

function collectQueries(cs: ConstraintSystem): QueryRef[] {
  const seen = new Set<string>();
  const out: QueryRef[] = [];
  const addQ = (column: Column, rotation: number) => {
    const key = `${colKey(column)}@${rotation}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ column, rotation });
  };
  for (const g of cs.gates) for (const p of g.polys) forEachQuery(p, addQ);
  for (const t of cs.lookupTables) for (const c of t.columns) forEachQuery(c, addQ);
  for (const l of cs.lookups) {
    forEachQuery(l.selector, addQ);
    for (const e of l.inputs) forEachQuery(e, addQ);
  }
  for (const c of cs.equality) addQ(c, 0);
  return out;
}

function validate(cs: ConstraintSystem): void {
  const checkCol = (c: Column, where: string) => {
    const max = c.type === 'fixed' ? cs.numFixed : c.type === 'advice' ? cs.advicePhases.length : cs.numInstance;
    if (!Number.isInteger(c.index) || c.index < 0 || c.index >= max)
      throw new CircuitError(`${where}: ${c.type} column ${c.index} does not exist`);
  };
  for (const g of cs.gates) for (const p of g.polys) forEachQuery(p, (c) => checkCol(c, `gate '${g.name}'`));
  for (const c of cs.equality) checkCol(c, 'equality');
  for (const t of cs.lookupTables) {
    for (const c of t.columns) {
      if (!isFixedOnly(c)) throw new CircuitError(`lookup table '${t.name}' must be made of fixed columns`);
      forEachQuery(c, (col) => checkCol(col, `table '${t.name}'`));
    }
  }
  for (const l of cs.lookups) {
    const t = cs.lookupTables[l.table];
    if (!t) throw new CircuitError(`lookup '${l.name}' names table ${l.table}, which does not exist`);
    if (l.inputs.length !== t.columns.length)
      throw new CircuitError(`lookup '${l.name}' has ${l.inputs.length} inputs but table '${t.name}' has ${t.columns.length} columns`);
    if (!isFixedOnly(l.selector)) throw new CircuitError(`lookup '${l.name}': selector must be fixed-only`);
    for (const e of l.inputs) forEachQuery(e, (c) => checkCol(c, `lookup '${l.name}'`));
  }
  const maxPhase = Math.max(0, ...cs.advicePhases);
  for (const p of cs.challengePhases)
    if (p > maxPhase) throw new CircuitError(`challenge of phase ${p} has no advice of that phase before it`);
  // A challenge index with no challenge would read undefined in the prover and verifier (a key made from
  // such a description must be refused here, not fail later as a type error).
  const checkChallenges = (e: Expr, where: string): void => {
    if (e.kind === 'challenge') {
      if (!Number.isInteger(e.index) || e.index < 0 || e.index >= cs.challengePhases.length)
        throw new CircuitError(`${where}: challenge ${e.index} does not exist (the circuit has ${cs.challengePhases.length})`);
    } else if (e.kind === 'add' || e.kind === 'mul') {
      checkChallenges(e.a, where);
      checkChallenges(e.b, where);
    } else if (e.kind === 'neg') checkChallenges(e.a, where);
  };
  for (const g of cs.gates) for (const p of g.polys) checkChallenges(p, `gate '${g.name}'`);
  for (const l of cs.lookups) for (const e of [l.selector, ...l.inputs]) checkChallenges(e, `lookup '${l.name}'`);
}

/** Lookup degree terms: deg F_j = max input degree; deg T = max table degree (PROTOCOL §4b). */
function lookupDegrees(cs: ConstraintSystem, j: number): { f: number; s: number } {
  const l = cs.lookups[j]!;
  return { f: Math.max(1, ...l.inputs.map(degree)), s: degree(l.selector) };
}

function groupLookups(cs: ConstraintSystem, d: number): LookupArgument[] {
  const args: LookupArgument[] = [];
  cs.lookupTables.forEach((t, ti) => {
    const inputs = cs.lookups.map((l, j) => (l.table === ti ? j : -1)).filter((j) => j >= 0);
    if (inputs.length === 0) return;
    const tDeg = Math.max(1, ...t.columns.map(degree));
    const groups: number[][] = [[]];
    let load = 2 + tDeg; // A·φ-difference + T in group 0
    for (let idx = 0; idx < inputs.length; idx++) {
      const { f, s } = lookupDegrees(cs, inputs[idx]!);
      const cost = Math.max(f, s - 1);
      const cur = groups[groups.length - 1]!;
      if (cur.length > 0 && load + cost > d) {
        groups.push([idx]);
        load = 2 + cost;
      } else {
        cur.push(idx);
        load += cost;
      }
    }
    args.push({ table: ti, inputs, groups });
  });
  return args;
}

/** The smallest degree bound d the constraint system needs (gates, and a single-input logUp group). */
export function requiredDegree(cs: ConstraintSystem): number {
  let d = 3;
  for (const g of cs.gates) for (const p of g.polys) d = Math.max(d, degree(p));
  cs.lookups.forEach((l, j) => {
    const t = cs.lookupTables[l.table]!;
    const tDeg = Math.max(1, ...t.columns.map(degree));
    const { f, s } = lookupDegrees(cs, j);
    d = Math.max(d, 2 + tDeg + Math.max(f, s - 1));
  });
  return d;
}

/**
 * The degree bound d the proof uses (PROTOCOL §2): the extended domain's size 2^e is fixed by the smallest
 * d the constraints need (2^e ≥ d_min − 1), and every d up to 2^e + 1 costs the same cosets. Within that
 * range a larger d takes longer permutation chunks (d − 2 columns each) and fuller logUp groups, so fewer
 * z and φ polynomials, but one more quotient piece per step: d is the one committing the fewest
 * polynomials (C + Σ G_ℓ + d − 1), the smallest on ties. Prover and verifier both derive it from the cs.
 */
export function proofDegree(cs: ConstraintSystem): number {
  const dMin = requiredDegree(cs);
  let e = 0;
  while (2 ** e < dMin - 1) e++;
  let best = dMin;
  let bestCount = Infinity;
  for (let d = dMin; d <= 2 ** e + 1; d++) {
    const chunks = Math.ceil(cs.equality.length / (d - 2));
    const groups = groupLookups(cs, d).reduce((a, l) => a + l.groups.length, 0);
    const count = chunks + groups + d - 1;
    if (count < bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/** Derives every layout number of PROTOCOL §1–2 for a domain of 2^k rows; throws when it cannot fit. */
export function csShape(cs: ConstraintSystem, k: number): CsShape {
  validate(cs);
  const n = 2 ** k;
  const d = proofDegree(cs);
  const queries = collectQueries(cs);
  const adviceQueries = queries.filter((q) => q.column.type === 'advice');
  const perColumn = new Map<number, Set<number>>();
  for (const q of adviceQueries) {
    const s = perColumn.get(q.column.index) ?? new Set<number>();
    s.add(q.rotation);
    perColumn.set(q.column.index, s);
  }
  const Q = Math.max(1, ...[...perColumn.values()].map((s) => s.size));
  const blindingRows = Math.max(3, Q) + 2;
  if (n < blindingRows + 3) throw new CircuitError(`k=${k} is too small: need at least ${blindingRows + 3} rows`);
  const u = n - blindingRows - 1;
  let extK = 0;
  while (2 ** extK < d - 1) extK++;
  if (k + extK > 28) throw new CircuitError(`k=${k} with degree ${d} exceeds the 2^28 domain of BN254`);
  const chunkSize = d - 2;
  const chunks: number[][] = [];
  for (let j = 0; j < cs.equality.length; j += chunkSize)
    chunks.push(Array.from({ length: Math.min(chunkSize, cs.equality.length - j) }, (_, i) => j + i));
  for (const q of queries)
    if (Math.abs(q.rotation) >= u) throw new CircuitError(`rotation ${q.rotation} reaches past the usable rows`);
  return {
    k,
    n,
    d,
    blindingRows,
    u,
    extK,
    chunkSize,
    chunks,
    lookupArgs: groupLookups(cs, d),
    adviceQueries,
    fixedQueries: queries.filter((q) => q.column.type === 'fixed'),
    instanceQueries: queries.filter((q) => q.column.type === 'instance'),
    numPhases: Math.max(0, ...cs.advicePhases) + 1,
  };
}
