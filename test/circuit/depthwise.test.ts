/**
 * The one-row depthwise chip (chips/depthwise.ts): q is the reference rdiv of the window's dot product
 * plus bias and y its ReLU / clip, on both sides of every boundary, with every slot used or some left to
 * the constant 0 (a window at the border); one row per output; no cell is free; every kind of witness
 * cell — the input, its copy, a padding slot, q, σ, y, τ, each limb — tampered breaks a constraint; a
 * prover claiming the other sign (limbs to match) is caught by the range lookups; values outside the range
 * are refused; a real proof verifies and a changed output is rejected.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { CircuitBuilder, type Cell, type Value } from '../../src/circuit/builder.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { withAdviceCell } from './cells.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { depthwiseRows, type WindowActivation } from '../../src/circuit/chips/depthwise.ts';
import { rescale as refRescale } from '../../src/layers/int-math.ts';
import { CircuitError } from '../../src/errors.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';

after(terminateFfjsCurve);

const K = 5;
const s = 4;
const B = 8; // q ∈ [−128, 128)
const T = 3; // limbs of 3 bits: r (5 bits) in 2, q + σH (7 bits) in 3, the clip bound (7 bits) in 3; q + H (8 bits) in 3
const HI = 96n;
const acts: WindowActivation[] = [{ kind: 'none' }, { kind: 'relu' }, { kind: 'clip', hi: HI }];
// Target accumulators: rounding ties, zero, both signs, the range's ends and the clip bound.
const targets = [0, 7, 8, 9, -8, -9, -1, 1, 100, -100, 127 * 16 + 7, -128 * 16 - 8, 95 * 16, 96 * 16, 96 * 16 + 8, 97 * 16, -5 * 16 + 8];

/** Row i: taps x and weights w (every other row a border window: 3 taps in slots 4, 0, 2), bias making Σ x·w + bias = targets[i]. */
function rowData(i: number, a: number) {
  const border = i % 2 === 1;
  const n = border ? 3 : K;
  const xs = Array.from({ length: n }, (_, j) => ((i * 7 + j * 13) % 23) - 11);
  const ws = Array.from({ length: n }, (_, j) => ((i * 5 + j * 3) % 9) - 4);
  const dot = xs.reduce((acc, x, j) => acc + x * ws[j]!, 0);
  return { xs, ws, bias: a - dot, slots: border ? [4, 0, 2] : undefined };
}

function circuit(act: WindowActivation, vals: number[] = targets) {
  const b = new CircuitBuilder();
  const data = vals.map((a, i) => rowData(i, a));
  const inputs = data.map((d) => b.privateInputs(d.xs));
  const row = depthwiseRows(b, { taps: K, s, B, T, act });
  const outs = data.map((d, i) => row(inputs[i]!, d.ws, d.bias, d.slots));
  for (const o of outs) {
    b.publicOutput(o.q);
    if (act.kind !== 'none') b.publicOutput(o.y);
  }
  return { built: b.build(), inputs, outs };
}

const expected = (act: WindowActivation, a: number) => {
  const q = BigInt(refRescale(a, s));
  const relu = q < 0n ? 0n : q;
  return { q, y: act.kind === 'none' ? q : act.kind === 'relu' ? relu : relu > act.hi ? act.hi : relu };
};

const at = (v: Value, col: number): Cell => ({ column: { type: 'advice', index: col }, row: v.cell.row });
const valueAt = (a: { advice: readonly Parameters<typeof frVecToBigints>[0][] }, c: Cell): bigint => frVecToBigints(a.advice[c.column.index]!)[c.row] ?? 0n;

test('depthwise row: q = rdiv(Σ x·w + b, 2^s), y its activation, one row per output; MockProver passes; no free cell', () => {
  for (const act of acts) {
    const { built, outs } = circuit(act);
    targets.forEach((a, i) => {
      const e = expected(act, a);
      assert.equal(outs[i]!.q.value, e.q, `q of ${a} (${act.kind})`);
      assert.equal(outs[i]!.y.value, e.y, `y of ${a} (${act.kind})`);
    });
    assert.deepEqual(mockProve(built.cs, built.k, built.assignment).failures.map(describe), []);
    assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => `${c.column.type}[${c.column.index}]@${c.row}`), []);
    const inputRows = targets.reduce((n, _, i) => n + rowData(i, 0).xs.length, 0);
    assert.equal(built.rows, inputRows + targets.length, 'one row per output');
    assert.equal(built.cs.gates.length, 1);
    assert.match(built.cs.gates[0]!.name, /^depthwise\/K5\/s4\/B8\/T3\//);
  }
});

test('depthwise row: each kind of witness cell, tampered, breaks a constraint', () => {
  for (const act of acts) {
    const { built, inputs, outs } = circuit(act);
    const width = built.assignment.advice.length;
    assert.ok(width > K + 3, `${width} advice columns`);
    for (const i of [1, 4, 9, 13, 15]) {
      const o = outs[i]!;
      // Every cell of the row: the x copies (padding slots of the border rows included), q, σ, y, τ, the limbs.
      for (let c = 0; c < width; c++) {
        const cell = at(o.q, c);
        const v = valueAt(built.assignment, cell);
        const res = mockProve(built.cs, built.k, withAdviceCell(built.assignment, cell, (v + 1n) % FR_MODULUS), { maxFailures: 3 });
        assert.equal(res.ok, false, `${act.kind}: target ${targets[i]}, column ${c}`);
        // An x cell (a copy of its input or of the constant 0) is caught by its copy; the rest by the gate or a lookup.
        const kinds = new Set(res.failures.map((f) => f.kind));
        if (c < K) assert.ok(kinds.has('copy'), `${act.kind}: column ${c}: ${res.failures.map(describe).join(' | ')}`);
        else assert.ok(kinds.has('gate') || kinds.has('lookup'), `${act.kind}: column ${c}: ${res.failures.map(describe).join(' | ')}`);
      }
    }
    // The input cell itself (its copy in the row keeps the old value).
    assert.equal(mockProve(built.cs, built.k, withAdviceCell(built.assignment, inputs[2]![1]!.cell, 9n)).ok, false, 'the input itself');
    // Both copies moved together change a, which the rounding constraint sees.
    const x = inputs[2]![0]!; // slot 0 of row 2, weight −3
    let moved = withAdviceCell(built.assignment, x.cell, x.value + 1n);
    moved = withAdviceCell(moved, at(outs[2]!.q, 0), x.value + 1n);
    const res = mockProve(built.cs, built.k, moved);
    assert.equal(res.ok, false);
    assert.ok(res.failures.some((f) => f.kind === 'gate'), res.failures.map(describe).join(' | '));
  }
});

test('depthwise row: claiming the other sign, or the other side of the clip, fails the range lookups', () => {
  for (const act of acts.slice(1)) {
    const { built, outs } = circuit(act);
    // target 100 → q = 6 ≥ 0: claim σ = 1 and y = 0, with limbs of q + H (= 134, outside [0, 2^7)) written in.
    const o = outs[8]!;
    assert.equal(o.q.value, 6n);
    let a = withAdviceCell(built.assignment, at(o.q, K + 1), 1n);
    a = withAdviceCell(a, at(o.q, K + 2), 0n);
    const u0 = K + (act.kind === 'clip' ? 4 : 3) + 2; // after x, q, σ, y (, τ) and two remainder limbs
    const u = 6n + 128n;
    for (let j = 0; j < 3; j++) a = withAdviceCell(a, at(o.q, u0 + j), (u >> BigInt(3 * j)) & 7n);
    const res = mockProve(built.cs, built.k, a);
    assert.equal(res.ok, false);
    assert.ok(res.failures.some((f) => f.kind === 'lookup'), res.failures.map(describe).join(' | '));
  }
  // Clip: target −100 → q = −6 < 0: claim τ = 1 and y = hi − q (what y's constraint alone would allow).
  {
    const { built, outs } = circuit(acts[2]!);
    const o = outs[9]!;
    assert.equal(o.q.value, -6n);
    let a = withAdviceCell(built.assignment, at(o.q, K + 3), 1n);
    a = withAdviceCell(a, at(o.q, K + 2), HI + 6n);
    const res = mockProve(built.cs, built.k, a);
    assert.ok(res.failures.some((f) => f.kind === 'gate' && f.name.startsWith('depthwise/') && f.poly === 4), res.failures.map(describe).join(' | '));
  }
  // Clip: target 97·16 → q = 97 > 96: claim τ = 0 and y = q; d = hi − q = −1 has no limbs.
  const { built, outs } = circuit(acts[2]!);
  const o = outs[15]!;
  assert.equal(o.q.value, 97n);
  let a = withAdviceCell(built.assignment, at(o.q, K + 3), 0n);
  a = withAdviceCell(a, at(o.q, K + 2), 97n);
  assert.equal(mockProve(built.cs, built.k, a).ok, false);
});

test('depthwise row: out-of-range values and bad shapes are refused at witness time', () => {
  const b = new CircuitBuilder();
  const xs = b.privateInputs([1, 2]);
  for (const act of acts) {
    const row = depthwiseRows(b, { taps: K, s, B, T, act });
    assert.throws(() => row(xs, [2048, 0], 0), CircuitError, 'q = 128 is outside [−128, 128)');
    assert.throws(() => row(xs, [1], 0), CircuitError, 'one weight for two inputs');
    assert.throws(() => row(xs, [1, 1], 0, [0, 0]), CircuitError, 'a slot used twice');
    assert.throws(() => row(xs, [1, 1], 0, [0, K]), CircuitError, 'a slot beyond K');
    assert.throws(() => row(b.privateInputs([1, 2, 3, 4, 5, 6]), [1, 1, 1, 1, 1, 1], 0), CircuitError, 'more inputs than slots');
  }
  assert.throws(() => depthwiseRows(b, { taps: K, s, B, T, act: { kind: 'clip', hi: 128n } }), CircuitError);
  // One gate per kind: another call of the kind must read the same weight columns.
  assert.throws(() => depthwiseRows(b, { taps: K, s, B, T, act: acts[1]!, weightColumn: (j) => b.fixed(`other:${j}`) }), CircuitError);
});

test('depthwise row: a real proof verifies; a changed output is rejected', async () => {
  const { built } = circuit(acts[2]!, [96 * 16 + 8, -40, 333, 5]);
  const pk = await keygen(await devSrs(built.k), built.circuit);
  const proof = await prove(pk, built.instances, built.witness);
  assert.equal((await verify(pk.vk, built.instances, proof)).valid, true);
  const bad = built.instances.map((col) => col.map((v, i) => (i === 1 ? (v + 1n) % FR_MODULUS : v)));
  assert.equal((await verify(pk.vk, bad, proof)).valid, false);
});
