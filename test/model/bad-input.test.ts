/** Bad input: each case gets a typed error naming the file / node / tensor / value, and the CLI exits non-zero without a stack. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { onnx } from '../../src/graph/onnx/proto.ts';
import { importOnnx } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateInt, evaluateIntQ } from '../../src/model/int-eval.ts';
import { parseInputs } from '../../src/model/inputs.ts';
import { FormatError } from '../../src/errors.ts';
import { ExternalDataError, InputError, TableDomainError, UnsupportedOpError } from '../../src/graph/errors.ts';
import { floatTensor, type Graph } from '../../src/graph/ir.ts';

const small = (): Graph => ({
  name: 'small',
  opset: 13,
  inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
  outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4] }],
  initializers: {},
  nodes: [{ op: 'Exp', name: 'the_exp', inputs: ['x'], outputs: ['y'], attrs: {} }],
  valueInfo: {},
});

test('truncated and non-ONNX bytes raise FormatError naming the file', () => {
  const bytes = writeOnnx(small());
  assert.throws(() => importOnnx(bytes.subarray(0, bytes.length - 7), 'cut.onnx'), (e: unknown) => e instanceof FormatError && /cut\.onnx/.test(e.message));
  assert.throws(() => importOnnx(new TextEncoder().encode('{"not": "onnx"}'), 'x.json'), (e: unknown) => e instanceof FormatError && /x\.json/.test(e.message));
  assert.throws(() => importOnnx(new Uint8Array(0), 'empty.onnx'), FormatError);
});

test('a tensor stored as external data raises ExternalDataError naming the tensor', () => {
  const g = small();
  g.nodes = [{ op: 'Add', name: 'add', inputs: ['x', 'w'], outputs: ['y'], attrs: {} }];
  g.initializers.w = floatTensor([4], [1, 2, 3, 4]);
  const m = onnx.ModelProto.decode(writeOnnx(g));
  const t = m.graph!.initializer![0]!;
  t.rawData = new Uint8Array(0);
  t.dataLocation = 1;
  t.externalData = [{ key: 'location', value: 'weights.bin' }];
  const bytes = onnx.ModelProto.encode(m).finish();
  assert.throws(() => importOnnx(bytes, 'ext.onnx'), (e: unknown) => e instanceof ExternalDataError && e.tensor === 'w' && /ext\.onnx/.test(e.message));
});

test('unsupported ops are all listed, with node names, in one UnsupportedOpError', () => {
  const g = small();
  g.nodes = [
    { op: 'Sin', name: 'sine', inputs: ['x'], outputs: ['a'], attrs: {} },
    { op: 'Relu', name: 'r', inputs: ['a'], outputs: ['b'], attrs: {} },
    { op: 'Cos', name: 'cosine', inputs: ['b'], outputs: ['c'], attrs: {} },
    { op: 'Sin', name: 'sine2', inputs: ['c'], outputs: ['y'], attrs: {} },
  ];
  assert.throws(
    () => importOnnx(writeOnnx(g), 'm.onnx'),
    (e: unknown) => e instanceof UnsupportedOpError && e.unsupported.length === 3 && /Sin \(sine, sine2\); Cos \(cosine\)/.test(e.message),
  );
});

test('input files: wrong length, wrong shape, NaN/Inf and non-numbers raise InputError naming the input', () => {
  const g = importOnnx(writeOnnx(small()));
  assert.throws(() => parseInputs(g, '{"input": [1, 2, 3]}'), (e: unknown) => e instanceof InputError && e.tensor === 'x' && /3 values/.test(e.message));
  assert.throws(() => parseInputs(g, '{"x": [[1, 2], [3, 4]]}'), (e: unknown) => e instanceof InputError && /shape \[2,2\]/.test(e.message));
  assert.throws(() => parseInputs(g, '{"input": [1, null, 3, 4]}'), (e: unknown) => e instanceof InputError && /element 1/.test(e.message));
  assert.throws(() => parseInputs(g, '{"input": [1, "a", 3, 4]}'), InputError);
  assert.throws(() => parseInputs(g, '{"input": [1, 2'), FormatError);
  assert.throws(() => parseInputs(g, '{"other": [1, 2, 3, 4]}'), (e: unknown) => e instanceof InputError && /missing/.test(e.message));
});

test('values far outside the calibrated range, NaN, and table-domain misses are typed errors', () => {
  const g = importOnnx(writeOnnx(small()));
  const model = quantizeModel(g, [{ x: { shape: [1, 4], data: Float64Array.of(-1, 0, 0.5, 1) } }], { scaleBits: 8 });
  assert.throws(() => evaluateInt(model, { x: { shape: [1, 4], data: Float64Array.of(0, 0, 0, 50) } }), (e: unknown) => e instanceof InputError && /element 3 = 50/.test(e.message));
  assert.throws(() => evaluateInt(model, { x: { shape: [1, 4], data: Float64Array.of(0, NaN, 0, 0) } }), (e: unknown) => e instanceof InputError && /NaN/.test(e.message));
  // Within the input slack but beyond the Exp table: the integer evaluator refuses rather than guessing.
  const hi = model.settings.tables.the_exp!.f!.hi;
  assert.throws(
    () => evaluateIntQ(model, { x: { shape: [1, 4], data: Float64Array.of(0, 0, 0, hi + 1), bits: 8 } }),
    (e: unknown) => e instanceof TableDomainError && e.node === 'the_exp' && e.tensor === 'x' && e.value === hi + 1,
  );
});

test('CLI: bad model files exit non-zero with a one-line error and no stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zkml-bad-'));
  const bytes = writeOnnx(small());
  writeFileSync(join(dir, 'cut.onnx'), bytes.subarray(0, bytes.length - 5));
  const g = small();
  g.nodes[0]!.op = 'Sin';
  writeFileSync(join(dir, 'sin.onnx'), writeOnnx(g));
  writeFileSync(join(dir, 'ok.onnx'), writeOnnx(small()));
  writeFileSync(join(dir, 'bad.json'), '{"input": [1, 2]}');
  const run = (...args: string[]): { code: number | null; err: string; out: string } => {
    const r = spawnSync(process.execPath, ['bin/zkml.mjs', 'inspect', ...args], { encoding: 'utf8' });
    return { code: r.status, err: r.stderr, out: r.stdout };
  };
  for (const [args, pattern] of [
    [[join(dir, 'cut.onnx')], /cut\.onnx/],
    [[join(dir, 'missing.onnx')], /missing\.onnx.*ENOENT/],
    [[join(dir, 'ok.onnx'), '--data', join(dir, 'bad.json')], /input 'x'.*2 values/],
  ] as const) {
    const r = run(...args);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, pattern);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  }
  const sin = run(join(dir, 'sin.onnx'), '--json');
  assert.equal(sin.code, 2);
  const report = JSON.parse(sin.out) as { supported: boolean; unsupported: { op: string; node: string }[] };
  assert.equal(report.supported, false);
  assert.deepEqual(report.unsupported, [{ op: 'Sin', node: 'the_exp' }]);
});

test('a tensor whose dims claim more values than the file holds is a FormatError before anything is allocated', () => {
  for (const [shape, data] of [
    [[1 << 20, 1 << 20], 4],
    [[2 ** 40], 1],
    [[3, 4], 11],
  ] as [number[], number][]) {
    const g = small();
    g.nodes = [{ op: 'Add', name: 'add', inputs: ['x', 'w'], outputs: ['y'], attrs: {} }];
    g.initializers = { w: { dtype: 'float32', shape, data: new Float32Array(data) } };
    assert.throws(
      () => importOnnx(writeOnnx(g), 'dims.onnx'),
      (e: unknown) => e instanceof FormatError && /dims\.onnx/.test(e.message) && /tensor 'w'/.test(e.message),
      `shape [${shape}]`,
    );
  }
});
