/**
 * Committed weights: the linear layers' constant operands are advice cells hashed into one public
 * commitment, so the layout (constraint system, fixed columns, copies, k) is a function of the
 * architecture only — two models with other weights lay out identically; the commitment is the reference
 * over the planned slots, packed; a changed weight, commitment or salt is rejected; the freedom finder
 * finds nothing; constants the plan does not cover, calibrated tables and weights beyond their width are
 * refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import { buildModelCircuit, LoweringError, type ModelCircuit } from '../../src/compiler/index.ts';
import { committedWeightValues, packWeights, planWeights, PACK_BITS, WEIGHTS_COMMITMENT_NAME, architectureDigest } from '../../src/compiler/weights.ts';
import { CircuitError } from '../../src/errors.ts';
import { findFreedoms, CopyClasses, LocalChecker } from '../../src/circuit/underconstrained.ts';
import { mockProve, prepareAssignment, regionAt } from '../../src/circuit/mock-prover.ts';
import { commitTensor } from '../../src/commit/tensor-commitment.ts';
import type { Cell } from '../../src/circuit/builder.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { checkModel, graph, quantizeSmall, randoms, tamperCaught } from './lowering-helpers.ts';

/** Conv(1→2, 3×3, bias) → Relu → Flatten → Gemm(8 → 3, α, β, bias) → Relu → MatMul(3 → 2) → Add(bias). */
function arch(seed: number): Graph {
  const r = randoms(seed);
  return graph('cw', [1, 1, 4, 4], [1, 2], [
    { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]) } },
    { op: 'Relu', name: 'r1', inputs: ['c'], outputs: ['cr'], attrs: {} },
    { op: 'Flatten', name: 'flat', inputs: ['cr'], outputs: ['f'], attrs: {} },
    { op: 'Gemm', name: 'fc', inputs: ['f', 'gw', 'gb'], outputs: ['h'], attrs: { transB: attr.int(1), alpha: attr.float(0.5), beta: attr.float(2) } },
    { op: 'Relu', name: 'r2', inputs: ['h'], outputs: ['hr'], attrs: {} },
    { op: 'MatMul', name: 'mm', inputs: ['hr', 'mw'], outputs: ['m'], attrs: {} },
    { op: 'Add', name: 'bias', inputs: ['m', 'ab'], outputs: ['y'], attrs: {} },
  ], {
    cw: floatTensor([2, 1, 3, 3], r(18, -0.6, 0.6)),
    cb: floatTensor([2], r(2, -0.2, 0.2)),
    gw: floatTensor([3, 8], r(24, -0.8, 0.8)),
    gb: floatTensor([3], r(3, -0.2, 0.2)),
    mw: floatTensor([3, 2], r(6, -1, 1)),
    ab: floatTensor([1, 2], r(2, -0.3, 0.3)),
  });
}

const SALT = 0xfeedfacecafebeef0123456789abcdefn;
const opts = (salt = SALT) => ({ width: 4, committedWeights: true, weightsSalt: salt });
const bigJson = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));

function build(seed: number, salt = SALT): { c: ModelCircuit; m: ReturnType<typeof quantizeSmall>['model'] } {
  const { model: m, inputs } = quantizeSmall(arch(seed), [1, 1, 4, 4], -1, 1, 3, 6);
  return { c: checkModel(m, inputs[0]!, ['dot/advice/4', 'poseidon9/sbox'], opts(salt)), m };
}

test('the weights commitment is public after the inputs; it is the reference over the planned slots; no weight is public', () => {
  const { c, m } = build(1);
  assert.deepEqual(planWeights(m.graph, 6).map((w) => `${w.node}:${w.input}@${w.bits}×${w.mult}`), ['conv:1@6×1', 'conv:2@12×1', 'fc:1@6×0.5', 'fc:2@12×2', 'mm:1@6×1', 'bias:1@6×1']);
  const { values, widths, packed } = committedWeightValues(m);
  assert.equal(values.length, 18 + 2 + 24 + 3 + 6 + 2);
  // Widths from the options: 16 bits at 2^6, 22 for the biases at 2^12; packed greedily into 250 bits.
  assert.deepEqual([...new Set(widths)].sort(), [16, 22]);
  assert.equal(packed.length, 4);
  assert.deepEqual(packed, packWeights(values, widths));
  // Unpacking recovers every weight: the packing is injective on range-checked values.
  let i = 0;
  for (const p of packed) {
    let used = 0;
    while (i < values.length && used + widths[i]! <= PACK_BITS) {
      const c = widths[i]!;
      assert.equal(((p >> BigInt(used)) & ((1n << BigInt(c)) - 1n)) - (1n << BigInt(c - 1)), values[i]);
      used += c;
      i++;
    }
  }
  assert.equal(i, values.length);
  assert.deepEqual(c.publicLayout.map((t) => [t.name, t.kind, t.length]), [[WEIGHTS_COMMITMENT_NAME, 'commitment', 1], ['y', 'output', 2]]);
  assert.equal(c.instances[0]![0], commitTensor(packed, SALT));
  assert.equal(c.instances[0]!.length, 3);
  // The linear layers read advice weights; the only fixed dot row left is Add's (weights ±1, architecture).
  const fixedDots = c.cs.gates.filter((g) => g.name.startsWith('dot/fixed')).length;
  assert.ok(fixedDots <= 1);
});

test('the layout is a function of the architecture: other weights or another salt lay out identically; the commitment differs', () => {
  const a = build(1);
  const b = build(2);
  const a2 = build(1, SALT + 1n);
  assert.notDeepEqual(committedWeightValues(a.m).values, committedWeightValues(b.m).values);
  assert.notEqual(a.m.settings.bounds['h'], b.m.settings.bounds['h'], 'the calibrated bounds differ (they must not matter)');
  for (const other of [b.c, a2.c]) {
    assert.equal(bigJson(a.c.cs), bigJson(other.cs));
    assert.deepEqual(a.c.circuit.fixed, other.circuit.fixed);
    assert.deepEqual(a.c.circuit.copies, other.circuit.copies);
    assert.equal(a.c.k, other.k);
    assert.notEqual(a.c.instances[0]![0], other.instances[0]![0], 'binding / hiding: the commitment changes');
  }
  assert.equal(architectureDigest(a.m), architectureDigest(b.m));
  // Without committed weights the same two models differ in their fixed columns (the weights are there).
  const plain = (s: number) => {
    const { model: m, inputs } = quantizeSmall(arch(s), [1, 1, 4, 4], -1, 1, 3, 6);
    return buildModelCircuit(m, inputs[0]!, { width: 4, actBits: 24 });
  };
  assert.notDeepEqual(plain(1).circuit.fixed, plain(2).circuit.fixed);
});

/** Moves the copy class of `cell` (every cell copied to it) to value v; true when every constraint still holds. */
function movedClassAccepted(c: ModelCircuit, cell: Cell, delta: bigint): boolean {
  const p = prepareAssignment(c.cs, c.k, c.assignment);
  const chk = new LocalChecker(c.cs, p);
  const cls = new CopyClasses(chk.space, p.copies).ofCell(cell);
  chk.set(cls, (chk.value(cls) + delta) % FR_MODULUS);
  return chk.holds([cls]) && chk.confirm();
}

function firstRowOf(c: ModelCircuit, label: string): number {
  const regions = c.assignment.regions!;
  const i = regions.labels.indexOf(label);
  assert.ok(i >= 0, `region ${label}`);
  assert.equal(regionAt(regions, regions.starts[i]!), label);
  return regions.starts[i]!;
}

test('tampering: a changed weight (with all its copies), commitment or salt is rejected; every cell is pinned', () => {
  const { c } = build(1);
  // Each weight (advice 0 of its range row, copied into the dot rows and the packing) moved with its copies.
  const weightRow = firstRowOf(c, 'weights');
  for (let row = weightRow; row < weightRow + 55; row++) assert.equal(movedClassAccepted(c, { column: { type: 'advice', index: 0 }, row }, 1n), false, `weight in row ${row}`);
  // The first weight as the packing row reads it (a copy): moving it moves the weight everywhere.
  assert.equal(movedClassAccepted(c, { column: { type: 'advice', index: 0 }, row: firstRowOf(c, 'weights packing') }, 1n), false, 'packing input');
  // The salt: the first cell of the commitment region (privateInputs, advice 0).
  assert.equal(movedClassAccepted(c, { column: { type: 'advice', index: 0 }, row: firstRowOf(c, 'weights commitment') }, 1n), false, 'salt');
  // Another commitment in the instance column.
  const inst = c.assignment.instance.map((col) => [...col]);
  inst[0]![0] = (inst[0]![0]! + 1n) % FR_MODULUS;
  assert.equal(mockProve(c.cs, c.k, { ...c.assignment, instance: inst }, { maxFailures: 1 }).ok, false, 'commitment');
  assert.ok(tamperCaught(c, 7) > 50);
});

test('the freedom finder reports nothing on a committed-weights circuit', () => {
  const { c } = build(1);
  assert.deepEqual(findFreedoms(c.cs, c.k, c.assignment, {}), []);
});

test('refused: a constant vector read as numbers outside the plan, and calibrated lookup tables', () => {
  const r = randoms(5);
  const mul = graph('mul', [1, 4], [1, 4], [
    { op: 'Gemm', name: 'fc', inputs: ['x', 'w'], outputs: ['h'], attrs: { transB: attr.int(1) } },
    { op: 'Mul', name: 'scale', inputs: ['h', 'k'], outputs: ['y'], attrs: {} },
  ], { w: floatTensor([4, 4], r(16)), k: floatTensor([4], r(4)) });
  const a = quantizeSmall(mul, [1, 4], -1, 1);
  assert.throws(() => buildModelCircuit(a.model, a.inputs[0]!, opts()), (e: unknown) => e instanceof LoweringError && /scale/.test(e.message) && /'k'/.test(e.message) && /verifying key/.test(e.message));
  const sig = graph('sig', [1, 4], [1, 4], [
    { op: 'Gemm', name: 'fc', inputs: ['x', 'w'], outputs: ['h'], attrs: { transB: attr.int(1) } },
    { op: 'Sigmoid', name: 'act', inputs: ['h'], outputs: ['y'], attrs: {} },
  ], { w: floatTensor([4, 4], r(16)) });
  const b = quantizeSmall(sig, [1, 4], -1, 1);
  assert.throws(() => buildModelCircuit(b.model, b.inputs[0]!, opts()), (e: unknown) => e instanceof LoweringError && /act/.test(e.message) && /Sigmoid/.test(e.message) && /lookup table/.test(e.message));
});

test('committed input and committed weights together: two commitments, the input first, each under its own salt', () => {
  const { model: m, inputs } = quantizeSmall(arch(1), [1, 1, 4, 4], -1, 1, 3, 6);
  const c = checkModel(m, inputs[0]!, ['dot/advice/4'], { ...opts(), visibility: { x: 'committed' }, salts: { x: 99n } });
  assert.deepEqual(c.publicLayout.map((t) => `${t.kind}:${t.name}`), ['commitment:x', `commitment:${WEIGHTS_COMMITMENT_NAME}`, 'output:y']);
  assert.equal(c.instances[0]![0], commitTensor(Array.from(inputs[0]!.x!.data, BigInt), 99n));
  assert.equal(c.instances[0]![1], commitTensor(committedWeightValues(m).packed, SALT));
});

test('a weight beyond its width is refused naming the tensor; a wider --weight-bits takes it', () => {
  const g = arch(1);
  (g.initializers['mw']!.data as Float32Array)[4] = 600; // 600·2^6 needs 17 signed bits
  const { model: m, inputs } = quantizeSmall(g, [1, 1, 4, 4], -1, 1, 3, 6);
  assert.throws(() => buildModelCircuit(m, inputs[0]!, opts()), (e: unknown) => e instanceof CircuitError && /mw\[4\] \(read by MatMul 'mm'\) is 38400 .*16-bit.*--weight-bits/.test(e.message));
  const wide = buildModelCircuit(m, inputs[0]!, { ...opts(), weightBits: 17, actBits: 40 });
  assert.ok(mockProve(wide.cs, wide.k, wide.assignment, { maxFailures: 1 }).ok);
});
