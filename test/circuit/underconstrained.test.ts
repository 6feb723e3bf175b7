/**
 * The freedom finder (findFreedoms): planted holes are found with the cells and values that exploit them —
 * a one-sided rescale's (q − 1, r + 2^s) pair, a public output no gate computes, a boolean whose honest 1
 * may become 0, a free cell, a copied value nothing reads — and the real chips and small compiled models
 * report nothing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS, frFrom } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { add, advice, constant, fixed, mul, sub } from '../../src/plonk/expression.ts';
import { CircuitBuilder, type BuiltCircuit, type Cell, type Value } from '../../src/circuit/builder.ts';
import { type Assignment, mockProve, prepareAssignment } from '../../src/circuit/mock-prover.ts';
import {
  CellSpace,
  CopyClasses,
  describeFreedom,
  findFreedoms,
  findUnderconstrainedCells,
  type FindFreedomsOptions,
  type Freedom,
} from '../../src/circuit/underconstrained.ts';
import type { ConstraintSystem } from '../../src/plonk/cs.ts';
import { argMax } from '../../src/circuit/chips/argmax.ts';
import { dense } from '../../src/circuit/chips/dense.ts';
import { divRoundVar } from '../../src/circuit/chips/div-var.ts';
import { dotProduct } from '../../src/circuit/chips/dot.ts';
import { affine, difference, product } from '../../src/circuit/chips/elementwise.ts';
import { freivaldsMatMul } from '../../src/circuit/chips/freivalds.ts';
import { rangeCheck, rangeTable } from '../../src/circuit/chips/range.ts';
import { relu } from '../../src/circuit/chips/relu.ts';
import { rescaleCells } from '../../src/circuit/chips/rescale.ts';
import { select } from '../../src/circuit/chips/select.ts';
import { tableLookup } from '../../src/circuit/chips/table-lookup.ts';
import { divRoundConst, lessBit, reluSigned, selectCmp } from '../../src/compiler/gadgets.ts';
import { tableValue } from '../../src/layers/table.ts';
import { attr, floatTensor, intTensor, type Graph } from '../../src/graph/ir.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { graph, modelInputCells, quantizeSmall, randoms } from '../compiler/lowering-helpers.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';

after(terminateFfjsCurve);

const S = 4;
const B = 8;

const sameCell = (a: Cell, b: Cell) => a.column.type === b.column.type && a.column.index === b.column.index && a.row === b.row;
const has = (cells: readonly Cell[], c: Cell) => cells.some((x) => sameCell(x, c));
const signed = (v: bigint) => (v > FR_MODULUS / 2n ? v - FR_MODULUS : v);

function freedoms(built: BuiltCircuit, inputs: readonly Value[], opts: FindFreedomsOptions = {}): Freedom[] {
  return findFreedoms(built.cs, built.k, built.assignment, { inputs: inputs.map((v) => v.cell), ...opts });
}

/** The assignment with advice cell `cell` set to `v`. */
function withCell(a: Assignment, cell: Cell, v: bigint): Assignment {
  const advice = a.advice.map((col, i) => {
    if (i !== cell.column.index) return col;
    const vals = frVecToBigints(col);
    vals[cell.row] = frFrom(v);
    return frVecFromBigints(vals);
  });
  return { ...a, advice };
}

// ---- planted holes ----------------------------------------------------------------------------------

/**
 * A broken rescale: acc = q·2^s + r with r looked up in [0, 2^(s+1)) — one bit too wide (floor division
 * needs [0, 2^s)), so (q − 1, r + 2^s) passes whenever r < 2^s. q is range-checked like the real chip.
 */
function oneSidedRescale(b: CircuitBuilder, acc: Value, s: number): { q: Value; r: Value } {
  const kind = `onesided/s${s}`;
  const sel = b.selector(kind);
  const [ca, cq, cr] = [b.advice(0), b.advice(1), b.advice(2)];
  const two = 1n << BigInt(s);
  b.gate(kind, () => [mul(fixed(sel.index), sub(advice(ca.index), add(mul(constant(two), advice(cq.index)), advice(cr.index))))]);
  b.lookup(`${kind}: r`, rangeTable(b, s + 1), fixed(sel.index), () => [advice(cr.index)]);
  b.lookup(`${kind}: q`, rangeTable(b, B), fixed(sel.index), () => [add(advice(cq.index), constant(1n << BigInt(B - 1)))]);
  const q = acc.value >= 0n ? acc.value / two : -((-acc.value + two - 1n) / two);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(ca, row, acc);
  return { q: b.assign(cq, row, q), r: b.assign(cr, row, acc.value - q * two) };
}

test('planted one-sided rescale: every row reports the (q − 1, r + 2^s) pair, q public; the two-sided chip reports nothing', () => {
  const accs = [100, -37, 5, 0];
  const b = new CircuitBuilder();
  const xs = b.privateInputs(accs);
  const cells = xs.map((x) => oneSidedRescale(b, x, S));
  for (const c of cells) b.publicOutput(c.q);
  const built = b.build();
  const found = freedoms(built, xs);
  assert.equal(found.length, accs.length, found.map(describeFreedom).join('\n'));
  cells.forEach(({ q, r }, i) => {
    const f = found.find((x) => has(x.cells, q.cell));
    assert.ok(f, `row of acc ${accs[i]}`);
    assert.equal(f.kind, 'pair');
    const mq = f.moves.find((m) => has(m.cells, q.cell))!;
    const mr = f.moves.find((m) => has(m.cells, r.cell))!;
    assert.ok(mq && mr, describeFreedom(f));
    // The honest r is in [0, 2^s), so the only other solution is one step down.
    assert.deepEqual([signed(mq.accepted), signed(mr.accepted)], [q.value - 1n, r.value + 16n], describeFreedom(f));
    assert.deepEqual(f.publicCells, [{ column: { type: 'instance', index: 0 }, row: i }], 'the public q moves');
    assert.match(f.solvedFrom ?? '', /onesided/);
    // The reported witness really passes the MockProver, public value included.
    let a = withCell(withCell(built.assignment, q.cell, mq.accepted), r.cell, mr.accepted);
    a = { ...a, instance: [a.instance[0]!.map((v, j) => (j === i ? mq.accepted : v))] };
    assert.ok(mockProve(built.cs, built.k, a).ok);
  });
  // The single-cell check cannot see it: each of q and r alone is pinned by the gate.
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment), []);

  const b2 = new CircuitBuilder();
  const xs2 = b2.privateInputs(accs.map((a) => a * 3));
  for (const x of xs2) b2.publicOutput(rescaleCells(b2, x, S, B).q);
  assert.deepEqual(freedoms(b2.build(), xs2).map(describeFreedom), []);
});

test('planted gate-less public output is reported as public; outputs computed from the input are not, declared public inputs are free', () => {
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([5]);
  const [pin] = b.publicInputs([9]); // a public input nothing reads: free by design when declared
  b.publicOutput(affine(b, x!, 3, 1)); // instance 1
  b.publicOutput(relu(b, x!, B)); // instance 2
  const row = b.region(1);
  const z = b.assign(b.advice(0), row, 42);
  b.publicOutput(z); // instance 3: only copied, no gate
  const built = b.build();
  const found = freedoms(built, [x!, pin!]);
  assert.equal(found.length, 1, found.map(describeFreedom).join('\n'));
  const f = found[0]!;
  assert.equal(f.kind, 'public');
  assert.ok(has(f.cells, z.cell));
  assert.deepEqual(f.publicCells, [{ column: { type: 'instance', index: 0 }, row: 3 }]);
  assert.equal(f.moves[0]!.original, 42n);
  // Without the input declaration the unused public input is reported too (and only it besides z).
  const all = freedoms(built, [x!]);
  assert.deepEqual(all.map((g) => g.publicCells.map((c) => c.row)).sort(), [[0], [3]]);
});

test('planted boolean with honest value 1 and no booleanity gate: 0 is accepted (v + 1 and random values are not)', () => {
  // f marks "x ≥ 0" through a range check of x + f·2^(B−1) that is one bit too wide and has no f·(1 − f)
  // gate: for x = 5 both f = 1 (133) and f = 0 (5) land in [0, 2^B), while f = 2 (261) and a random f do not.
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([5]);
  const kind = 'flagged-range';
  const sel = b.selector(kind);
  b.lookup(kind, rangeTable(b, B), fixed(sel.index), () => [add(advice(0), mul(constant(1n << BigInt(B - 1)), advice(1)))]);
  const row = b.region(1);
  b.enable(kind, row);
  b.assignCopy(b.advice(0), row, x!);
  const flag = b.assign(b.advice(1), row, 1);
  const built = b.build();
  for (const bad of [2n, 1234567n]) assert.equal(mockProve(built.cs, built.k, withCell(built.assignment, flag.cell, bad)).ok, false);
  const found = freedoms(built, [x!]);
  assert.equal(found.length, 1, found.map(describeFreedom).join('\n'));
  assert.equal(found[0]!.kind, 'cell');
  assert.deepEqual(found[0]!.moves.map((m) => [m.original, m.accepted]), [[1n, 0n]]);
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => [c.row, c.accepted]), [[flag.cell.row, 0n]]);
});

test('single-cell and copy-class freedoms: a cell nothing reads, a copied value only range-checked', () => {
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([7]);
  b.publicOutput(affine(b, x!, 2, -1));
  const stray = b.assign(b.advice(3), b.region(1), 11); // read by nothing
  // w is copied into a second row; both rows only range-check it: the copied value may be any 8-bit number.
  const kind = 'range-only';
  const sel = b.selector(kind);
  b.lookup(kind, rangeTable(b, B), fixed(sel.index), () => [advice(0)]);
  const r0 = b.region(2);
  b.enable(kind, r0);
  b.enable(kind, r0 + 1);
  const w = b.assign(b.advice(0), r0, 30);
  const w2 = b.assignCopy(b.advice(0), r0 + 1, w);
  const built = b.build();
  const found = freedoms(built, [x!]);
  assert.deepEqual(
    found.map((f) => [f.kind, f.cells.length, f.moves[0]!.original, f.moves[0]!.accepted]),
    [
      ['copy-class', 2, 30n, 31n],
      ['cell', 1, 11n, 12n],
    ],
  );
  assert.ok(has(found[0]!.cells, w.cell) && has(found[0]!.cells, w2.cell));
  assert.ok(sameCell(found[1]!.cells[0]!, stray.cell));
  // The single-cell check still finds the stray cell (and not the copied value: moving one copy breaks it).
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => [c.column.index, c.row, c.accepted]), [[3, stray.cell.row, 12n]]);
});

test('a product gate without range checks: (x·y = z) with z public and x, y private witnesses — pairs found, each confirmed', () => {
  // Only the product is constrained: (x + 1, z/(x + 1)) style moves keep z; the finder must solve y exactly.
  const b = new CircuitBuilder();
  const [seed] = b.privateInputs([3]);
  const xw = b.assign(b.advice(3), b.region(1), 6); // witness x, free but multiplied
  const yw = b.assign(b.advice(3), b.region(1), 7);
  const z = product(b, xw, yw);
  b.publicOutput(difference(b, z, seed!));
  const built = b.build();
  const found = freedoms(built, [seed!]);
  assert.ok(found.some((f) => f.kind === 'pair' && has(f.cells, xw.cell) && has(f.cells, yw.cell) && f.publicCells.length === 0), found.map(describeFreedom).join('\n'));
});

// ---- the real chips ---------------------------------------------------------------------------------

const T = 4;

/** The chip laid out on private inputs `xs` (declared as inputs to the finder) with its outputs public. */
function chipCircuit(f: (b: CircuitBuilder, xs: Value[]) => Value[], xs: (number | bigint)[]): { built: BuiltCircuit; inputs: Value[] } {
  const b = new CircuitBuilder();
  const inputs = b.privateInputs(xs);
  for (const y of f(b, inputs)) b.publicOutput(y);
  const built = b.build();
  assert.ok(mockProve(built.cs, built.k, built.assignment).ok);
  return { built, inputs };
}

const CHIPS: Record<string, () => ReturnType<typeof chipCircuit>> = {
  'dot (fixed weights)': () => chipCircuit((b, xs) => [dotProduct(b, xs, [2, 9, -4, 11, -6, 1], -17, { width: 4 })], [3, -7, 12, 0, 5, -100]),
  'dot (advice weights)': () => chipCircuit((b, xs) => [dotProduct(b, xs.slice(0, 3), xs.slice(3, 6), xs[6]!, { width: 2 })], [4, -5, 6, -1, 2, 3, 10]),
  rescale: () => chipCircuit((b, xs) => xs.map((a) => rescaleCells(b, a, S, B).q), [0, 8, -8, 7, -9, 100, -100, 127 * 16 + 7, -128 * 16 - 8]),
  'rescale (limbs)': () => chipCircuit((b, xs) => xs.map((a) => rescaleCells(b, a, S, B, { maxTableBits: T }).q), [8, -8, -100, 127 * 16 + 7, -128 * 16 - 8]),
  'range check': () =>
    chipCircuit((b, xs) => {
      for (const x of xs) rangeCheck(b, x, 10, { offset: 512n, limbBits: T });
      return [];
    }, [-512, -1, 0, 511, 300]),
  'relu (table)': () => chipCircuit((b, xs) => xs.map((x) => relu(b, x, B)), [-128, -1, 0, 1, 5, 127]),
  'table lookup (sigmoid)': () => {
    const t = { name: 'sigmoid_s4', lo: -64, hi: 64, f: (q: number) => tableValue((x) => 1 / (1 + Math.exp(-x)), q, S) };
    return chipCircuit((b, xs) => xs.map((x) => tableLookup(b, x, t)), [-64, -3, 0, 10, 63]);
  },
  'relu (sign bit)': () => chipCircuit((b, xs) => xs.map((x) => reluSigned(b, x, 9, T)), [-256, -3, 0, 1, 255]),
  'selectCmp and lessBit': () =>
    chipCircuit(
      (b, [x, y, z]) => [selectCmp(b, x!, y!, 'max', 9, T), selectCmp(b, x!, y!, 'min', 9, T), selectCmp(b, z!, z!, 'max', 9, T), lessBit(b, y!, x!, 9, T), lessBit(b, x!, y!, 9, T)],
      [5, -7, 3],
    ),
  divRoundConst: () => chipCircuit((b, xs) => xs.map((x) => divRoundConst(b, x, 6, 9, T)), [7, -7, 0, 100, -100, 3, -3]),
  divRoundVar: () =>
    chipCircuit((b, [a, d, e, f]) => {
      const opts = { divisorBits: 6, quotientBits: 8, tableBits: T };
      return [divRoundVar(b, a!, d!, 4, opts), divRoundVar(b, e!, f!, 4, opts)];
    }, [7, -3, -30, 7]),
  'argmax (first, with a tie)': () =>
    chipCircuit((b, xs) => {
      const r = argMax(b, xs, 'first', 9, T);
      return [r.index, r.max];
    }, [3, 9, -2, 9, 0]),
  'argmax (last, with a tie)': () =>
    chipCircuit((b, xs) => {
      const r = argMax(b, xs, 'last', 9, T);
      return [r.index, r.max];
    }, [3, 9, -2, 9, 0]),
  'select (Where)': () => chipCircuit((b, [c1, c0, x, y]) => [select(b, c1!, x!, y!), select(b, c0!, x!, y!)], [1, 0, 5, -3]),
  'product, affine, difference': () => chipCircuit((b, [x, y]) => [product(b, x!, y!), affine(b, x!, 3, -2), difference(b, y!, x!)], [6, -4]),
  'dense (rescale + relu)': () =>
    chipCircuit((b, xs) => dense(b, xs, [[3, -2, 1, 5], [-4, 6, -1, 2]], [20, -90], { scaleBits: S, actBits: B, relu: true, width: 4 }), [13, -7, 30, 2]),
  'freivalds matmul': () =>
    chipCircuit((b, xs) => freivaldsMatMul(b, xs.slice(0, 6), xs.slice(6), 2, 3, 4, { width: 2 }), [3, -1, 2, 0, 5, -4, 1, 2, -3, 4, 0, -1, 2, 5, 7, 1, -2, 3]),
};

test('real chips: no freedom, searching up to three classes moved together', () => {
  for (const [name, make] of Object.entries(CHIPS)) {
    const { built, inputs } = make();
    assert.deepEqual(freedoms(built, inputs, { maxClasses: 3 }).map(describeFreedom), [], name);
  }
});

/** The circuit with one gate polynomial or lookup left out (the honest assignment still satisfies it). */
function withoutConstraint(cs: ConstraintSystem, which: number): { cs: ConstraintSystem; name: string } {
  const polys = cs.gates.flatMap((g, gi) => g.polys.map((_, pi) => ({ gi, pi, name: `gate ${g.name} poly ${pi}` })));
  if (which < polys.length) {
    const { gi, pi, name } = polys[which]!;
    return { name, cs: { ...cs, gates: cs.gates.map((g, j) => (j === gi ? { ...g, polys: g.polys.filter((_, q) => q !== pi) } : g)) } };
  }
  const li = which - polys.length;
  return { name: `lookup ${cs.lookups[li]!.name}`, cs: { ...cs, lookups: cs.lookups.filter((_, j) => j !== li) } };
}

test('every constraint of the rescale, range, sign-bit relu, compare and elementwise chips is needed: dropping any one is reported', () => {
  for (const name of ['rescale', 'rescale (limbs)', 'range check', 'relu (table)', 'relu (sign bit)', 'selectCmp and lessBit', 'product, affine, difference', 'dot (fixed weights)']) {
    const { built, inputs } = CHIPS[name]!();
    const count = built.cs.gates.reduce((s, g) => s + g.polys.length, 0) + built.cs.lookups.length;
    for (let i = 0; i < count; i++) {
      const { cs, name: dropped } = withoutConstraint(built.cs, i);
      const found = findFreedoms(cs, built.k, built.assignment, { inputs: inputs.map((v) => v.cell), maxClasses: 3, maxReports: 1 });
      assert.equal(found.length, 1, `${name} without ${dropped}: nothing found`);
    }
  }
});

test('chains: selectCmp without its booleanity gate lets min(5, −7) be published as −1 (σ a field fraction) — three classes, missed by pairs', () => {
  const { built, inputs } = chipCircuit((b, [x, y]) => [selectCmp(b, x!, y!, 'min', 9, T)], [5, -7]);
  const [gate] = built.cs.gates;
  assert.match(gate!.name, /^cmp-min/);
  const cs: ConstraintSystem = { ...built.cs, gates: [{ ...gate!, polys: gate!.polys.slice(1) }] };
  const opts = { inputs: inputs.map((v) => v.cell) };
  assert.deepEqual(findFreedoms(cs, built.k, built.assignment, { ...opts, maxClasses: 2 }), []);
  const found = findFreedoms(cs, built.k, built.assignment, { ...opts, maxClasses: 3 });
  const y = found.find((f) => f.kind === 'chain' && f.publicCells.length === 1 && f.moves.some((m) => has(m.cells, f.publicCells[0]!) && signed(m.accepted) === -1n));
  assert.ok(y, found.map(describeFreedom).join('\n'));
  assert.equal(y.moves.length, 3);
});

// ---- small compiled models, one per op family ------------------------------------------------------

const rand = randoms(5);
const out = (name: string, shape: number[], dtype: 'float32' | 'int64' | 'bool' = 'float32') => ({ name, dtype, shape });

const MODELS: Record<string, { g: Graph; shape: number[]; lo: number; hi: number }> = {
  'Conv → Relu → Flatten → Gemm': {
    g: graph(
      'cnn',
      [1, 1, 4, 4],
      [1, 3],
      [
        { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) } },
        { op: 'Relu', name: 'r', inputs: ['c'], outputs: ['rc'], attrs: {} },
        { op: 'Flatten', name: 'f', inputs: ['rc'], outputs: ['fl'], attrs: {} },
        { op: 'Gemm', name: 'fc', inputs: ['fl', 'w', 'b'], outputs: ['y'], attrs: { transB: attr.int(1) } },
      ],
      { cw: floatTensor([2, 1, 3, 3], rand(18)), cb: floatTensor([2], rand(2)), w: floatTensor([3, 8], rand(24)), b: floatTensor([3], rand(3)) },
    ),
    shape: [1, 1, 4, 4],
    lo: -1,
    hi: 1,
  },
  'Mul (runtime², × constant) and Div (runtime, constant, real)': {
    g: graph(
      'muldiv',
      [1, 6],
      [1, 6],
      [
        { op: 'Mul', name: 'sq', inputs: ['x', 'x'], outputs: ['sq'], attrs: {} },
        { op: 'Add', name: 'dp', inputs: ['sq', 'half'], outputs: ['dp'], attrs: {} },
        { op: 'Div', name: 'q1', inputs: ['x', 'dp'], outputs: ['q1'], attrs: {} },
        { op: 'Div', name: 'h', inputs: ['q1', 'two'], outputs: ['h'], attrs: {} },
        { op: 'Div', name: 'f', inputs: ['h', 'pt7'], outputs: ['f'], attrs: {} },
        { op: 'Mul', name: 'y', inputs: ['f', 'three'], outputs: ['y'], attrs: {} },
      ],
      { half: floatTensor([], [0.5]), two: floatTensor([], [2]), pt7: floatTensor([], [0.7]), three: floatTensor([6], [3, 2.5, -1, 0.25, 1, -2]) },
    ),
    shape: [1, 6],
    lo: -2,
    hi: 2,
  },
  'ReduceSum / ReduceMean / ReduceMax / ArgMax (ties after Relu)': {
    g: graph(
      'reduce',
      [2, 5],
      [out('rs', [2]), out('rm', [2, 1]), out('rx', [5]), out('a1', [2, 1], 'int64'), out('a2', [5], 'int64')],
      [
        { op: 'ReduceSum', name: 'rs', inputs: ['x', 'ax'], outputs: ['rs'], attrs: { keepdims: attr.int(0) } },
        { op: 'ReduceMean', name: 'rm', inputs: ['x'], outputs: ['rm'], attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } },
        { op: 'ReduceMax', name: 'rx', inputs: ['x'], outputs: ['rx'], attrs: { axes: attr.ints([0]), keepdims: attr.int(0) } },
        { op: 'Relu', name: 'relu', inputs: ['x'], outputs: ['rl'], attrs: {} },
        { op: 'ArgMax', name: 'a1', inputs: ['rl'], outputs: ['a1'], attrs: { axis: attr.int(1), keepdims: attr.int(1) } },
        { op: 'ArgMax', name: 'a2', inputs: ['rl'], outputs: ['a2'], attrs: { axis: attr.int(0), keepdims: attr.int(0), select_last_index: attr.int(1) } },
      ],
      { ax: intTensor([1], [1]) },
    ),
    shape: [2, 5],
    lo: -2,
    hi: 0.7,
  },
  Softmax: { g: graph('softmax', [2, 4], [2, 4], [{ op: 'Softmax', name: 'sm', inputs: ['x'], outputs: ['y'], attrs: { axis: attr.int(-1) } }], {}), shape: [2, 4], lo: -8, hi: 8 },
  LayerNormalization: {
    g: graph('ln', [2, 4], [2, 4], [{ op: 'LayerNormalization', name: 'ln', inputs: ['x', 'g', 'b'], outputs: ['y'], attrs: { axis: attr.int(-1) } }], { g: floatTensor([4], [1, 0.5, -1, 2]), b: floatTensor([4], [0, 0.25, 0, -0.5]) }, 17),
    shape: [2, 4],
    lo: -2,
    hi: 2,
  },
  'Greater / Equal / Less / Cast': {
    g: graph(
      'cmp',
      [1, 6],
      [out('y', [1, 6]), out('e', [1, 6], 'bool'), out('l', [1, 6])],
      [
        { op: 'Greater', name: 'gt', inputs: ['x', 'quarter'], outputs: ['m'], attrs: {} },
        { op: 'Mul', name: 'mask', inputs: ['x', 'm'], outputs: ['y'], attrs: {} },
        { op: 'Relu', name: 'r', inputs: ['x'], outputs: ['rx'], attrs: {} },
        { op: 'Equal', name: 'eq', inputs: ['rx', 'zero'], outputs: ['e'], attrs: {} },
        { op: 'Mul', name: 'sq', inputs: ['x', 'x'], outputs: ['t'], attrs: {} },
        { op: 'Less', name: 'lt', inputs: ['x', 't'], outputs: ['lb'], attrs: {} },
        { op: 'Cast', name: 'cast', inputs: ['lb'], outputs: ['l'], attrs: { to: { type: 'int', value: 1 } } },
      ],
      { quarter: floatTensor([], [0.25]), zero: floatTensor([], [0]) },
    ),
    shape: [1, 6],
    lo: -1.5,
    hi: 1.5,
  },
  'Clip → MaxPool → AveragePool': {
    g: graph(
      'pools',
      [1, 1, 4, 4],
      [1, 1, 1, 1],
      [
        { op: 'Clip', name: 'c', inputs: ['x', 'lo', 'hi'], outputs: ['c'], attrs: {} },
        { op: 'MaxPool', name: 'mp', inputs: ['c'], outputs: ['m'], attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) } },
        { op: 'AveragePool', name: 'ap', inputs: ['m'], outputs: ['y'], attrs: { kernel_shape: attr.ints([2, 2]) } },
      ],
      { lo: floatTensor([], [-0.5]), hi: floatTensor([], [0.75]) },
    ),
    shape: [1, 1, 4, 4],
    lo: -1,
    hi: 1,
  },
  'Sigmoid → Tanh (tables)': {
    g: graph('tables', [1, 6], [1, 6], [
      { op: 'Sigmoid', name: 's', inputs: ['x'], outputs: ['s'], attrs: {} },
      { op: 'Tanh', name: 't', inputs: ['s'], outputs: ['y'], attrs: {} },
    ], {}),
    shape: [1, 6],
    lo: -3,
    hi: 3,
  },
  'BatchNormalization → LeakyRelu': {
    g: graph(
      'bn-leaky',
      [1, 2, 2, 2],
      [1, 2, 2, 2],
      [
        { op: 'BatchNormalization', name: 'bn', inputs: ['x', 'gamma', 'beta', 'mean', 'var'], outputs: ['h'], attrs: { epsilon: attr.float(1e-5) } },
        { op: 'LeakyRelu', name: 'act', inputs: ['h'], outputs: ['y'], attrs: { alpha: attr.float(0.1) } },
      ],
      { gamma: floatTensor([2], [1.5, -0.75]), beta: floatTensor([2], [0.25, -0.5]), mean: floatTensor([2], [0.1, -0.2]), var: floatTensor([2], [0.8, 1.2]) },
    ),
    shape: [1, 2, 2, 2],
    lo: -2,
    hi: 2,
  },
};

test('small compiled models, one per op family: no freedom with the private input cells declared', () => {
  for (const [name, { g, shape, lo, hi }] of Object.entries(MODELS)) {
    const { model, inputs } = quantizeSmall(g, shape, lo, hi);
    const c = buildModelCircuit(model, inputs[0]!, { width: 4 });
    const inputCells = modelInputCells(c);
    assert.equal(inputCells.length, shape.reduce((a, b) => a * b, 1), `${name}: one input cell per element`);
    assert.deepEqual(findFreedoms(c.cs, c.k, c.assignment, { inputs: inputCells }).map(describeFreedom), [], name);
  }
});

test('a compiled model with public inputs: each input class holds its instance row, and nothing is reported', () => {
  const { g, shape, lo, hi } = MODELS['Clip → MaxPool → AveragePool']!;
  const { model, inputs } = quantizeSmall(g, shape, lo, hi);
  const c = buildModelCircuit(model, inputs[0]!, { width: 4, visibility: { x: 'public' } });
  const inputCells = modelInputCells(c);
  const p = prepareAssignment(c.cs, c.k, c.assignment);
  const classes = new CopyClasses(new CellSpace(p), p.copies);
  inputCells.forEach((cell, i) => assert.deepEqual(classes.ofCell(cell).instanceCells, [{ column: { type: 'instance', index: 0 }, row: i }]));
  assert.deepEqual(findFreedoms(c.cs, c.k, c.assignment, { inputs: inputCells }).map(describeFreedom), []);
});
