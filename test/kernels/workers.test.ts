import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KernelWorkers } from '../../src/kernels/workers.ts';
import { g1Msm } from '../../src/curve/index.ts';
import { g1PowersOf } from '../../src/commit/srs.ts';
import { frVecRandom } from '../../src/field/frvec.ts';
import { terminateMsmPool } from '../../src/kernels/msm/pool.ts';

const FIXTURE = new URL('./worker-echo.fixture.mjs', import.meta.url);

function group(n: number, ready: boolean) {
  const got: { i: number; msg: unknown }[] = [];
  const fails: Error[] = [];
  const g = new KernelWorkers(
    FIXTURE,
    Array.from({ length: n }, (_, tag) => ({ tag, ready })),
    'fixture',
    { message: (i, msg) => got.push({ i, msg }), fail: (e) => fails.push(e) },
    ready,
  );
  return { g, got, fails };
}
const until = async (cond: () => boolean) => {
  for (let t = 0; t < 400 && !cond(); t++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'timed out');
};

test('worker group: ready, messages routed by worker index, one failure report when a worker exits', async () => {
  const { g, got, fails } = group(2, true);
  await g.ready;
  g.post(0, { cmd: 'echo', v: 'a' });
  g.post(1, { cmd: 'echo', v: 'b' });
  await until(() => got.length === 2);
  assert.deepEqual(
    got.sort((x, y) => x.i - y.i),
    [
      { i: 0, msg: { tag: 0, v: 'a' } },
      { i: 1, msg: { tag: 1, v: 'b' } },
    ],
  );
  g.done(0);
  g.done(1);
  assert.equal(g.broken, false);
  g.post(1, { cmd: 'exit' });
  await until(() => fails.length > 0);
  assert.match(fails[0]!.message, /fixture worker exited \(code 3\)/);
  assert.equal(g.broken, true);
  g.post(0, { cmd: 'throw' });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(fails.length, 1, 'the group fails once');
  await g.terminate();
  assert.equal(fails.length, 1);
});

test('worker group without a ready handshake; an uncaught error fails it; terminate fails work in flight', async () => {
  const a = group(1, false);
  a.g.post(0, { cmd: 'echo', v: 1 });
  await until(() => a.got.length === 1);
  a.g.post(0, { cmd: 'throw' });
  await until(() => a.fails.length === 1);
  assert.match(a.fails[0]!.message, /fixture failure/);
  await a.g.terminate();
  const b = group(1, false);
  b.g.post(0, { cmd: 'echo', v: 2 }); // in flight while terminating
  await b.g.terminate();
  assert.equal(b.fails.length, 1);
  assert.match(b.fails[0]!.message, /terminated/);
});

test('the MSM pool is replaced after it stops: the next MSM starts new workers and agrees (an awaited stop completes)', async () => {
  const n = 4096;
  const bases = await g1PowersOf(987654321n, n);
  const sc = frVecRandom(n);
  const first = await g1Msm(bases, sc);
  await terminateMsmPool();
  const second = await g1Msm(bases, sc);
  assert.deepEqual(second, first);
  await terminateMsmPool();
});
