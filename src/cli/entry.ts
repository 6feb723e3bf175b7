/**
 * What bin/zkml.mjs runs: the command dispatcher and the stop of ffjavascript's worker threads. The entry
 * point of the CLI's bundle (scripts/build.mjs → dist/cli-bundle/entry.js), and of the sources under tsx.
 */
export { main } from './main.ts';
export { terminateFfjsCurve } from '../kernels/ffjs.ts';
