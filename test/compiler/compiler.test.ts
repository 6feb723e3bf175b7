/** Compiler: small models covering Conv (padding/stride), Gemm, MatMul, Relu, Reshape, Transpose, Flatten, Add; MNIST. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importOnnx, loadModelFile } from '../../src/model/load.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateIntQ, quantizeInput, type QuantizedModel } from '../../src/model/int-eval.ts';
import { parseInputs } from '../../src/model/inputs.ts';
import { attr, floatTensor, intTensor, type Graph } from '../../src/graph/ir.ts';
import type { Arr, QArr } from '../../src/layers/types.ts';
import { buildModelCircuit, estimateModelCost, LoweringError, type ModelCircuit } from '../../src/compiler/index.ts';
import { describe, mockProve } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { devSrs } from '../../src/commit/index.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { MNIST_DIR } from '../../examples/mnist/test-split.ts';
import { rng } from '../layers/harness.ts';

after(terminateFfjsCurve);

const r = rng(5);
const rand = (n: number, lo = -1, hi = 1): number[] => Array.from({ length: n }, () => lo + (hi - lo) * r());

/** Conv(2→3, 3×3, stride 2, pad 1) → Relu → {Reshape → Gemm(transB, bias), Transpose → Flatten → Gemm} → Add → Relu → MatMul → Add(const). */
function smallCnn(): Graph {
  return {
    name: 'small-cnn',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 6, 6] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3] }],
    initializers: {
      cw: floatTensor([3, 2, 3, 3], rand(54)),
      cb: floatTensor([3], rand(3)),
      shp: intTensor([2], [1, 27]),
      w1: floatTensor([5, 27], rand(135, -0.5, 0.5)),
      b1: floatTensor([5], rand(5)),
      w2: floatTensor([27, 5], rand(135, -0.5, 0.5)),
      w3: floatTensor([5, 3], rand(15)),
      b3: floatTensor([3], rand(3)),
    },
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['x', 'cw', 'cb'], outputs: ['c'], attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) } },
      { op: 'Relu', name: 'relu1', inputs: ['c'], outputs: ['rc'], attrs: {} },
      { op: 'Reshape', name: 'reshape', inputs: ['rc', 'shp'], outputs: ['flatA'], attrs: {} },
      { op: 'Gemm', name: 'fcA', inputs: ['flatA', 'w1', 'b1'], outputs: ['ga'], attrs: { transB: attr.int(1) } },
      { op: 'Transpose', name: 'tr', inputs: ['rc'], outputs: ['t'], attrs: { perm: attr.ints([0, 2, 3, 1]) } },
      { op: 'Flatten', name: 'flat', inputs: ['t'], outputs: ['flatB'], attrs: {} },
      { op: 'Gemm', name: 'fcB', inputs: ['flatB', 'w2'], outputs: ['gb'], attrs: {} },
      { op: 'Add', name: 'sum', inputs: ['ga', 'gb'], outputs: ['s'], attrs: {} },
      { op: 'Relu', name: 'relu2', inputs: ['s'], outputs: ['rs'], attrs: {} },
      { op: 'MatMul', name: 'fc3', inputs: ['rs', 'w3'], outputs: ['z'], attrs: {} },
      { op: 'Add', name: 'bias3', inputs: ['z', 'b3'], outputs: ['y'], attrs: {} },
    ],
    valueInfo: {},
  };
}

const sample = (): Record<string, Arr> => ({ x: { shape: [1, 2, 6, 6], data: Float64Array.from(rand(72, -2, 2)) } });

function quantized(): { model: QuantizedModel; inputs: Record<string, QArr>[] } {
  const g = importOnnx(writeOnnx(smallCnn()));
  const samples = Array.from({ length: 4 }, sample);
  const model = quantizeModel(g, samples, { scaleBits: 7 });
  return { model, inputs: samples.map((x) => ({ x: quantizeInput('x', x.x!, model.settings) })) };
}

function assertMatches(model: QuantizedModel, q: Record<string, QArr>, c: ModelCircuit): void {
  const ref = evaluateIntQ(model, q);
  assert.equal(c.publicOutputs.length, model.graph.outputs.length);
  for (const o of c.publicOutputs) {
    assert.deepEqual(o.values, Array.from(ref[o.name]!.data), `output ${o.name}`);
    assert.deepEqual(o.shape, ref[o.name]!.shape);
  }
  const m = mockProve(c.cs, c.k, c.assignment, { maxFailures: 5 });
  assert.ok(m.ok, m.failures.map(describe).join('\n'));
}

test('small CNN: public outputs equal evaluateIntQ bit for bit and MockProver passes; layout is input-independent', () => {
  const { model, inputs } = quantized();
  const layouts = inputs.map((q) => {
    const c = buildModelCircuit(model, q, { width: 4 });
    assertMatches(model, q, c);
    return c;
  });
  // Same layout for every input: fixed columns and copies identical.
  assert.deepEqual(layouts[1]!.circuit.fixed, layouts[0]!.circuit.fixed);
  assert.deepEqual(layouts[1]!.circuit.copies, layouts[0]!.circuit.copies);
  const est = estimateModelCost(model, { width: 4 });
  assert.equal(est.k, layouts[0]!.k);
  assert.equal(est.rows, layouts[0]!.stats.rows);
});

test('small CNN: a tampered public output or witness cell is caught by MockProver', () => {
  const { model, inputs } = quantized();
  const c = buildModelCircuit(model, inputs[0]!, { width: 4 });
  const inst = c.assignment.instance.map((col) => [...col]);
  inst[0]![0] = (inst[0]![0]! + 1n) % FR_MODULUS;
  assert.equal(mockProve(c.cs, c.k, { ...c.assignment, instance: inst }).ok, false);
  // A spread of assigned (nonzero) advice cell, one at a time, changed by +1: each change must break a constraint.
  let tried = 0;
  for (let col = 0; col < c.assignment.advice.length; col++) {
    const vals = frVecToBigints(c.assignment.advice[col]!);
    for (let row = col; row < vals.length; row += 37) {
      if (vals[row] === 0n) continue; // unassigned cells are 0 and free
      const t = [...vals];
      t[row] = (t[row]! + 1n) % FR_MODULUS;
      const advice = c.assignment.advice.map((a, j) => (j === col ? frVecFromBigints(t) : a));
      assert.equal(mockProve(c.cs, c.k, { ...c.assignment, advice }, { maxFailures: 1 }).ok, false, `advice ${col} row ${row}`);
      tried++;
    }
  }
  assert.ok(tried > 20);
});

test('unsupported op: LoweringError names the node and op', () => {
  const g: Graph = {
    name: 'cmp',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 1, 2, 2] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 1, 1, 1] }],
    initializers: {},
    // MaxPool's Indices output has no lowering: the error names node and op.
    nodes: [{ op: 'MaxPool', name: 'act', inputs: ['x'], outputs: ['y', 'idx'], attrs: { kernel_shape: { type: 'ints', value: [2, 2] } } }],
    valueInfo: {},
  };
  const m = quantizeModel(importOnnx(writeOnnx(g)), [{ x: { shape: [1, 1, 2, 2], data: Float64Array.from([-1, 0, 1, 2]) } }]);
  assert.throws(
    () => estimateModelCost(m),
    (e: unknown) => e instanceof LoweringError && e.node === 'act' && e.op === 'MaxPool' && /act/.test(e.message),
  );
});

test('small CNN proves and verifies; a tampered public output is rejected', async () => {
  const { model, inputs } = quantized();
  const c = buildModelCircuit(model, inputs[1]!, { width: 4 });
  const srs = await devSrs(c.k);
  const pk = await keygen(srs, c.circuit);
  const proof = await prove(pk, c.instances, c.witness);
  assert.deepEqual(await verify(pk.vk, c.instances, proof), { valid: true });
  const wrong = c.instances.map((col) => [...col]);
  wrong[0]![0] = (wrong[0]![0]! + 1n) % FR_MODULUS;
  assert.equal((await verify(pk.vk, wrong, proof)).valid, false);
});

test('MNIST: public logits equal evaluateIntQ and MockProver passes', () => {
  const g = loadModelFile(join(MNIST_DIR, 'model.onnx'));
  const samplesFile = readFileSync(join(MNIST_DIR, 'samples', 'digit-0.json'), 'utf8');
  const calib = [...parseInputs(g, samplesFile), ...Array.from({ length: 7 }, (_, k) => parseInputs(g, readFileSync(join(MNIST_DIR, 'samples', `digit-${k + 1}.json`), 'utf8'))[0]!)];
  const model = quantizeModel(g, calib);
  const q = { input: quantizeInput('input', calib[2]!.input!, model.settings) };
  const c = buildModelCircuit(model, q);
  assertMatches(model, q, c);
  assert.ok(c.k <= 15, `k = ${c.k}`);
});
