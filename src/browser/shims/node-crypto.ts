/**
 * node:crypto for the browser bundle of the prover (scripts/build-browser.mjs maps the import here): the
 * SHA-256 and random bytes the prover's Node code asks for. Node keeps its native hash, ≈13× faster than
 * JS on the megabytes of columns a circuit digest and pk.bin's checksum cover; here @noble/hashes does it.
 */
import { sha256 } from '@noble/hashes/sha2.js';

export function createHash(algorithm: string): { update(b: Uint8Array): ReturnType<typeof createHash>; digest(): Uint8Array } {
  if (algorithm !== 'sha256') throw new Error(`createHash('${algorithm}'): the browser build has SHA-256 only`);
  const h = sha256.create();
  const api = {
    update(b: Uint8Array) {
      h.update(b);
      return api;
    },
    digest: () => h.digest(),
  };
  return api;
}

/** n random bytes from the browser's CSPRNG (getRandomValues takes at most 64 KiB per call). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let o = 0; o < n; o += 65536) crypto.getRandomValues(out.subarray(o, Math.min(n, o + 65536)));
  return out;
}
