/**
 * Rescale and activation in one row (chips/rescale-act.ts): q equals the reference rdiv and y its ReLU or
 * clip on both sides of every boundary; no cell is free; every kind of witness cell — the copied input,
 * q, the sign bits, y, each limb — tampered breaks a constraint; a prover claiming the other sign (with
 * limbs to match) is caught by the range tables; values outside the range are refused; a real proof
 * verifies and a wrong output is rejected.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecToBigints } from '../../src/field/frvec.ts';
import { CircuitBuilder, type Cell, type Value } from '../../src/circuit/builder.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { withAdviceCell } from './cells.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { rescaleActivation, type RescaleActivation } from '../../src/circuit/chips/rescale-act.ts';
import { rescale as refRescale } from '../../src/layers/int-math.ts';
import { CircuitError } from '../../src/errors.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';

after(terminateFfjsCurve);

const s = 4;
const B = 8; // q ∈ [−128, 128)
const T = 3; // limbs of 3 bits: r (5 bits) in 2, q + σH (7 bits) in 3, d (8 bits) in 3
const HI = 96n;
const acts: RescaleActivation[] = [{ kind: 'relu' }, { kind: 'clip', hi: HI }, { kind: 'none' }];
// Accumulators at the product scale: rounding ties, zero, both signs, the range's ends and the clip bound.
const as = [0, 7, 8, 9, -8, -9, -1, 1, 100, -100, 127 * 16 + 7, -128 * 16 - 8, 95 * 16, 96 * 16, 96 * 16 + 8, 97 * 16, -5 * 16 + 8];

function circuit(act: RescaleActivation, vals: number[] = as) {
  const b = new CircuitBuilder();
  const xs = b.privateInputs(vals);
  const outs = xs.map((x) => rescaleActivation(b, x, s, B, T, act));
  for (const o of outs) {
    b.publicOutput(o.q);
    b.publicOutput(o.y);
  }
  return { built: b.build(), xs, outs };
}

const expected = (act: RescaleActivation, a: number) => {
  const q = BigInt(refRescale(a, s));
  const relu = q < 0n ? 0n : q;
  return { q, y: act.kind === 'none' ? q : act.kind === 'relu' ? relu : relu > act.hi ? act.hi : relu };
};


const at = (v: Value, col: number): Cell => ({ column: { type: 'advice', index: col }, row: v.cell.row });

test('rescale + ReLU / clip: q = rdiv(a, 2^s), y its activation; MockProver passes; no free cell', () => {
  for (const act of acts) {
    const { built, outs } = circuit(act);
    as.forEach((a, i) => {
      const e = expected(act, a);
      assert.equal(outs[i]!.q.value, e.q, `q of ${a}`);
      assert.equal(outs[i]!.y.value, e.y, `y of ${a} (${act.kind})`);
    });
    assert.deepEqual(mockProve(built.cs, built.k, built.assignment).failures.map(describe), []);
    assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment).map((c) => `${c.column.type}[${c.column.index}]@${c.row}`), []);
    assert.equal(built.rows, 2 * as.length, 'one row per input and one per value');
  }
});

test('rescale + activation: each kind of witness cell, tampered, breaks a constraint', () => {
  for (const act of acts) {
    const { built, xs, outs } = circuit(act);
    const width = built.assignment.advice.length;
    for (const i of [1, 4, 9, 13]) {
      const row = outs[i]!.q;
      // Every cell of the row: a (its copy), q, σ, y, the limbs, and for the clip τ and its limbs.
      for (let c = 0; c < width; c++) {
        const cell = at(row, c);
        const v = frVecToBigints(built.assignment.advice[c]!)[cell.row]!;
        const res = mockProve(built.cs, built.k, withAdviceCell(built.assignment, cell, (v + 1n) % FR_MODULUS), { maxFailures: 3 });
        assert.equal(res.ok, false, `${act.kind}: value ${as[i]}, column ${c}`);
      }
    }
    assert.equal(mockProve(built.cs, built.k, withAdviceCell(built.assignment, xs[2]!.cell, 9n)).ok, false, 'the input itself');
  }
});

test('rescale + activation: claiming the other sign, or the other side of the clip, fails the range tables', () => {
  for (const act of acts.slice(0, 2)) {
    const { built, outs } = circuit(act);
    // a = 100 → q = 6 ≥ 0: claim σ = 1 and y = 0, with limbs of q + H (= 134, outside [0, 2^7)) written in.
    const o = outs[8]!;
    assert.equal(o.q.value, 6n);
    let a = withAdviceCell(built.assignment, at(o.q, 2), 1n);
    a = withAdviceCell(a, at(o.q, 3), 0n);
    const u = 6n + 128n; // limbs of 3 bits at columns 6, 7, 8 (after a, q, σ, y and two remainder limbs)
    for (let j = 0; j < 3; j++) a = withAdviceCell(a, at(o.q, 6 + j), (u >> BigInt(3 * j)) & 7n);
    const res = mockProve(built.cs, built.k, a);
    assert.equal(res.ok, false);
    assert.ok(res.failures.some((f) => f.kind === 'lookup'), res.failures.map(describe).join(' | '));
  }
  // Clip: a = 97·16 → q = 97 > 96: claim τ = 0 and y = q with d = hi − q = −1 written as limbs of r − 1.
  const { built, outs } = circuit(acts[1]!);
  const o = outs[15]!;
  assert.equal(o.q.value, 97n);
  let a = withAdviceCell(built.assignment, at(o.q, 9), 0n);
  a = withAdviceCell(a, at(o.q, 3), 97n);
  const res = mockProve(built.cs, built.k, a);
  assert.equal(res.ok, false);
});

test('rescale + activation: a value outside the activation range is refused at witness time', () => {
  const b = new CircuitBuilder();
  const [big] = b.privateInputs([128 * 16]);
  assert.throws(() => rescaleActivation(b, big!, s, B, T, { kind: 'relu' }), CircuitError);
  assert.throws(() => rescaleActivation(b, big!, s, B, T, { kind: 'clip', hi: 200n }), CircuitError);
  assert.throws(() => rescaleActivation(b, big!, s, B, T, { kind: 'none' }), CircuitError);
});

test('rescale alone: a quotient shifted by δ/2^(s+1) with the remainder lowered by δ (the one-sided exploit) has no value limbs', () => {
  const { built, outs } = circuit({ kind: 'none' });
  // a = 100: q = 6, r = 2·100 + 16 − 32·6 = 24. q' = q + 5/32 (a huge field element), r' = 19: the remainder
  // equation holds, and r' has limbs; q' + H has none, so the value limbs (set to those of 6 + H) fail the gate.
  const o = outs[8]!;
  assert.equal(o.q.value, 6n);
  const inv32 = modInverse(32n);
  const qBad = (6n + 5n * inv32) % FR_MODULUS;
  let a = withAdviceCell(built.assignment, at(o.q, 1), qBad);
  a = withAdviceCell(a, at(o.q, 2), 19n & 7n);
  a = withAdviceCell(a, at(o.q, 3), 19n >> 3n);
  const res = mockProve(built.cs, built.k, a);
  assert.equal(res.ok, false);
  assert.ok(res.failures.some((f) => f.kind === 'gate' && /\/none$/.test(f.name)), res.failures.map(describe).join(' | '));
  assert.ok(!res.failures.some((f) => f.kind === 'lookup'), 'the remainder limbs are in range');
});

function modInverse(v: bigint): bigint {
  let [a, m, x0, x1] = [v % FR_MODULUS, FR_MODULUS, 0n, 1n];
  while (a > 1n) {
    const q = a / m;
    [a, m] = [m, a % m];
    [x0, x1] = [x1 - q * x0, x0];
  }
  return (x1 + FR_MODULUS) % FR_MODULUS;
}

test('rescale + activation: a real proof verifies; a changed output is rejected', async () => {
  for (const act of [acts[1]!, acts[2]!]) {
    const { built } = circuit(act, [96 * 16 + 8, -40, 333]);
    const pk = await keygen(await devSrs(built.k), built.circuit);
    const proof = await prove(pk, built.instances, built.witness);
    assert.equal((await verify(pk.vk, built.instances, proof)).valid, true);
    const bad = built.instances.map((col) => col.map((v, i) => (i === 1 ? (v + 1n) % FR_MODULUS : v)));
    assert.equal((await verify(pk.vk, bad, proof)).valid, false);
  }
});
