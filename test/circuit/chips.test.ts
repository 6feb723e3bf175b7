/** Chips on the CircuitBuilder: honest values match the integer reference; tampered cells are caught. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS, frFrom } from '../../src/scalar/fr.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { CircuitBuilder, type BuiltCircuit, type Cell, type Value } from '../../src/circuit/builder.ts';
import { type Assignment, describe, mockProve, type MockProveResult } from '../../src/circuit/mock-prover.ts';
import { withAdviceCell } from './cells.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { dotProduct } from '../../src/circuit/chips/dot.ts';
import { rescaleCells } from '../../src/circuit/chips/rescale.ts';
import { relu } from '../../src/circuit/chips/relu.ts';
import { tableLookup } from '../../src/circuit/chips/table-lookup.ts';
import { publicOutputs } from '../../src/circuit/chips/public.ts';
import { LIMB_RANGES, rangeCheck } from '../../src/circuit/chips/range.ts';
import { dense } from '../../src/circuit/chips/dense.ts';
import { rescale as refRescale } from '../../src/layers/int-math.ts';
import { tableValue } from '../../src/layers/table.ts';
import { CircuitError } from '../../src/errors.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';

after(terminateFfjsCurve);

function assertOk(built: BuiltCircuit, a: Assignment = built.assignment): void {
  const res = mockProve(built.cs, built.k, a);
  assert.deepEqual(res.failures.map(describe), []);
}


function cellValue(built: BuiltCircuit, cell: Cell): bigint {
  const vals = frVecToBigints(built.assignment.advice[cell.column.index]!);
  return vals[cell.row] ?? 0n;
}

function failsWith(res: MockProveResult, kind: 'gate' | 'lookup' | 'copy', name?: RegExp): void {
  assert.equal(res.ok, false, 'tampered assignment must fail');
  const hit = res.failures.some((f) => f.kind === kind && (!name || name.test(f.name)));
  assert.ok(hit, `expected a ${kind} failure${name ? ` matching ${name}` : ''}, got: ${res.failures.map(describe).join(' | ')}`);
}

function tamper(built: BuiltCircuit, cell: Cell, kind: 'gate' | 'lookup' | 'copy', name?: RegExp, delta = 1n): void {
  const v = cellValue(built, cell);
  failsWith(mockProve(built.cs, built.k, withAdviceCell(built.assignment, cell, v + delta)), kind, name);
}

function noUnderconstrained(built: BuiltCircuit): void {
  const found = findUnderconstrainedCells(built.cs, built.k, built.assignment);
  assert.deepEqual(found.map((c) => `${c.column.type}[${c.column.index}]@${c.row}`), []);
}

const signed = (v: bigint) => (v > FR_MODULUS / 2n ? v - FR_MODULUS : v);

// ---- dot product ------------------------------------------------------------------------------------

test('dot product with fixed weights: honest output = Σ x·w + b, packed 4 per row with padding', () => {
  const b = new CircuitBuilder();
  const xsv = [3, -7, 12, 0, 5, -100];
  const ws = [2, 9, -4, 11, -6, 1];
  const xs = b.privateInputs(xsv);
  const out = dotProduct(b, xs, ws, -17, { width: 4 });
  b.publicOutput(out);
  const built = b.build();
  assert.ok(built.k <= 10);
  const ref = xsv.reduce((s, x, i) => s + x * ws[i]!, -17);
  assert.equal(out.value, BigInt(ref));
  assert.deepEqual(built.publicValues, [BigInt(ref)]);
  assertOk(built);
  noUnderconstrained(built);

  // Layout: R = 2 product rows then the output row; x_j in advice j, acc in advice 4.
  const start = out.cell.row - 2;
  const acc = (row: number): Cell => ({ column: out.cell.column, row });
  tamper(built, xs[1]!.cell, 'copy'); // the input cell itself
  tamper(built, { column: { type: 'advice', index: 1 }, row: start }, 'copy'); // x_1 inside the region (copy of input)
  tamper(built, { column: { type: 'advice', index: 2 }, row: start + 1 }, 'copy'); // padding slot (copy of constant 0)
  tamper(built, acc(start), 'copy'); // acc(0) = bias constant
  tamper(built, acc(start + 1), 'gate', /^dot\//); // running accumulator
  tamper(built, out.cell, 'gate', /^dot\//); // output (also breaks the public copy)
});

test('dot product with advice weights: weights copied in, tampering a weight cell is caught', () => {
  const b = new CircuitBuilder();
  const xs = b.privateInputs([4, -5, 6]);
  const ws = b.privateInputs([-1, 2, 3]);
  const bias = b.privateInputs([10])[0]!;
  const out = dotProduct(b, xs, ws, bias, { width: 2 });
  assert.equal(out.value, BigInt(4 * -1 + -5 * 2 + 6 * 3 + 10));
  b.publicOutput(out);
  const built = b.build();
  assertOk(built);
  noUnderconstrained(built);
  const start = out.cell.row - 2;
  tamper(built, { column: { type: 'advice', index: 2 }, row: start }, 'copy'); // w_0 in the region
  tamper(built, { column: { type: 'advice', index: 3 }, row: start + 1 }, 'copy'); // padding weight (constant 0)
  tamper(built, ws[2]!.cell, 'copy');
  tamper(built, { column: out.cell.column, row: start + 1 }, 'gate', /^dot\/advice/);
});

// ---- rescale ----------------------------------------------------------------------------------------

const S = 4;
const B = 8;

test('rescale by 2^s: quotient equals the reference rdiv, remainder and quotient range-checked', () => {
  const b = new CircuitBuilder();
  // Ties (±8 = ±0.5·16) round up; extremes of the 8-bit activation range.
  const avals = [0, 8, -8, 7, -9, 100, -100, 127 * 16 + 7, -128 * 16 - 8, 2031];
  const ins = b.privateInputs(avals);
  const cells = ins.map((a) => rescaleCells(b, a, S, B));
  publicOutputs(b, cells.map((c) => c.q));
  const built = b.build();
  assert.ok(built.k <= 10);
  cells.forEach((c, i) => assert.equal(c.q.value, BigInt(refRescale(avals[i]!, S)), `a=${avals[i]}`));
  assertOk(built);
  noUnderconstrained(built);

  const c = cells[5]!; // a = 100: q = 6, r = 2·100 + 16 − 32·6 = 24
  assert.deepEqual([c.q.value, c.r.value], [6n, 24n]);
  tamper(built, c.a.cell, 'copy');
  tamper(built, c.q.cell, 'gate', /^rescale/);
  tamper(built, c.r.cell, 'gate', /^rescale/);
  // Consistent with the gate but r out of range: (q+1, r−32) and (q−1, r+32).
  const shift = (dq: bigint, dr: bigint): MockProveResult =>
    mockProve(built.cs, built.k, withAdviceCell(withAdviceCell(built.assignment, c.q.cell, c.q.value + dq), c.r.cell, c.r.value + dr));
  failsWith(shift(1n, -32n), 'lookup', /remainder/);
  failsWith(shift(-1n, 32n), 'lookup', /remainder/);
  // The one-sided hole: r' = r − δ in range, q' = q + δ/2^(s+1) mod p satisfies the gate and the remainder
  // check; only the quotient range check catches it.
  const delta = 5n;
  const inv32 = modInverse(32n);
  const qBad = frFrom(c.q.value + delta * inv32);
  const res = mockProve(built.cs, built.k, withAdviceCell(withAdviceCell(built.assignment, c.q.cell, qBad), c.r.cell, c.r.value - delta));
  assert.ok(!res.failures.some((f) => f.kind === 'gate'), 'gate still holds');
  assert.ok(!res.failures.some((f) => /remainder/.test(f.name)), 'remainder still in range');
  failsWith(res, 'lookup', /quotient/);
});

function modInverse(a: bigint): bigint {
  let [r0, r1, s0, s1] = [FR_MODULUS, a, 0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return frFrom(s0);
}

test('rescale refuses, at witness time, a quotient outside the activation range', () => {
  const b = new CircuitBuilder();
  const [a] = b.privateInputs([128 * 16]);
  assert.throws(() => rescaleCells(b, a!, S, B), CircuitError);
});

test('range check by limbs: 10 bits as 4+4+2-bit limbs, signed offset; tampered limbs and values caught', () => {
  const b = new CircuitBuilder();
  const vals = [-512, -1, 0, 511, 300];
  const xs = b.privateInputs(vals);
  for (const x of xs) rangeCheck(b, x, 10, { offset: 512n, limbBits: 4 });
  const built = b.build();
  assert.ok(built.k <= 10);
  assertOk(built);
  noUnderconstrained(built);
  const row = xs.length + 4; // fifth range row: 300 + 512 = 812 = 0x32C → limbs 12, 2, 3
  assert.deepEqual([1, 2, 3].map((c) => cellValue(built, { column: { type: 'advice', index: c }, row })), [12n, 2n, 3n]);
  tamper(built, { column: { type: 'advice', index: 1 }, row }, 'gate', /^range/);
  // Limb 0 + 16 and limb 1 − 1 keeps the sum: only the limb table catches it.
  const shifted = withAdviceCell(withAdviceCell(built.assignment, { column: { type: 'advice', index: 1 }, row }, 28n), { column: { type: 'advice', index: 2 }, row }, 1n);
  failsWith(mockProve(built.cs, built.k, shifted), 'lookup', /limb 0/);
  tamper(built, { column: { type: 'advice', index: 3 }, row }, 'lookup', /limb 2/, 1n); // top limb 3 → 4 ∉ [0, 4) (and gate)
  tamper(built, { column: { type: 'advice', index: 0 }, row }, 'copy');
  const b2 = new CircuitBuilder();
  assert.throws(() => rangeCheck(b2, b2.privateInputs([512])[0]!, 10, { offset: 512n, limbBits: 4 }), CircuitError);
});

test('limb ranges share one tagged table: one section per width, and a top limb valid only in a wider section is rejected', () => {
  const b = new CircuitBuilder();
  // 6 bits as 4 + 2 and 11 bits as 4 + 4 + 3: full limbs of 4 bits, top limbs of 2 and 3.
  const [x, y] = b.privateInputs([37, 1500]);
  rangeCheck(b, x!, 6, { limbBits: 4 });
  rangeCheck(b, y!, 11, { limbBits: 4 });
  const built = b.build();
  assert.deepEqual(built.cs.lookupTables.map((t) => t.name), [LIMB_RANGES]);
  const table = built.cs.lookupTables[0]!;
  assert.equal(table.columns.length, 2, 'tag and value');
  // Both checks' limbs sit in advice columns 1..3: one logUp input per column, the two selectors summed and
  // each width tagged by its own selector (builder taggedLookup), where there was one input per (check, limb).
  assert.equal(built.cs.lookups.length, 3, 'one lookup per limb column');
  // Sections in order of first use: (4, 0..15), (2, 0..3), (3, 0..7); padding repeats the first row.
  const col = (e: (typeof table.columns)[number]) => (e.kind === 'query' ? frVecToBigints(built.circuit.fixed[e.column.index]!) : []);
  const [tags, vals] = table.columns.map(col);
  const expect = [4, 2, 3].flatMap((w) => Array.from({ length: 2 ** w }, (_, v) => [BigInt(w), BigInt(v)]));
  assert.deepEqual(expect.map((_, i) => [tags![i], vals![i]]), expect);
  assert.deepEqual([tags![expect.length], vals![expect.length]], [4n, 0n]);
  assertOk(built);
  noUnderconstrained(built);
  // x = 37 = 5 + 16·2: its 2-bit top limb set to 6 (a value of the 3- and 4-bit sections, not the 2-bit one)
  // with x's cell and its copy source raised to match: only the tag tells 6 ∉ [0, 4).
  const xRow = 2;
  const top = { column: { type: 'advice' as const, index: 2 }, row: xRow };
  assert.equal(cellValue(built, top), 2n);
  let a = withAdviceCell(built.assignment, top, 6n);
  a = withAdviceCell(a, { column: { type: 'advice', index: 0 }, row: xRow }, 37n + 64n);
  a = withAdviceCell(a, x!.cell, 37n + 64n);
  const res = mockProve(built.cs, built.k, a);
  assert.deepEqual(res.failures.map((f) => `${f.kind} ${f.name}`), ['lookup range/6/4/0: limb 1 | range/11/4/0: limb 1']);
  // A builder refuses to mix a sectioned table with a whole one of the same name.
  const b2 = new CircuitBuilder();
  b2.tableSection('t', 1, 'a', () => [[1n]]);
  assert.throws(() => b2.table('t', () => [[1n]]), CircuitError);
  assert.throws(() => b2.tableSection('t', 2, 'b', () => [[1n, 2n]]), CircuitError);
});

test('rescale with limb-decomposed range checks (tables of 2^4 rows) matches the reference and stays sound', () => {
  const b = new CircuitBuilder();
  const avals = [8, -8, -100, 127 * 16 + 7, -128 * 16 - 8];
  const cells = b.privateInputs(avals).map((a) => rescaleCells(b, a, S, B, { maxTableBits: 4 }));
  publicOutputs(b, cells.map((c) => c.q));
  const built = b.build();
  assert.ok(built.cs.lookupTables.every((t) => !/range(5|8)$/.test(t.name)), 'no direct range5/range8 tables');
  cells.forEach((c, i) => assert.equal(c.q.value, BigInt(refRescale(avals[i]!, S))));
  assertOk(built);
  noUnderconstrained(built);
  // The one-sided exploit again (q' = q + δ/32, r' = r − δ), with the copies into the limb rows forged too:
  // no limbs can represent q' + 128, so the limb gate fails.
  const c = cells[2]!;
  const qBad = frFrom(c.q.value + 5n * modInverse(32n));
  let a = forge(built, built.assignment, c.q.cell, qBad);
  a = forge(built, a, c.r.cell, c.r.value - 5n);
  a = { ...a, instance: [a.instance[0]!.map((v, i) => (i === 2 ? qBad : v))] };
  const res = mockProve(built.cs, built.k, a);
  assert.equal(res.ok, false);
  assert.ok(!res.failures.some((f) => f.kind === 'gate' && /^rescale/.test(f.name)), 'rescale gate still holds');
  assert.ok(!res.failures.some((f) => f.kind === 'copy'), 'copies forged consistently');
  failsWith(res, 'gate', /^range\/8\//);
});

/** Sets `cell` and every advice cell copied to it (one hop) to `v`. */
function forge(built: BuiltCircuit, a: Assignment, cell: Cell, v: bigint): Assignment {
  const same = (x: Cell, y: Cell) => x.column.type === y.column.type && x.column.index === y.column.index && x.row === y.row;
  const cells = [cell];
  for (const cp of built.assignment.copies) {
    if (same(cp.a, cell) && cp.b.column.type === 'advice') cells.push(cp.b);
    if (same(cp.b, cell) && cp.a.column.type === 'advice') cells.push(cp.a);
  }
  for (const x of cells) a = withAdviceCell(a, x, v);
  return a;
}

// ---- relu and table lookups -------------------------------------------------------------------------

test('relu by (x, max(x,0)) lookup over the 8-bit domain', () => {
  const b = new CircuitBuilder();
  const xv = [-128, -1, 0, 1, 5, 127];
  const xs = b.privateInputs(xv);
  const ys = xs.map((x) => relu(b, x, B));
  publicOutputs(b, ys);
  const built = b.build();
  assert.ok(built.k <= 10);
  assert.deepEqual(ys.map((y) => y.value), xv.map((x) => BigInt(Math.max(x, 0))));
  assertOk(built);
  noUnderconstrained(built);
  tamper(built, ys[1]!.cell, 'lookup', /relu8/); // relu(−1) claimed 1
  tamper(built, ys[4]!.cell, 'lookup', /relu8/, -5n); // relu(5) claimed 0
  tamper(built, xs[0]!.cell, 'copy');
  // x in the region changed consistently with y (x=−1→−2, y stays 0): the copy catches it.
  tamper(built, { column: { type: 'advice', index: 0 }, row: ys[1]!.cell.row }, 'copy', undefined, -1n);
  // Out of the domain: refused at witness time.
  const b2 = new CircuitBuilder();
  assert.throws(() => relu(b2, b2.privateInputs([128])[0]!, B), CircuitError);
});

test('generic table lookup: a sigmoid table from the reference tableValue; padding adds no (0,0) row', () => {
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const t = { name: 'sigmoid_s4', lo: -64, hi: 64, f: (q: number) => tableValue(sig, q, S) };
  const b = new CircuitBuilder();
  const xv = [-64, -3, 0, 10, 63];
  const xs = b.privateInputs(xv);
  const ys = xs.map((x) => tableLookup(b, x, t));
  publicOutputs(b, ys);
  const built = b.build();
  assert.deepEqual(ys.map((y) => y.value), xv.map((x) => BigInt(tableValue(sig, x, S))));
  assert.equal(ys[2]!.value, 8n);
  assertOk(built);
  noUnderconstrained(built);
  tamper(built, ys[2]!.cell, 'lookup', /sigmoid/, -8n); // (0, 0) must not be a table row
  tamper(built, ys[3]!.cell, 'lookup', /sigmoid/);
  tamper(built, { column: { type: 'advice', index: 0 }, row: ys[3]!.cell.row }, 'copy');
});

test('public output: a wrong instance value breaks the copy', () => {
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([42]);
  b.publicOutput(x!);
  const built = b.build();
  assertOk(built);
  const res = mockProve(built.cs, built.k, { ...built.assignment, instance: [[43n]] });
  failsWith(res, 'copy');
});

// ---- end to end --------------------------------------------------------------------------------------

const X = [13, -7, 30, 2];
const Wt = [
  [3, -2, 1, 5],
  [-4, 6, -1, 2],
];
const bias = [20, -90];

function tinyDense(): { built: BuiltCircuit; outs: Value[] } {
  const b = new CircuitBuilder();
  const xs = b.privateInputs(X);
  const outs = dense(b, xs, Wt, bias, { scaleBits: S, actBits: B, relu: true, width: 4 });
  publicOutputs(b, outs);
  return { built: b.build(), outs };
}

test('tiny dense layer (4 → 2, rescale, relu): mock, reference and no under-constrained cells', () => {
  const { built, outs } = tinyDense();
  const ref = Wt.map((row, j) => Math.max(refRescale(row.reduce((s, w, i) => s + w * X[i]!, bias[j]!), S), 0));
  assert.deepEqual(outs.map((o) => o.value), ref.map(BigInt));
  assert.ok(ref.some((v) => v > 0) && ref.some((v) => v === 0), 'exercise both relu branches');
  assert.deepEqual(built.instances[0]!.map(signed), ref.map(BigInt));
  assertOk(built);
  noUnderconstrained(built);
});

test('tiny dense layer: a real proof verifies; a changed public output is rejected', async () => {
  const { built } = tinyDense();
  assert.ok(built.k <= 10);
  const srs = await devSrs(built.k);
  const pk = await keygen(srs, built.circuit);
  const proof = await prove(pk, built.instances, built.witness);
  assert.deepEqual(await verify(pk.vk, built.instances, proof), { valid: true });
  const wrong = [built.instances[0]!.map((v, i) => (i === 0 ? frFrom(v + 1n) : v))];
  const res = await verify(pk.vk, wrong, proof);
  assert.equal(res.valid, false);
});

test('tiny dense layer: a cheating prover claiming relu output + 1 (copies consistent) is rejected by the verifier', async () => {
  const { built, outs } = tinyDense();
  const y = outs[0]!;
  const forged = withAdviceCell(built.assignment, y.cell, y.value + 1n);
  const instances = [built.instances[0]!.map((v, i) => (i === 0 ? frFrom(v + 1n) : v))];
  const res = mockProve(built.cs, built.k, { ...forged, instance: instances });
  assert.deepEqual(res.failures.map((f) => `${f.kind}:${f.name}`), ['lookup:relu8: (x, f(x))']);
  const srs = await devSrs(built.k);
  const pk = await keygen(srs, built.circuit);
  const proof = await prove(pk, instances, { advice: () => forged.advice.map((c) => c) }, { cheat: true });
  const v = await verify(pk.vk, instances, proof);
  assert.equal(v.valid, false);
});
