/**
 * Kernel WASM modules written by the build: generating a module with wasmbuilder (BigInt constants, code
 * emitted in JS) costs ~0.35 s per process (Fr ~180 ms, MSM ~110 ms, NTT ~45 ms), paid by every `zkml prove`.
 * scripts/build.mjs writes each module's bytes and layout under dist/kernels/wasm/, next to the compiled
 * kernels; code running from dist reads them, code running from src/ (tests, tsx) finds none and generates
 * the module as before. A test compares the written files with freshly generated ones.
 */
import { readPrebuilt } from './platform.ts';

/** A module's bytes and the addresses its generator allocated (JSON-serializable). */
export interface ModuleCode<M> {
  readonly code: Uint8Array;
  readonly meta: M;
}

/** A file of dist/kernels/wasm/, or null where this code has no file URL (a browser bundle). */
function read(file: string): Uint8Array | null {
  let url: URL;
  try {
    url = new URL(`./wasm/${file}`, import.meta.url);
  } catch {
    return null;
  }
  return readPrebuilt(url);
}

/** The module `name` as the build wrote it, else `make()`. */
export function moduleCode<M>(name: string, make: () => ModuleCode<M>): ModuleCode<M> {
  const code = read(`${name}.wasm`);
  const meta = code && read(`${name}.json`);
  if (code && meta) {
    try {
      return { code, meta: JSON.parse(new TextDecoder().decode(meta)) as M };
    } catch {
      // an unreadable layout: generate the module instead
    }
  }
  return make();
}
