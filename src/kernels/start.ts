/**
 * Starts the kernel worker pools at once. A Node worker takes ~35 ms to boot (~30 ms of CPU bare, more with
 * its modules and WASM, and more when several boot together on few cores), and a pool otherwise starts on
 * its first call, in the middle of a proof: a prover calls this first so the threads boot while it reads
 * its key and computes the witness.
 * The NTT workers start here only for a circuit whose k is given and above NTT_SYNC_MAX_LOG: a proof
 * transforms columns of 2^k points, and up to 2^NTT_SYNC_MAX_LOG they run on the calling thread (without k
 * they start on a proof's first larger transform).
 */
import { startExprWorkers } from './expr-eval.ts';
import { startMsmWorkers } from './msm/pool.ts';
import { NTT_SYNC_MAX_LOG, startNttWorkers } from './ntt/index.ts';

export function startKernelThreads(k?: number): void {
  startMsmWorkers();
  startExprWorkers();
  if (k !== undefined && k > NTT_SYNC_MAX_LOG) startNttWorkers();
}
