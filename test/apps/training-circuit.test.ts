/**
 * The step circuit (src/apps/training/circuit.ts): its witness is the integer reference's step, its public
 * values are the three commitments and nothing else, MockProver accepts it, and every kind of cell is
 * pinned — moving the copy class of a weight-after, an exp-table output, a softmax quotient or remainder,
 * a rescale quotient or remainder, a ReLU mask, a back-propagated gradient or an update by one unit (or to
 * 0 / 1 / −1) is rejected; on a tiny configuration the freedom finder reports nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepCircuit, type StepCircuit } from '../../src/apps/training/circuit.ts';
import { flattenBatch, flattenWeights, sgdStep } from '../../src/apps/training/reference.ts';
import { packedCommitment } from '../../src/apps/training/commitment.ts';
import { mockProve, prepareAssignment, regionAt } from '../../src/circuit/mock-prover.ts';
import { CopyClasses, findFreedoms, LocalChecker, usedAdviceCells } from '../../src/circuit/underconstrained.ts';
import type { Cell, Value } from '../../src/circuit/builder.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { CircuitError } from '../../src/errors.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { forEachQuery, type Expr } from '../../src/plonk/expression.ts';
import { SMALL, TINY, sample } from './training-helpers.ts';

const salts = { before: 101n, batch: 202n, after: 303n };
const A = SMALL.actBits;
const fe = (v: bigint) => ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;

const { w, batch } = sample(SMALL, 5);
const sc: StepCircuit = stepCircuit(SMALL, { before: w, batch, salts });
const { cs, k, assignment } = sc.built;

test('the circuit computes the reference step; its public values are the commitments to W_t, the batch and W_t+1', () => {
  const ref = sgdStep(SMALL, w, batch);
  assert.deepEqual(sc.after, ref.after);
  const num = (m: Value[][]) => m.map((r) => r.map((v) => Number(v.value)));
  assert.deepEqual(num(sc.cells.z1), ref.z1);
  assert.deepEqual(num(sc.cells.mask), ref.mask);
  assert.deepEqual(num(sc.cells.exp), ref.exp);
  assert.deepEqual(num(sc.cells.prob), ref.prob);
  assert.deepEqual(num(sc.cells.delta2), ref.delta2);
  assert.deepEqual(num(sc.cells.delta1), ref.delta1);
  assert.deepEqual(sc.built.publicValues, [
    packedCommitment(flattenWeights(w), A, salts.before),
    packedCommitment(flattenBatch(batch), A, salts.batch),
    packedCommitment(flattenWeights(ref.after), A, salts.after),
  ]);
  // Hiding: no weight, input or label is a public value — only the three salted commitments are.
  assert.equal(sc.built.instances[0]!.length, 3);
  assert.equal(mockProve(cs, k, assignment, { maxFailures: 3 }).ok, true);
  assert.ok(k <= 14, `k = ${k}`);
});

test('a claimed W_t+1 with one weight one unit off is rejected (its commitment as the public value)', () => {
  const flat = flattenWeights(sc.after);
  for (const [i, d] of [[37, 1], [flat.length - 1, -1]] as const) {
    const bad = flat.map((v, j) => (j === i ? v + d : v));
    const inst = [[...assignment.instance[0]!.slice(0, 2), packedCommitment(bad, A, salts.after)]];
    assert.equal(mockProve(cs, k, { ...assignment, instance: inst }, { maxFailures: 1 }).ok, false, `weight ${i} ${d > 0 ? '+' : '−'}1 accepted`);
  }
});

/** Moves the copy class of `cell` to each of v ± 1, 0, 1, −1 and asserts every move is rejected. */
function assertPinned(cell: Cell, what: string, chk: LocalChecker, classes: CopyClasses): void {
  const cls = classes.ofCell(cell);
  const v = chk.value(cls);
  for (const x of [v + 1n, v - 1n, 0n, 1n, -1n].map(fe).filter((x) => x !== v)) {
    chk.set(cls, x);
    const ok = chk.holds([cls]) && chk.confirm();
    chk.set(cls, v);
    assert.equal(ok, false, `${what}: ${v} → ${x} accepted`);
  }
}

test('every kind of intermediate is pinned: tampering a weight-after, exp output, division quotient/remainder, rescale quotient/remainder, ReLU mask, gradient or update is rejected', () => {
  const p = prepareAssignment(cs, k, assignment);
  const chk = new LocalChecker(cs, p);
  const classes = new CopyClasses(chk.space, p.copies);
  const at = (v: Value, column: number): Cell => ({ column: { type: 'advice', index: column }, row: v.cell.row });
  const c = sc.cells;
  // rescale rows are a | q | r; div-var rows are a | d | σ | m | f | r | limbs.
  const kinds: [string, Cell][] = [
    ['weight after', c.after[5]!.cell],
    ['exp lookup output', c.exp[1]![2]!.cell],
    ['softmax quotient', c.prob[2]![1]!.cell],
    ['softmax remainder', at(c.prob[2]![1]!, 5)],
    ['softmax |divisor|', at(c.prob[0]![0]!, 3)],
    ['hidden rescale quotient', c.z1[0]![3]!.cell],
    ['hidden rescale remainder', at(c.z1[0]![3]!, 2)],
    ['ReLU mask', c.mask[1]![1]!.cell],
    ['output gradient δ2', c.delta2[3]![0]!.cell],
    ['hidden gradient δ1', c.delta1[2]![4]!.cell],
    ['weight update (rescaled gradient)', c.updates[10]!.cell],
    ['weight update remainder', at(c.updates[10]!, 2)],
    ['bias update', c.updates[64]!.cell],
  ];
  for (const [what, cell] of kinds) assertPinned(cell, what, chk, classes);
});

test('a sweep over every 5th used witness cell: moving its copy class to v ± 1, 0, 1 or −1 is rejected', () => {
  const p = prepareAssignment(cs, k, assignment);
  const chk = new LocalChecker(cs, p);
  const classes = new CopyClasses(chk.space, p.copies);
  const cells = usedAdviceCells(cs, p);
  let tried = 0;
  for (let i = 0; i < cells.length; i += 5, tried++) assertPinned(cells[i]!, `advice ${cells[i]!.column.index} row ${cells[i]!.row}`, chk, classes);
  assert.ok(tried > 1000, `${tried} cells`);
});

test('an argmax hint other than the first maximum has no witness (the softmax max is pinned)', () => {
  const ref = sgdStep(SMALL, w, batch);
  const argmax = [...ref.argmax];
  argmax[1] = (argmax[1]! + 1) % SMALL.classes;
  // Not a maximum: some m − z_c < 0 fails the range check before the exp table's domain (−2^A, 0] would.
  assert.throws(() => stepCircuit(SMALL, { before: w, batch, salts, argmax }), (e: unknown) => e instanceof CircuitError && /value -\d+ is outside \[0, 2\^12\)/.test((e as Error).message));
  // A maximum but not the first (all logits tie at 0): m − 1 − z_0 + [0 ≥ 1] = −1 fails its range check.
  const flat = { ...w, w2: w.w2.map((r) => r.map(() => 0)), b2: w.b2.map(() => 0) };
  assert.throws(() => stepCircuit(SMALL, { before: flat, batch, salts, argmax: [1, 0, 0, 0] }), (e: unknown) => e instanceof CircuitError && /value -1 is outside \[0, 2\^12\)/.test((e as Error).message));
  assert.equal(mockProve(cs, k, stepCircuit(SMALL, { before: flat, batch, salts }).built.assignment, { maxFailures: 1 }).ok, true);
});

test('the layout does not depend on the weights, batch or salts', () => {
  const other = sample(SMALL, 9);
  const b = stepCircuit(SMALL, { before: other.w, batch: other.batch, salts: { before: 1n, batch: 2n, after: 3n } }).built;
  assert.equal(b.k, k);
  assert.deepEqual(b.circuit.fixed, sc.built.circuit.fixed);
  assert.deepEqual(b.circuit.copies, sc.built.circuit.copies);
});

test('tiny configuration: the freedom finder finds no witness cell of the step (outside the Poseidon rows) that can move', () => {
  const t = sample(TINY, 4, 1);
  const { built } = stepCircuit(TINY, { before: t.w, batch: t.batch, salts });
  // The commitment gadget's own rows are the Poseidon chip's (its tests pin them); the step's cells are
  // moved first, each alone and with every partner class a broken row reads, Poseidon cells included.
  const p = prepareAssignment(built.cs, built.k, built.assignment);
  const cells = usedAdviceCells(built.cs, p).filter((c) => !/Poseidon/.test(regionAt(built.assignment.regions, c.row) ?? ''));
  assert.ok(cells.length > 300, `${cells.length} cells`);
  assert.deepEqual(findFreedoms(built.cs, built.k, built.assignment, { cells }), []);
});

test('the only rows no constraint reads are the private inputs: three salts, the weights before, the batch and one argmax hint per sample', () => {
  // A row is read when a gate or lookup is enabled on it or on a row a rotation reaches from. Private
  // inputs are rows no constraint reads there (chips pin them by copies); any other such row would hold a
  // value the prover chooses freely.
  const read = new Uint8Array(sc.built.rows);
  // A selector is a fixed column, or a sum of them (limb lookups that share an advice column: builder taggedLookup).
  const selectorColumns = (e: Expr): number[] => {
    if (e.kind === 'query' && e.column.type === 'fixed') return [e.column.index];
    if (e.kind === 'add') return [...selectorColumns(e.a), ...selectorColumns(e.b)];
    throw new Error('selector is not a fixed query or a sum of them');
  };
  const mark = (selector: Expr, polys: readonly Expr[]) => {
    const rotations = new Set<number>();
    for (const e of polys) forEachQuery(e, (col, rot) => col.type === 'advice' && rotations.add(rot));
    for (const c of selectorColumns(selector)) {
      const on = frVecToBigints(assignment.fixed[c]!);
      on.forEach((v, row) => v !== 0n && [...rotations].forEach((r) => row + r < read.length && (read[row + r] = 1)));
    }
  };
  for (const g of cs.gates) for (const e of g.polys) mark(e.kind === 'mul' ? e.a : e, [e]);
  for (const l of cs.lookups) mark(l.selector, l.inputs);
  const unread = read.reduce((n, v) => n + (v ? 0 : 1), 0);
  const { inputs: D, batch: B } = SMALL;
  assert.equal(unread, 3 + flattenWeights(w).length + B * D + B + B);
});
