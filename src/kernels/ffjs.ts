/**
 * Lazily created ffjavascript BN254 curve (multi-threaded: FFT, MSM, pairing). One process-wide singleton,
 * shared by poly/ (FFT) and curve/ (MSM, pairing). Tests must call `terminateFfjsCurve()` in an `after()`
 * hook, otherwise the worker threads keep the process alive.
 */

/** The ffjavascript curve object (untyped library; see ffjavascript/src/engine.js). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FfjsCurve = any;

let curvePromise: Promise<FfjsCurve> | null = null;

/** Returns the shared curve, building it on first use (a few hundred ms: WASM build + worker start). */
export function getFfjsCurve(): Promise<FfjsCurve> {
  if (!curvePromise) {
    // Imported on first use: loading ffjavascript costs tens of ms that commands without it should not pay.
    // @ts-expect-error ffjavascript ships no type declarations
    curvePromise = import('ffjavascript').then(({ buildBn128 }) => (buildBn128 as (singleThread?: boolean) => Promise<FfjsCurve>)(false)).catch((e: unknown) => {
      curvePromise = null;
      throw e;
    });
  }
  return curvePromise;
}

/** Stops the worker threads (if the curve was ever built). Safe to call repeatedly. */
export async function terminateFfjsCurve(): Promise<void> {
  const p = curvePromise;
  curvePromise = null;
  if (!p) return;
  const curve = await p;
  await curve.terminate();
}
