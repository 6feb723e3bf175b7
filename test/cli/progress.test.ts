/**
 * The progress line: silent when stderr is not a terminal; on a terminal, the time left counts down from the
 * cost model's prediction once the caller has one, else it is extrapolated from the stages done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressBar } from '../../src/cli/progress.ts';

function captureStderr(tty: boolean, work: () => void): string {
  const err = process.stderr as unknown as { isTTY: boolean | undefined; write: (s: string) => boolean };
  const [isTTY, write] = [err.isTTY, err.write];
  let out = '';
  err.isTTY = tty;
  err.write = (s: string) => ((out += s), true);
  try {
    work();
  } finally {
    err.isTTY = isTTY;
    err.write = write;
  }
  return out;
}

test('progress: nothing when stderr is not a terminal', () => {
  assert.equal(captureStderr(false, () => progressBar('proving')('advice', 1, 8)), '');
});

test('progress: the time left comes from the prediction once given, and the last stage ends the line', () => {
  const out = captureStderr(true, () => {
    const bar = progressBar('proving');
    bar.expect(100_000);
    bar('quotient', 3, 8);
    bar('done', 8, 8);
  });
  const [first, last] = out.split('\r').filter(Boolean);
  assert.match(first!, /^proving \[#{9} {15}\] quotient/);
  assert.match(first!, /~(99|100) s left/);
  assert.match(last!, /^proving \[#{24}\] done/);
  assert.doesNotMatch(last!, /left/);
  assert.ok(out.endsWith('\n'));
});

test('progress: without a prediction the time left is extrapolated from the fraction done', () => {
  // Half done after well under a second: about as long again, shown rounded up to ~1 s.
  const out = captureStderr(true, () => progressBar('keygen')('commit', 1, 2));
  assert.match(out, /keygen \[#{12} {12}\] commit +0\.\d s, ~1 s left/);
});
