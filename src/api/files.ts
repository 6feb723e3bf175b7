/** File helpers for the API: typed read errors, and atomic writes (temp file + rename) so a failed command never leaves a partial file or clobbers a good one. */
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { FormatError } from '../errors.ts';

/** readFileSync and writeFileSync refuse 2 GiB and more (a large model's pk.bin): such files go in pieces of this size. */
const READ_PIECE = 1 << 30;

export function readFileOrThrow(path: string, what: string): Uint8Array {
  try {
    return readWhole(path);
  } catch (e) {
    throw new FormatError(path, `cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** The whole file; at `piece` bytes and more, read in pieces of that size (exported for tests). */
export function readWhole(path: string, piece = READ_PIECE): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < piece) {
      // A plain Uint8Array view of the Buffer's memory (no copy: pk.bin is megabytes). A small file's Buffer
      // may share Node's pool with others, so those are copied (the caller may keep or transfer the bytes).
      const b = readFileSync(fd);
      return b.byteLength === b.buffer.byteLength ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
    }
    const out = new Uint8Array(size);
    for (let at = 0; at < size; ) {
      const got = readSync(fd, out, at, Math.min(piece, size - at), at);
      if (got === 0) throw new Error(`the file ended after ${at} of ${size} bytes`);
      at += got;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    if (typeof data === 'string' || data.length < READ_PIECE) writeFileSync(tmp, data);
    else writePieces(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes `data` in pieces of `piece` bytes (exported for tests). */
export function writePieces(path: string, data: Uint8Array, piece = READ_PIECE): void {
  const fd = openSync(path, 'w');
  try {
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, Math.min(piece, data.length - at));
  } finally {
    closeSync(fd);
  }
}
