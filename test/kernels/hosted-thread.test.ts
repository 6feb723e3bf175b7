/**
 * Kernel threads sharing per-core hosts (src/kernels/hosted-thread.ts): an MSM and an expression kernel on
 * one host both answer, and agree with the main thread's results; terminating one thread reports its exit
 * and leaves the host serving the other; a host that dies fails every thread on it, and the next thread
 * started there gets a fresh host. And the commitments' table of [τ^i]₁ (commit/kzg.ts
 * prepareCommitBases): built for small k, not above COMMIT_TABLE_MAX_K, and commitments over it equal
 * the plain ones.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHostedThread, terminateHosts } from '../../src/kernels/hosted-thread.ts';
import { frKernel } from '../../src/kernels/fr-wasm.ts';
import { msmWasm } from '../../src/kernels/msm/build.ts';
import { ExprDag } from '../../src/kernels/expr-eval.ts';
import { frVecRandom } from '../../src/field/frvec.ts';
import { g1PowersOf, makeSrs } from '../../src/commit/srs.ts';
import { COMMIT_TABLE_MAX_K, commitCoeffs, prepareCommitBases } from '../../src/commit/kzg.ts';
import { g1Eq, g1MsmStandard, g2Generator } from '../../src/curve/index.ts';
import { msmTableInfo, terminateMsmPool } from '../../src/kernels/msm/pool.ts';
import { frVecToStandard } from '../../src/field/frvec.ts';
import type { KernelThread } from '../../src/kernels/thread.ts';

after(async () => {
  await terminateMsmPool();
  await terminateHosts();
});

const firstMessage = (t: KernelThread) => new Promise<unknown>((resolve) => t.once('message', resolve));

test('an MSM and an expression kernel share one host; each answers as the main thread computes', async () => {
  const k = frKernel();
  const { module, layout } = msmWasm();
  const msm = startHostedThread(0, 'msm', { module, layout });
  const expr = startHostedThread(0, 'expr', { module: k.module, pages: k.pages });
  assert.equal(await firstMessage(msm), 'ready'); // (expression kernels answer plans only: no 'ready')
  // An expression plan: a·b + 3·a over 64 rows.
  const a = frVecRandom(64);
  const b = frVecRandom(64);
  const dag = new ExprDag(64);
  const [la, lb] = [dag.leaf(a, 0), dag.leaf(b, 0)];
  const root = dag.add(dag.mul(la, lb), dag.mul(dag.scalar(3n), la));
  const plan = dag.plan([root], [1n]);
  const answer = firstMessage(expr);
  expr.postMessage({ id: 7, plan });
  const got = (await answer) as { id: number; out: Uint8Array };
  assert.equal(got.id, 7);
  assert.deepEqual(new Uint8Array(got.out), dag.evaluateCombination([root], [1n]));
  // Terminating the expression thread reports its exit; the MSM thread on the same host still answers.
  let exited = -1;
  expr.on('exit', (code: number) => (exited = code));
  await expr.terminate();
  assert.equal(exited, 1);
  const bases = await g1PowersOf(12345n, 8);
  const sab = new SharedArrayBuffer(bases.length);
  new Uint8Array(sab).set(bases);
  const scalars = new SharedArrayBuffer(8 * 32);
  new Uint8Array(scalars).set(frVecToStandard(frVecRandom(8)));
  const reply = firstMessage(msm);
  msm.postMessage({ id: 1, key: 1, version: 1, bases: sab, basesBytes: bases.length, scalars, scalarBytes: 8 * 32, width: 32, signs: null, c: 4, p0: 0, p1: 8, w0: 0, w1: 64, K: 4 });
  const sums = (await reply) as { id: number; sums?: Uint8Array; err?: string };
  assert.equal(sums.err, undefined);
  assert.equal(sums.id, 1);
  assert.equal(sums.sums!.length, 64 * 96, 'one Jacobian sum per window');
  await msm.terminate();
});

test('a host that dies fails the threads on it; the next thread there gets a fresh host', async () => {
  const { module, layout } = msmWasm();
  const t = startHostedThread(1, 'msm', { module, layout });
  assert.equal(await firstMessage(t), 'ready');
  const exit = new Promise<number>((resolve) => t.on('exit', resolve));
  await terminateHosts();
  assert.equal(typeof (await exit), 'number');
  const fresh = startHostedThread(1, 'msm', { module, layout });
  assert.equal(await firstMessage(fresh), 'ready');
  await fresh.terminate();
});

test('prepareCommitBases: a table for small k, none above COMMIT_TABLE_MAX_K; commitments over it are unchanged', async () => {
  const k = 9;
  const powers = await g1PowersOf(987654321n, 2 ** k + 1);
  const srs = makeSrs(k, powers, await g2Generator(), await g2Generator(), true, new Map());
  const coeffs = frVecRandom(2 ** k);
  const plain = await g1MsmStandard(powers.subarray(0, 2 ** k * 64), frVecToStandard(coeffs));
  assert.ok((await prepareCommitBases(srs, k)) > 0, 'a table is built at k 9');
  assert.ok(msmTableInfo().some((t) => t.N === 2 ** k + 1));
  assert.ok(g1Eq(await commitCoeffs(srs, coeffs), plain), 'commitment over the table');
  assert.equal(await prepareCommitBases(srs, COMMIT_TABLE_MAX_K + 1), 0);
});
