/**
 * A .zkc file's k from its first bytes (its header fields come before the model), without parsing the file:
 * `zkml prove` starts the kernel threads a circuit of that size needs before it loads the prover. Undefined
 * when the file is unreadable or has no k there (the command itself then reports the file).
 */
import { closeSync, openSync, readSync } from 'node:fs';

export function zkcHeaderK(path: string): number | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const n = readSync(fd, buf, 0, buf.length, 0);
      const m = /"k":(\d+)/.exec(buf.subarray(0, n).toString('latin1'));
      return m ? Number(m[1]) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
