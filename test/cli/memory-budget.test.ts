/** compile refuses, with the predicted figures, a model whose proof would not fit the memory budget; nothing is written. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tinyModel } from '../cli-harness.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'zkml-budget-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('compile --max-memory: over budget → exit 2 naming the predicted peak, no model.zkc; within budget → compiles', async () => {
  writeFileSync(join(dir, 'tiny.onnx'), writeOnnx(tinyModel()));
  const over = await runCli('compile', join(dir, 'tiny.onnx'), '-o', join(dir, 'over'), '--scale-bits', '6', '--max-memory', '1');
  assert.equal(over.code, 2, over.err);
  assert.match(over.err, /predicted to need \d+ MB at least \(\d+ MB with the quotient on whole cosets; k = \d+, \d+ rows, predicted prove \d+ s\), more than the 1 MB budget/);
  assert.equal(existsSync(join(dir, 'over', 'model.zkc')), false);
  const bad = await runCli('compile', join(dir, 'tiny.onnx'), '-o', join(dir, 'bad'), '--max-memory', 'lots');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--max-memory needs a positive number of MB/);
  const ok = await runCli('compile', join(dir, 'tiny.onnx'), '-o', join(dir, 'ok'), '--scale-bits', '6', '--max-memory', '100000');
  assert.equal(ok.code, 0, ok.err);
  assert.equal(existsSync(join(dir, 'ok', 'model.zkc')), true);
});
