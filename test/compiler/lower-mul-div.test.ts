/** Mul / Div lowerings (runtime × runtime, × constant, raw integers, division by constants and by runtime tensors). */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { floatTensor, intTensor } from '../../src/graph/ir.ts';
import { affine, difference, product } from '../../src/circuit/chips/elementwise.ts';
import { divRoundVar } from '../../src/circuit/chips/div-var.ts';
import { findUnderconstrainedCells } from '../../src/circuit/underconstrained.ts';
import { divRound } from '../../src/layers/int-math.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { buildModelCircuit, estimateModelCost, layoutInputs, zeroInputs } from '../../src/compiler/index.ts';
import { checkModel, gadgetCircuit, graph, quantizeSmall, rejectedBy, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

test('Mul (runtime², × constant, × raw int) and Div (by runtime ±, by ±integers, by a real constant): bit-exact, MockProver, tampering caught', () => {
  const g = graph(
    'muldiv',
    [1, 2, 6],
    [1, 2, 6],
    [
      { op: 'Mul', name: 'sq', inputs: ['x', 'x'], outputs: ['sq'], attrs: {} },
      { op: 'Add', name: 'dp', inputs: ['sq', 'half'], outputs: ['dp'], attrs: {} },
      { op: 'Sub', name: 'dn', inputs: ['mhalf', 'sq'], outputs: ['dn'], attrs: {} },
      { op: 'Div', name: 'q1', inputs: ['x', 'dp'], outputs: ['q1'], attrs: {} },
      { op: 'Div', name: 'q2', inputs: ['x', 'dn'], outputs: ['q2'], attrs: {} },
      { op: 'Mul', name: 'm3', inputs: ['q1', 'three'], outputs: ['m3'], attrs: {} },
      { op: 'Div', name: 'h', inputs: ['m3', 'two'], outputs: ['h'], attrs: {} },
      { op: 'Div', name: 'hn', inputs: ['q2', 'mthree'], outputs: ['hn'], attrs: {} },
      { op: 'Div', name: 'f', inputs: ['hn', 'pt7'], outputs: ['f'], attrs: {} },
      { op: 'Mul', name: 'fi', inputs: ['f', 'int3'], outputs: ['fi'], attrs: {} },
      { op: 'Add', name: 'y', inputs: ['h', 'fi'], outputs: ['y'], attrs: {} },
    ],
    {
      half: floatTensor([], [0.5]),
      mhalf: floatTensor([], [-0.5]),
      three: floatTensor([6], [3, 2.5, -1, 0.25, 1, -2]),
      two: floatTensor([], [2]),
      mthree: floatTensor([], [-3]),
      pt7: floatTensor([], [0.7]),
      int3: intTensor([], [3]),
    },
  );
  const { model, inputs } = quantizeSmall(g, [1, 2, 6], -2, 2);
  let c;
  for (const q of inputs) c = checkModel(model, q, ['product', 'affine', 'divvar/', 'divround/', 'rescale-act/']);
  assert.ok(tamperCaught(c!, 7) > 30);
});

test('divRoundVar: values match divRound for both signs; quotient, remainder, sign bit and |d| forgeries are rejected by name', () => {
  const T = 4;
  const opts = { divisorBits: 6, quotientBits: 8, tableBits: T };
  const c = 4;
  for (const [a, d] of [[7, 3], [-7, 3], [7, -3], [-7, -3], [5, 40], [0, -1], [-30, 7]] as const) {
    const { ys, tamper } = gadgetCircuit((b, [x, y]) => [divRoundVar(b, x!, y!, c, opts)], [a, d]);
    const want = d > 0 ? divRound(a * c, d) : divRound(-a * c, -d);
    assert.equal(Number(ys[0]!.value), want, `rdiv(${a}·${c}, ${d})`);
    const row = ys[0]!.cell.row;
    const m = BigInt(Math.abs(d));
    const sigma = d < 0 ? 1n : 0n;
    const f = ys[0]!.value;
    const r = 2n * BigInt(c * a) * (1n - 2n * sigma) + m - 2n * m * f;
    // columns: a 0, d 1, σ 2, m 3, f 4, r 5, limbs(m−1) 6–7, limbs(r) 8–9, limbs(2m−1−r) 10–11, limbs(f+2^7) 12–13
    const limbs = (v: bigint, col: number) => [{ row, col, v: v & 15n }, { row, col: col + 1, v: v >> 4n }];
    // Quotient one low, remainder one divisor high (r limbs consistent): only the upper remainder check objects.
    const low = tamper([{ row, col: 4, v: f - 1n }, { row, col: 5, v: r + 2n * m }, ...limbs(r + 2n * m, 8), ...limbs(f - 1n + 128n, 12)]);
    rejectedBy(low, 'divvar/', `q − 1 for (${a}, ${d})`);
    assert.ok(low.every((x) => x.kind === 'lookup' ? x.name.includes('2m-1-r') : x.poly === 5), `only 2m−1−r objects: ${low.map((x) => x.name + '#' + x.poly)}`);
    // Quotient one high, remainder one divisor low: the lower remainder check objects.
    const high = tamper([{ row, col: 4, v: f + 1n }, { row, col: 5, v: r - 2n * m }, ...limbs(f + 1n + 128n, 12)]);
    rejectedBy(high, 'divvar/', `q + 1 for (${a}, ${d})`);
    // The sign bit flipped with m = −d made consistent: m − 1 is not in range.
    rejectedBy(tamper([{ row, col: 2, v: 1n - sigma }, { row, col: 3, v: -m }]), 'divvar/', `σ flipped for (${a}, ${d})`);
    // The remainder alone: the division equation objects.
    rejectedBy(tamper([{ row, col: 5, v: r + 1n }, ...limbs(r + 1n, 8)]), 'divvar/', `r + 1 for (${a}, ${d})`);
  }
  assert.throws(() => gadgetCircuit((b, [x, y]) => [divRoundVar(b, x!, y!, c, opts)], [3, 0]), /zero divisor/);
});

test('elementwise chips: product / affine / difference outputs are pinned (forged outputs rejected by their gate)', () => {
  const { ys, tamper } = gadgetCircuit((b, [x, y]) => [product(b, x!, y!), affine(b, x!, -3, 5), difference(b, x!, y!)], [6, -7]);
  assert.deepEqual(ys.map((v) => v.value), [-42n, -13n, 13n]);
  for (const [y, name] of [[ys[0]!, 'product'], [ys[1]!, 'affine'], [ys[2]!, 'difference']] as const)
    rejectedBy(tamper([{ row: y.cell.row, col: y.cell.column.index, v: y.value + 1n }]), name, name);
});

test('under-constrained finder: nothing free in the divvar / elementwise gadget circuits', () => {
  const opts = { divisorBits: 5, quotientBits: 6, tableBits: 4 };
  const { built } = gadgetCircuit((b, [x, y, z]) => [divRoundVar(b, x!, y!, 2, opts), divRoundVar(b, z!, y!, 2, opts), product(b, x!, y!), affine(b, z!, 2, -1), difference(b, x!, z!)], [9, -5, -3]);
  assert.deepEqual(findUnderconstrainedCells(built.cs, built.k, built.assignment), []);
});

test('estimateModelCost lays out a model whose reference fails on zeros (runtime divisor) on calibration-range inputs', () => {
  const g = graph('xdivx', [1, 4], [1, 4], [{ op: 'Div', name: 'd', inputs: ['x', 'x'], outputs: ['y'], attrs: {} }], {});
  const { model, inputs } = quantizeSmall(g, [1, 4], 0.5, 2);
  assert.throws(() => buildModelCircuit(model, zeroInputs(model), { width: 4 }), /zero|Division/i);
  const est = estimateModelCost(model, { width: 4 });
  const c = checkModel(model, inputs[0]!, ['divvar/']);
  assert.equal(est.k, c.k);
  assert.equal(est.rows, c.stats.rows);
  assert.deepEqual(buildModelCircuit(model, layoutInputs(model), { width: 4 }).circuit.copies, c.circuit.copies);
});
