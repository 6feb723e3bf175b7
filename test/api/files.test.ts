/**
 * Files beyond 2 GiB (a large model's pk.bin) cannot go through readFileSync / writeFileSync: they are read
 * and written in pieces. The piece size is lowered here so that the loops run on a small file; a missing
 * file is a FormatError naming it; a failed write leaves nothing behind.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileOrThrow, readWhole, writeFileAtomic, writePieces } from '../../src/api/files.ts';
import { FormatError } from '../../src/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'zkml-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const data = Uint8Array.from({ length: 10_007 }, (_, i) => (i * 31 + 7) & 255);

test('written and read in pieces (sizes that do and do not divide the file), the bytes are the same', () => {
  for (const piece of [1000, 4096, 10_007, 1 << 20]) {
    const path = join(dir, `p${piece}.bin`);
    writePieces(path, data, piece);
    assert.deepEqual(new Uint8Array(readFileSync(path)), data);
    assert.deepEqual(readWhole(path, piece), data);
    assert.deepEqual(readWhole(path, 1), data);
  }
  writeFileAtomic(join(dir, 'atomic.bin'), data);
  assert.deepEqual(readFileOrThrow(join(dir, 'atomic.bin'), 'test file'), data);
  writePieces(join(dir, 'empty.bin'), new Uint8Array(0), 1);
  assert.equal(readWhole(join(dir, 'empty.bin'), 1).length, 0);
});

test('a missing file is a FormatError naming it; a failed atomic write leaves no file', () => {
  assert.throws(() => readFileOrThrow(join(dir, 'none.bin'), 'proving key'), (e: unknown) => e instanceof FormatError && /none\.bin.*proving key/.test(e.message));
  const target = join(dir, 'sub', 'x.bin');
  writeFileAtomic(target, data);
  // A directory where the file should go: the rename fails, and no temporary file is left.
  assert.throws(() => writeFileAtomic(join(dir, 'sub'), data));
  assert.deepEqual(readdirSync(join(dir, 'sub')), ['x.bin']);
  assert.ok(existsSync(target));
});
