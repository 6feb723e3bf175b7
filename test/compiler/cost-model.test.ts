/** The cost model: positive, monotone in k and columns; `zkml compile --json` carries the estimate. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli-harness.ts';
import { approximateShape, predictCost, type CostStats } from '../../src/compiler/cost-model.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import type { Graph } from '../../src/graph/ir.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-cost-'));
});
after(async () => {
  await terminateFfjsCurve();
  rmSync(dir, { recursive: true, force: true });
});

const base: CostStats = { rows: 10000, advice: 9, fixed: 18, lookups: 7, copies: 5000, k: 14 };

test('predictions are positive and finite', () => {
  const p = predictCost(base);
  for (const key of ['prove_ms', 'keygen_ms', 'peak_rss_mb', 'commitments', 'proof_bytes'] as const) {
    assert.ok(Number.isFinite(p[key]) && p[key] > 0, `${key} = ${p[key]}`);
  }
});

test('predictions grow with k and with columns', () => {
  for (let k = 10; k < 22; k++) {
    const a = predictCost({ ...base, k });
    const b = predictCost({ ...base, k: k + 1 });
    assert.ok(b.prove_ms > a.prove_ms, `prove k=${k}`);
    assert.ok(b.keygen_ms > a.keygen_ms, `keygen k=${k}`);
    assert.ok(b.peak_rss_mb > a.peak_rss_mb, `memory k=${k}`);
    // The quotient split (prove --max-memory) lowers the floor, never above the whole-coset peak.
    assert.ok(b.min_rss_mb > a.min_rss_mb && b.min_rss_mb < b.peak_rss_mb, `memory floor k=${k}`);
    assert.equal(b.commitments, a.commitments);
  }
  for (let advice = 1; advice < 40; advice++) {
    const s1 = { ...base, advice };
    const s2 = { ...base, advice: advice + 1 };
    // Same shape for both: only the advice count changes.
    const shape = approximateShape(s1);
    const a = predictCost(s1, shape);
    const b = predictCost(s2, shape);
    assert.ok(b.prove_ms > a.prove_ms && b.peak_rss_mb >= a.peak_rss_mb && b.commitments > a.commitments, `advice=${advice}`);
    // And with the shape the stats imply (more columns under the permutation argument).
    assert.ok(predictCost(s2).prove_ms > predictCost(s1).prove_ms);
  }
  for (let fixed = 1; fixed < 40; fixed++) {
    const a = predictCost({ ...base, fixed });
    const b = predictCost({ ...base, fixed: fixed + 1 });
    assert.ok(b.keygen_ms > a.keygen_ms && b.prove_ms > a.prove_ms && b.peak_rss_mb > a.peak_rss_mb, `fixed=${fixed}`);
  }
});

function gemmModel(): Graph {
  return {
    name: 'gemm',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 3] }],
    initializers: {
      w: { dtype: 'float32', shape: [3, 4], data: Float32Array.from([0.5, -0.25, 0.75, 0.1, -0.5, 0.3, 0.2, 0.9, 0.4, -0.6, 0.05, 0.15]) },
      b: { dtype: 'float32', shape: [3], data: Float32Array.from([0.1, -0.2, 0.05]) },
    },
    valueInfo: {},
    nodes: [{ op: 'Gemm', name: 'fc', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 } } }],
  } as Graph;
}

const cli = runCli;

test('zkml compile --json reports rows, columns, lookups, commitments and the predicted cost', async () => {
  writeFileSync(join(dir, 'gemm.onnx'), writeOnnx(gemmModel()));
  writeFileSync(join(dir, 'calib.json'), JSON.stringify({ input: [0.2, 0.9, 0.4, 0.7] }));
  const c = await cli('compile', join(dir, 'gemm.onnx'), '-o', join(dir, 'out'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6', '--json');
  assert.equal(c.code, 0, c.err);
  const r = JSON.parse(c.out);
  for (const key of ['rows', 'columns', 'advice', 'fixed', 'instance', 'lookups', 'commitments', 'k', 'predicted_prove_ms', 'predicted_keygen_ms', 'predicted_peak_rss_mb', 'predicted_proof_bytes']) {
    assert.equal(typeof r[key], 'number', `${key} missing from ${c.out}`);
  }
  assert.equal(r.columns, r.advice + r.fixed + r.instance);
  assert.ok(r.commitments > r.advice && r.predicted_prove_ms > 0 && r.predicted_peak_rss_mb > 0);
  const text = await cli('compile', join(dir, 'gemm.onnx'), '-o', join(dir, 'out2'), '--calibrate', join(dir, 'calib.json'), '--scale-bits', '6');
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /predicted_prove_ms/);
  assert.match(text.out, /commitments/);
});

test('later-phase advice (challenge-derived, full field elements) is charged as full-width MSMs', () => {
  const shape = approximateShape(base);
  const p0 = predictCost(base, shape);
  const p1 = predictCost(base, { ...shape, laterPhaseAdvice: 3 });
  assert.ok(p1.prove_ms > p0.prove_ms, `${p1.prove_ms} > ${p0.prove_ms}`);
  assert.equal(p1.commitments, p0.commitments);
  assert.equal(p1.kernels.full_msm, p0.kernels.full_msm + 3);
  assert.equal(p1.kernels.small_msm, p0.kernels.small_msm - 3);
});
