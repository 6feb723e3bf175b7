/**
 * node:fs, node:fs/promises and node:path for the browser bundle of the prover. The page hands the library
 * bytes, never paths, so the file functions on the prover's import paths (readZkc, readVk, loadPtau, ...)
 * are never called there; should one be, it fails with a clear error instead of the bundle failing to load.
 */
import { ZkmlError } from '../../errors.ts';

const unavailable = (name: string) => (): never => {
  throw new ZkmlError(`${name}: there is no file system in the browser (pass the file's bytes instead)`);
};

export const readFileSync = unavailable('readFileSync');
export const writeFileSync = unavailable('writeFileSync');
export const mkdirSync = unavailable('mkdirSync');
export const renameSync = unavailable('renameSync');
export const rmSync = unavailable('rmSync');
export const linkSync = unavailable('linkSync');
export const existsSync = unavailable('existsSync');
export const readdirSync = unavailable('readdirSync');
export const statSync = unavailable('statSync');
export const openSync = unavailable('openSync');
export const closeSync = unavailable('closeSync');
export const fstatSync = unavailable('fstatSync');
export const readSync = unavailable('readSync');
export const writeSync = unavailable('writeSync');
export const open = unavailable('open');
export const basename = unavailable('basename');
export const dirname = unavailable('dirname');
export const join = unavailable('join');
