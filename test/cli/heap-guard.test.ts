/**
 * A model whose layout does not fit the JS heap ends with a clear error and exit 2 (not V8's fatal
 * out-of-memory abort), and leaves no output behind. Runs the real CLI in a child with a small heap.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'zkml-heap-'));
  // One CIFAR-shaped sample in [0, 1).
  const x = Array.from({ length: 3 * 32 * 32 }, (_, i) => ((i * 7919) % 1000) / 1000);
  writeFileSync(join(dir, 'x.json'), JSON.stringify({ input: x }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// Column values and copies live outside the JS heap, so the CIFAR CNN now lays out in ~40 MB of heap: 24 MB is too small.
test('compile of a model too large for the heap: typed error naming the limit, exit 2, no model.zkc', () => {
  const out = join(dir, 'out');
  const r = spawnSync(
    process.execPath,
    ['--max-old-space-size=24', join(root, 'bin/zkml.mjs'), 'compile', join(root, 'examples/generated/cifar10_cnn.onnx'), '-o', out, '--calibrate', join(dir, 'x.json'), '--cols', '8'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  assert.equal(r.status, 2, `exit ${r.status} signal ${r.signal}\n${r.stderr.slice(-2000)}`);
  assert.match(r.stderr, /more memory than the JS heap allows \(24 MB, stopped after \d+ rows\)/);
  assert.doesNotMatch(r.stderr, /FATAL ERROR|Native stack trace/);
  assert.equal(existsSync(join(out, 'model.zkc')), false);
});
