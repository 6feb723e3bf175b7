/** Compiler lowerings beyond the core set: Clip/Relu6, MaxPool, AveragePool, GlobalAveragePool, table ops. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { importOnnx } from '../../src/model/load.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { quantizeInput } from '../../src/model/int-eval.ts';
import { attr, floatTensor, type Graph } from '../../src/graph/ir.ts';
import type { Arr } from '../../src/layers/types.ts';
import { buildModelCircuit, divRoundConst, selectCmp, type ModelCircuit } from '../../src/compiler/index.ts';
import { CircuitBuilder, type Value } from '../../src/circuit/builder.ts';
import { divRound } from '../../src/layers/int-math.ts';
import { mockProve } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { rng } from '../layers/harness.ts';
import { checkModel, graph, tamperCaught } from './lowering-helpers.ts';

after(terminateFfjsCurve);

const r = rng(11);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

function build(g: Graph, shape: number[], lo: number, hi: number, evalLo = lo, evalHi = hi) {
  const n = shape.reduce((a, b) => a * b, 1);
  const mk = (a: number, b: number): Record<string, Arr> => ({ x: { shape, data: Float64Array.from(rand(n, a, b)) } });
  const model = quantizeModel(importOnnx(writeOnnx(g)), Array.from({ length: 4 }, () => mk(lo, hi)), { scaleBits: 7 });
  const inputs = Array.from({ length: 2 }, () => ({ x: quantizeInput('x', mk(evalLo, evalHi).x!, model.settings) }));
  return { model, inputs };
}

test('Clip / Relu6 (opset-13 bounds and min-only): bit-exact, MockProver passes, tampering caught', () => {
  const g = graph(
    'clip',
    [1, 2, 4, 4],
    [1, 3, 4, 4],
    [
      { op: 'Conv', name: 'conv', inputs: ['x', 'cw'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Clip', name: 'relu6', inputs: ['c', 'lo', 'hi'], outputs: ['c6'], attrs: {} },
      { op: 'Clip', name: 'floor', inputs: ['c6', 'lo2'], outputs: ['y'], attrs: {} },
    ],
    { cw: floatTensor([3, 2, 3, 3], rand(54, -2, 2)), lo: floatTensor([], [0]), hi: floatTensor([], [6]), lo2: floatTensor([], [0.5]) },
  );
  const { model, inputs } = build(g, [1, 2, 4, 4], -3, 3);
  let c: ModelCircuit | undefined;
  // Relu6 on the Conv's only output is fused into the Conv's rescale rows (rescale-act clip 6·2^7); the
  // min-only Clip after it is a comparison. (Both bounds by comparisons: test/compiler/fused-activation.)
  for (const q of inputs) c = checkModel(model, q, ['rescale-act/s7/', '/clip768', 'cmp-max']);
  // Both sides of each clip are exercised.
  const vals = c!.publicOutputs[0]!.values;
  assert.ok(vals.some((v) => v === 6 * 128) && vals.some((v) => v === 64) && vals.some((v) => v > 64 && v < 768), `${vals}`);
  assert.ok(tamperCaught(c!, 23) > 20);
});

test('MaxPool (padded, strided) → AveragePool (count_include_pad) → GlobalAveragePool: bit-exact, tampering caught', () => {
  const g = graph(
    'pools',
    [1, 2, 5, 5],
    [1, 2, 1, 1],
    [
      { op: 'MaxPool', name: 'mp', inputs: ['x'], outputs: ['m'], attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'AveragePool', name: 'ap', inputs: ['m'], outputs: ['a'], attrs: { kernel_shape: attr.ints([2, 2]), pads: attr.ints([1, 1, 0, 0]), count_include_pad: attr.int(1) } },
      { op: 'AveragePool', name: 'ap2', inputs: ['a'], outputs: ['a2'], attrs: { kernel_shape: attr.ints([2, 2]), pads: attr.ints([0, 0, 1, 1]) } },
      { op: 'GlobalAveragePool', name: 'gap', inputs: ['a2'], outputs: ['y'], attrs: {} },
    ],
    {},
  );
  const { model, inputs } = build(g, [1, 2, 5, 5], -2, 2);
  let c: ModelCircuit | undefined;
  for (const q of inputs) c = checkModel(model, q, ['cmp-max', 'divround/']);
  assert.ok(tamperCaught(c!, 7) > 20);
});

test('table ops: Tanh (clamped domain, inputs beyond it) and Exp (error domain): bit-exact, tampering caught', () => {
  const g = graph(
    'tables',
    [1, 16],
    [1, 16],
    [
      { op: 'Tanh', name: 'th', inputs: ['x'], outputs: ['t'], attrs: {} },
      { op: 'Exp', name: 'ex', inputs: ['t'], outputs: ['y'], attrs: {} },
    ],
    {},
  );
  const { model, inputs } = build(g, [1, 16], -6, 6);
  const spec = model.settings.tables['th']!['f']!;
  let c: ModelCircuit | undefined;
  let clamped = 0;
  for (const q of inputs) {
    c = checkModel(model, q, ['Tanh/', 'Exp/']);
    clamped += Array.from(q.x!.data).filter((v) => v < spec.lo || v > spec.hi).length;
  }
  assert.equal(spec.outside, 'clamp');
  assert.ok(clamped > 0, `some inputs outside the tanh table [${spec.lo}, ${spec.hi}]`);
  assert.ok(tamperCaught(c!, 5) > 20);
});

test('Sigmoid (clamped table): bit-exact, tampering caught', () => {
  const g = graph('sigmoid', [1, 16], [1, 16], [{ op: 'Sigmoid', name: 'sg', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model, inputs } = build(g, [1, 16], -8, 8);
  let c: ModelCircuit | undefined;
  for (const q of inputs) c = checkModel(model, q, ['Sigmoid/']);
  assert.ok(tamperCaught(c!, 5) > 10);
});

test('table op with an error domain: an out-of-domain argument cannot be laid out', () => {
  const g = graph('exp', [1, 4], [1, 4], [{ op: 'Exp', name: 'ex', inputs: ['x'], outputs: ['y'], attrs: {} }], {});
  const { model } = build(g, [1, 4], -1, 1);
  const spec = model.settings.tables['ex']!['f']!;
  const q = { x: { shape: [1, 4], data: Float64Array.from([0, 1, 2, spec.hi + 1]), bits: 7 } };
  assert.throws(() => buildModelCircuit(model, q, { width: 4 }));
});

/** Lays out one gadget on private inputs with its output public; returns the built circuit and output row. */
function gadgetCircuit(f: (b: CircuitBuilder, xs: Value[]) => Value, xs: number[]) {
  const b = new CircuitBuilder();
  const y = f(b, b.privateInputs(xs));
  b.publicOutput(y);
  const built = b.build();
  /** Overwrites advice cells of `row`; the public output follows the output cell (column `outCol`). */
  const setRow = (row: number, cols: Record<number, bigint>, outCol: number) => {
    const fe = (v: bigint) => ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
    const instance = [[fe(cols[outCol] ?? y.value)]];
    const advice = built.assignment.advice.map((a, j) => {
      if (cols[j] === undefined) return a;
      const t = frVecToBigints(a);
      t[row] = fe(cols[j]!);
      return frVecFromBigints(t);
    });
    return mockProve(built.cs, built.k, { ...built.assignment, advice, instance }, { maxFailures: 1 }).ok;
  };
  assert.ok(mockProve(built.cs, built.k, built.assignment).ok);
  assert.ok(setRow(y.cell.row, {}, 0), 'untampered');
  return { built, row: y.cell.row, y, setRow };
}

test('selectCmp: flipping the sign bit (with y and limbs made consistent) is caught', () => {
  const K = 9;
  const T = 8;
  for (const [a, c] of [[5, -3], [-7, 2], [4, 4]] as const)
    for (const mode of ['max', 'min'] as const) {
      const { row, y, setRow } = gadgetCircuit((b, [x0, x1]) => selectCmp(b, x0!, x1!, mode, K, T), [a, c]);
      assert.equal(y.value, BigInt(mode === 'max' ? Math.max(a, c) : Math.min(a, c)));
      const d = BigInt(a - c);
      const s2 = d < 0n ? 0n : 1n; // the wrong sign bit
      const v = d + s2 * 512n;
      const wrongY = mode === 'max' ? BigInt(a) - s2 * d : BigInt(c) + s2 * d;
      // columns: a 0, c 1, σ 2, y 3, limbs 4 (8 bits), 5 (1 bit)
      assert.equal(setRow(row, { 2: s2, 3: wrongY, 4: v & 255n, 5: v >> 8n }, 3), false, `${mode}(${a}, ${c})`);
    }
});

test('divRoundConst: the neighbouring (q ± 1, r ∓ 2c) witnesses are caught; values match divRound', () => {
  const T = 8;
  for (const [a, c] of [[17, 3], [-17, 3], [-9, 9], [100, 49], [0, 1]] as const) {
    const { row, y, setRow } = gadgetCircuit((b, [x]) => divRoundConst(b, x!, c, 10, T), [a]);
    assert.equal(Number(y.value), divRound(a, c));
    const q = y.value;
    const r = 2n * BigInt(a) + BigInt(c) - 2n * BigInt(c) * q;
    for (const dq of [1n, -1n]) {
      const q2 = q + dq;
      const r2 = r - dq * 2n * BigInt(c);
      // columns: a 0, q 1, r 2, then limbs; only q and r changed (limbs left) or made consistent mod p
      assert.equal(setRow(row, { 1: q2, 2: r2 }, 1), false, `rdiv(${a}, ${c}) with q ${q2}`);
    }
  }
});
