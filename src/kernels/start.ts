/**
 * Starts every kernel worker pool at once. A Node worker takes ~35 ms to boot (more when several boot
 * together on few cores), and a pool otherwise starts on its first call, in the middle of a proof: a
 * prover calls this first so the threads boot while it reads its key and computes the witness.
 */
import { startExprWorkers } from './expr-eval.ts';
import { startMsmWorkers } from './msm/pool.ts';
import { startNttWorkers } from './ntt/index.ts';

export function startKernelThreads(): void {
  startMsmWorkers();
  startNttWorkers();
  startExprWorkers();
}
