/** Canonical bytes of a constraint system (pre-order expression trees with op tags); bound into D_vk. */
import { FormatError } from '../../errors.ts';
import { frFrom } from '../../scalar/fr.ts';
import type { Column, ColumnType, Expr } from '../expression.ts';
import type { ConstraintSystem } from '../cs.ts';
import { ByteReader, ByteWriter } from '../../serde/bytes.ts';

const COLUMN_TYPES: ColumnType[] = ['fixed', 'advice', 'instance'];
const TAG = { const: 1, query: 2, challenge: 3, add: 4, mul: 5, neg: 6 } as const;
const MAX_DEPTH = 10_000;

function writeColumn(w: ByteWriter, c: Column): void {
  w.u8(COLUMN_TYPES.indexOf(c.type)).u32(c.index);
}

function writeExpr(w: ByteWriter, e: Expr): void {
  w.u8(TAG[e.kind]);
  switch (e.kind) {
    case 'const':
      w.scalar(frFrom(e.value));
      return;
    case 'query':
      writeColumn(w, e.column);
      w.i32(e.rotation);
      return;
    case 'challenge':
      w.u32(e.index);
      return;
    case 'add':
    case 'mul':
      writeExpr(w, e.a);
      writeExpr(w, e.b);
      return;
    case 'neg':
      writeExpr(w, e.a);
      return;
  }
}

export function writeConstraintSystem(w: ByteWriter, cs: ConstraintSystem): void {
  w.u32(cs.numFixed).u32(cs.numInstance);
  w.u32(cs.advicePhases.length);
  for (const p of cs.advicePhases) w.u32(p);
  w.u32(cs.challengePhases.length);
  for (const p of cs.challengePhases) w.u32(p);
  w.u32(cs.gates.length);
  for (const g of cs.gates) {
    const name = new TextEncoder().encode(g.name);
    w.u32(name.length).bytes(name).u32(g.polys.length);
    for (const p of g.polys) writeExpr(w, p);
  }
  w.u32(cs.lookupTables.length);
  for (const t of cs.lookupTables) {
    const name = new TextEncoder().encode(t.name);
    w.u32(name.length).bytes(name).u32(t.columns.length);
    for (const c of t.columns) writeExpr(w, c);
  }
  w.u32(cs.lookups.length);
  for (const l of cs.lookups) {
    const name = new TextEncoder().encode(l.name);
    w.u32(name.length).bytes(name).u32(l.table);
    writeExpr(w, l.selector);
    w.u32(l.inputs.length);
    for (const e of l.inputs) writeExpr(w, e);
  }
  w.u32(cs.equality.length);
  for (const c of cs.equality) writeColumn(w, c);
}

function readColumn(r: ByteReader, field: string): Column {
  const t = r.u8(`${field} column type`);
  const type = COLUMN_TYPES[t];
  if (!type) throw new FormatError('constraint system', `${field}: unknown column type ${t}`);
  return { type, index: r.u32(`${field} column index`) };
}

function readExpr(r: ByteReader, depth = 0): Expr {
  if (depth > MAX_DEPTH) throw new FormatError('constraint system', 'expression nested too deeply');
  const tag = r.u8('expression tag');
  switch (tag) {
    case TAG.const:
      return { kind: 'const', value: r.scalar('constant') };
    case TAG.query:
      return { kind: 'query', column: readColumn(r, 'query'), rotation: r.i32('rotation') };
    case TAG.challenge:
      return { kind: 'challenge', index: r.u32('challenge index') };
    case TAG.add:
      return { kind: 'add', a: readExpr(r, depth + 1), b: readExpr(r, depth + 1) };
    case TAG.mul:
      return { kind: 'mul', a: readExpr(r, depth + 1), b: readExpr(r, depth + 1) };
    case TAG.neg:
      return { kind: 'neg', a: readExpr(r, depth + 1) };
    default:
      throw new FormatError('constraint system', `unknown expression tag ${tag}`);
  }
}

const LIMIT = 1 << 20;
function readName(r: ByteReader): string {
  return new TextDecoder().decode(r.take(r.u32('name length', 4096), 'name'));
}
function list<T>(r: ByteReader, field: string, f: () => T): T[] {
  const n = r.u32(`${field} count`, LIMIT);
  return Array.from({ length: n }, f);
}

export function readConstraintSystem(r: ByteReader): ConstraintSystem {
  const numFixed = r.u32('fixed columns', LIMIT);
  const numInstance = r.u32('instance columns', LIMIT);
  const advicePhases = list(r, 'advice', () => r.u32('advice phase', 255));
  const challengePhases = list(r, 'challenge', () => r.u32('challenge phase', 255));
  const gates = list(r, 'gate', () => ({ name: readName(r), polys: list(r, 'gate poly', () => readExpr(r)) }));
  const lookupTables = list(r, 'table', () => ({ name: readName(r), columns: list(r, 'table column', () => readExpr(r)) }));
  const lookups = list(r, 'lookup', () => {
    const name = readName(r);
    const table = r.u32('lookup table');
    const selector = readExpr(r);
    return { name, table, selector, inputs: list(r, 'lookup input', () => readExpr(r)) };
  });
  const equality = list(r, 'equality', () => readColumn(r, 'equality'));
  return { numFixed, numInstance, advicePhases, challengePhases, gates, lookupTables, lookups, equality };
}
