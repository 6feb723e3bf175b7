import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { importZkmlInput, importZkmlMsgpack, importZkmlModel } from '../../src/graph/msgpack/import.ts';
import type { ZkmlLayer, ZkmlModelFile, ZkmlTensor } from '../../src/graph/msgpack/format.ts';
import { writeZkmlInput, writeZkmlModel } from '../../src/graph/msgpack/write.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { FormatError } from '../../src/errors.ts';
import { UnsupportedOpError } from '../../src/graph/errors.ts';

const SF = 1024; // 2^10

/** Seeded small integers (zkml tensors are already quantized). */
function ints(n: number, seed: number, lo = -SF, hi = SF): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s % (hi - lo + 1));
  });
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function layer(layerType: string, params: number[], inp: [number, number[]][], out: [number, number[]][], mask: number[] = []): ZkmlLayer {
  return { layerType, params, inpIdxes: inp.map((x) => x[0]), inpShapes: inp.map((x) => x[1]), outIdxes: out.map((x) => x[0]), outShapes: out.map((x) => x[1]), mask };
}

function model(layers: ZkmlLayer[], tensors: ZkmlTensor[], inpIdxes: number[], outIdxes: number[]): ZkmlModelFile {
  return { globalSf: SF, k: 16, numCols: 6, inpIdxes, outIdxes, tensors, layers, useSelectors: true, commitBefore: [], commitAfter: [], commit: false };
}

/** Imports through msgpack bytes, runs the graph in onnxruntime-node, returns each output's reals. */
async function run(m: ZkmlModelFile, inputs: Record<number, number[]>): Promise<Float32Array[]> {
  const { graph, settings } = importZkmlMsgpack(writeZkmlModel(m), 'fixture.msgpack');
  assert.equal(settings.scaleBits, 10);
  const session = await ort.InferenceSession.create(writeOnnx(graph));
  const feeds: Record<string, ort.Tensor> = {};
  for (const v of graph.inputs) {
    const idx = Number(v.name.slice(1));
    feeds[v.name] = new ort.Tensor('float32', Float32Array.from(inputs[idx] as number[], (q) => q / SF), v.shape as number[]);
  }
  const res = await session.run(feeds);
  return graph.outputs.map((o) => res[o.name]?.data as Float32Array);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  assert.equal(actual.length, expected.length, 'length');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs((actual[i] as number) - (expected[i] as number)) <= tol * Math.max(1, Math.abs(expected[i] as number)), `element ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Direct NHWC convolution (TFLite semantics) as the independent reference. */
function convNhwc(x: number[], xs: number[], w: number[], ws: number[], bias: number[], stride: [number, number], same: boolean, depthwise: boolean): { y: number[]; shape: number[] } {
  const [, H, W, C] = xs as [number, number, number, number];
  const [, KH, KW] = ws as [number, number, number];
  const O = depthwise ? (ws[3] as number) : (ws[0] as number);
  const mult = depthwise ? O / C : 1;
  const OH = same ? Math.ceil(H / stride[0]) : Math.floor((H - KH) / stride[0]) + 1;
  const OW = same ? Math.ceil(W / stride[1]) : Math.floor((W - KW) / stride[1]) + 1;
  const padT = same ? Math.floor(Math.max((OH - 1) * stride[0] + KH - H, 0) / 2) : 0;
  const padL = same ? Math.floor(Math.max((OW - 1) * stride[1] + KW - W, 0) / 2) : 0;
  const y: number[] = [];
  for (let oh = 0; oh < OH; oh++)
    for (let ow = 0; ow < OW; ow++)
      for (let o = 0; o < O; o++) {
        let acc = bias[o] as number;
        for (let kh = 0; kh < KH; kh++)
          for (let kw = 0; kw < KW; kw++) {
            const ih = oh * stride[0] + kh - padT;
            const iw = ow * stride[1] + kw - padL;
            if (ih < 0 || iw < 0 || ih >= H || iw >= W) continue;
            if (depthwise) acc += (x[(ih * W + iw) * C + Math.floor(o / mult)] as number) * (w[(kh * KW + kw) * O + o] as number);
            else for (let c = 0; c < C; c++) acc += (x[(ih * W + iw) * C + c] as number) * (w[((o * KH + kh) * KW + kw) * C + c] as number);
          }
        y.push(acc);
      }
  return { y, shape: [1, OH, OW, O] };
}

for (const [label, params, ws, same, depthwise] of [
  ['Conv2D SAME stride 2 with Relu6', [0, 0, 3, 2, 2], [4, 3, 3, 2], true, false],
  ['Conv2D VALID stride (1,2) no activation', [0, 1, 0, 1, 2], [3, 2, 3, 2], false, false],
  ['depthwise Conv2D SAME, multiplier 2, Relu', [1, 0, 1, 1, 1], [1, 3, 3, 4], true, true],
] as [string, number[], number[], boolean, boolean][]) {
  test(`${label}: NHWC zkml layer imports to NCHW Conv that matches a direct NHWC convolution`, async () => {
    const xs = [1, 7, 6, 2];
    const x = ints(size(xs), 1);
    const w = ints(size(ws), 2, -300, 300);
    const outC = depthwise ? (ws[3] as number) : (ws[0] as number);
    const bias = ints(outC, 3, -200, 200);
    const ref = convNhwc(x.map((v) => v / SF), xs, w.map((v) => v / SF), ws, bias.map((v) => v / SF), [params[3] as number, params[4] as number], same, depthwise);
    const act = params[2] === 3 ? (v: number) => Math.min(6, Math.max(0, v)) : params[2] === 1 ? (v: number) => Math.max(0, v) : (v: number) => v;
    const m = model([layer('Conv2D', params, [[0, xs], [1, ws], [2, [outC]]], [[3, ref.shape]])], [
      { idx: 1, shape: ws, data: w },
      { idx: 2, shape: [outC], data: bias },
    ], [0], [3]);
    const [y] = await run(m, { 0: x });
    assertClose(y as Float32Array, ref.y.map(act));
  });
}

test('AveragePool2D and MaxPool2D on NHWC match direct window reductions', async () => {
  const xs = [1, 4, 6, 3];
  const x = ints(size(xs), 4);
  const os = [1, 2, 3, 3];
  const m = model([
    layer('AveragePool2D', [2, 2, 2, 2], [[0, xs]], [[1, os]]),
    layer('MaxPool2D', [2, 2, 2, 2], [[0, xs]], [[2, os]]),
  ], [], [0], [1, 2]);
  const [avg, max] = await run(m, { 0: x });
  const eAvg: number[] = [];
  const eMax: number[] = [];
  for (let oh = 0; oh < 2; oh++)
    for (let ow = 0; ow < 3; ow++)
      for (let c = 0; c < 3; c++) {
        const win = [0, 1].flatMap((dh) => [0, 1].map((dw) => (x[((oh * 2 + dh) * 6 + ow * 2 + dw) * 3 + c] as number) / SF));
        eAvg.push(win.reduce((a, b) => a + b, 0) / 4);
        eMax.push(Math.max(...win));
      }
  assertClose(avg as Float32Array, eAvg);
  assertClose(max as Float32Array, eMax);
});

test('FullyConnected (TFLite [out,in] weights, fused Relu) then masked Softmax and MaskNegInf', async () => {
  const x = ints(6, 5);
  const w = ints(4 * 6, 6, -400, 400);
  const bias = ints(4, 7, -100, 100);
  const mask = [2, 1, 4, 0, 1, 0, 0]; // [ndim=2, shape 1×4, values]: position 1 masked
  const m = model([
    layer('FullyConnected', [1], [[0, [1, 6]], [1, [4, 6]], [2, [4]]], [[3, [1, 4]]]),
    layer('Softmax', mask, [[3, [1, 4]]], [[4, [1, 4]]]),
    layer('MaskNegInf', mask, [[3, [1, 4]]], [[5, [1, 4]]]),
  ], [{ idx: 1, shape: [4, 6], data: w }, { idx: 2, shape: [4], data: bias }], [0], [3, 4, 5]);
  const [fc, sm, masked] = await run(m, { 0: x });
  const expFc = [0, 1, 2, 3].map((o) => Math.max(0, (bias[o] as number) / SF + [0, 1, 2, 3, 4, 5].reduce((a, k) => a + ((x[k] as number) / SF) * ((w[o * 6 + k] as number) / SF), 0)));
  assertClose(fc as Float32Array, expFc);
  const keep = [0, 2, 3];
  const z = keep.map((o) => Math.exp(expFc[o] as number)).reduce((a, b) => a + b, 0);
  assertClose(sm as Float32Array, expFc.map((v, o) => (o === 1 ? 0 : Math.exp(v) / z)));
  assertClose(masked as Float32Array, expFc.map((v, o) => (o === 1 ? -(2 ** 15) / SF : v)));
});

test('elementwise layers: Add+Relu, Sub, Mul, Div (fixed), DivVar, Square, SquaredDifference, Rsqrt, Logistic, Tanh', async () => {
  const s = [1, 5];
  const a = ints(5, 8);
  const b = ints(5, 9, 100, 2000);
  const m = model([
    layer('Add', [1], [[0, s], [1, s]], [[10, s]]),
    layer('Sub', [], [[0, s], [1, s]], [[11, s]]),
    layer('Mul', [], [[0, s], [1, s]], [[12, s]]),
    layer('Div', [4], [[0, s]], [[13, s]]),
    layer('DivVar', [], [[0, s], [2, [1]]], [[14, s]]),
    layer('Square', [], [[0, s]], [[15, s]]),
    layer('SquaredDifference', [], [[0, s], [1, s]], [[16, s]]),
    layer('Rsqrt', [], [[1, s]], [[17, s]]),
    layer('Logistic', [], [[0, s]], [[18, s]]),
    layer('Tanh', [], [[0, s]], [[19, s]]),
  ], [{ idx: 2, shape: [1], data: [2 * SF] }], [0, 1], [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  const outs = await run(m, { 0: a, 1: b });
  const A = a.map((v) => v / SF);
  const B = b.map((v) => v / SF);
  const expected = [
    A.map((v, i) => Math.max(0, v + (B[i] as number))),
    A.map((v, i) => v - (B[i] as number)),
    A.map((v, i) => v * (B[i] as number)),
    A.map((v) => v / 4),
    A.map((v) => v / 2),
    A.map((v) => v * v),
    A.map((v, i) => (v - (B[i] as number)) ** 2),
    B.map((v) => 1 / Math.sqrt(v)),
    A.map((v) => 1 / (1 + Math.exp(-v))),
    A.map((v) => Math.tanh(v)),
  ];
  expected.forEach((e, i) => assertClose(outs[i] as Float32Array, e));
});

test('shape layers: Reshape, Transpose, Permute, Concatenation, Pack, Slice, Pad, Rotate, Split, Gather, Mean, BatchMatMul', async () => {
  const xs = [1, 2, 3];
  const x = ints(6, 10);
  const X = x.map((v) => v / SF);
  const y = ints(6, 11);
  const Y = y.map((v) => v / SF);
  const m = model([
    layer('Reshape', [], [[0, xs], [9, [2]]], [[20, [3, 2]]]),
    layer('Transpose', [1, 2, 3, 0, 2, 1], [[0, xs]], [[21, [1, 3, 2]]]),
    layer('Permute', [0, 2, 1], [[0, xs]], [[22, [1, 3, 2]]]),
    layer('Concatenation', [1], [[0, xs], [1, xs]], [[23, [1, 4, 3]]]),
    layer('Pack', [0], [[0, xs], [1, xs]], [[24, [2, 1, 2, 3]]]),
    layer('Slice', [0, 1, 1, -1, 1, 2], [[0, xs]], [[25, [1, 1, 2]]]),
    layer('Pad', [0, 0, 1, 0, 0, 2], [[0, xs]], [[26, [1, 3, 5]]]),
    layer('Reshape', [], [[0, xs]], [[27, [1, 2, 3, 1]]]),
    layer('Rotate', [1, 2], [[27, [1, 2, 3, 1]]], [[28, [1, 2, 3, 1]]]),
    layer('Split', [2, 3], [[9, [1]], [0, xs]], [[29, [1, 2, 1]], [30, [1, 2, 1]], [31, [1, 2, 1]]]),
    layer('Reshape', [], [[0, xs]], [[32, [3, 2]]]),
    layer('Gather', [2, 0], [[32, [3, 2]]], [[33, [2, 2]]]),
    layer('Mean', [2], [[0, xs]], [[34, [1, 2]]]),
    layer('BatchMatMul', [0, 1], [[0, xs], [1, xs]], [[35, [1, 2, 2]]]),
  ], [{ idx: 9, shape: [2], data: [3, 2] }], [0, 1], [20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 33, 34, 35]);
  const outs = await run(m, { 0: x, 1: y });
  const at = (i: number, j: number): number => X[i * 3 + j] as number; // X as 2×3
  const T = [at(0, 0), at(1, 0), at(0, 1), at(1, 1), at(0, 2), at(1, 2)];
  const expected = [
    X,
    T,
    T,
    [...X, ...Y],
    [...X, ...Y],
    [at(1, 1), at(1, 2)],
    [0, 0, 0, 0, 0, ...X.slice(0, 3), 0, 0, ...X.slice(3), 0, 0],
    [at(1, 2), at(1, 1), at(1, 0), at(0, 2), at(0, 1), at(0, 0)],
    [at(0, 0), at(1, 0)],
    [at(0, 1), at(1, 1)],
    [at(0, 2), at(1, 2)],
    [X[4], X[5], X[0], X[1]] as number[],
    [(at(0, 0) + at(0, 1) + at(0, 2)) / 3, (at(1, 0) + at(1, 1) + at(1, 2)) / 3],
    [0, 1].flatMap((i) => [0, 1].map((j) => [0, 1, 2].reduce((acc, k) => acc + at(i, k) * (Y[j * 3 + k] as number), 0))),
  ];
  expected.forEach((e, i) => assertClose(outs[i] as Float32Array, e));
});

test('settings carry scale, k, columns and both spellings of the commitment flags', () => {
  const base = model([layer('Tanh', [], [[0, [1, 2]]], [[1, [1, 2]]])], [], [0], [1]);
  const plain = importZkmlMsgpack(writeZkmlModel(base), 'm').settings;
  assert.deepEqual([plain.scale, plain.scaleBits, plain.k, plain.numCols, plain.commit], [SF, 10, 16, 6, false]);
  assert.deepEqual([plain.minVal, plain.maxVal, plain.numRandom, plain.bitsPerElem], [-(2 ** 15), 2 ** 15 - 10, 20001, 16]);
  const flag = importZkmlMsgpack(writeZkmlModel({ ...base, commit: true }, { commitAsFlag: true }), 'm').settings;
  assert.equal(flag.commit, true);
  const groups = importZkmlMsgpack(writeZkmlModel({ ...base, commitBefore: [[0]], commitAfter: [[1]] }), 'm').settings;
  assert.deepEqual([groups.commit, groups.commitBefore, groups.commitAfter], [true, [[0]], [[1]]]);
});

test('zkml input files import as reals (data / scale) keyed by graph value name', () => {
  const inp = importZkmlInput(writeZkmlInput([{ idx: 0, shape: [1, 2], data: [SF, -SF / 2] }, { idx: 11, shape: [1], data: [3] }]), 'in', SF);
  assert.deepEqual(Array.from(inp.values['t0']?.data ?? []), [1, -0.5]);
  assert.deepEqual(Array.from(inp.quantized['t11']?.data ?? []), [3]);
});

test('unknown layers are all listed at once in an UnsupportedOpError', () => {
  const m = model([
    layer('Update', [], [[0, [1]]], [[1, [1]]]),
    layer('Tanh', [], [[1, [1]]], [[2, [1]]]),
    layer('FancyOp', [], [[2, [1]]], [[3, [1]]]),
  ], [], [0], [3]);
  assert.throws(() => importZkmlModel(m, 'net.msgpack'), (e: unknown) => e instanceof UnsupportedOpError && /Update \(layer 0\)/.test(e.message) && /FancyOp \(layer 2\)/.test(e.message) && /net\.msgpack/.test(e.message));
});

test('a layer reading a tensor nobody defines is a FormatError naming layer and tensor', () => {
  const m = model([layer('Tanh', [], [[7, [1]]], [[1, [1]]])], [], [0], [1]);
  assert.throws(() => importZkmlModel({ ...m, inpIdxes: [] }, 'net.msgpack'), (e: unknown) => e instanceof FormatError && /layer 0 \(Tanh\) reads tensor 7/.test(e.message));
});
