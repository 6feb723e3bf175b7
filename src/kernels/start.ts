/**
 * Starts the kernel worker pools at once. A Node worker takes ~35 ms to boot (~100 ms of CPU, more when
 * several boot together on few cores), and a pool otherwise starts on its first call, in the middle of a
 * proof: a prover calls this first so the threads boot while it reads its key and computes the witness.
 * Given the circuit's k, the NTT workers are left unstarted when every transform of a proof fits the
 * calling thread (2^k ≤ 2^NTT_SYNC_MAX_LOG points: a proof transforms columns of 2^k points only).
 */
import { startExprWorkers } from './expr-eval.ts';
import { startMsmWorkers } from './msm/pool.ts';
import { NTT_SYNC_MAX_LOG, startNttWorkers } from './ntt/index.ts';

export function startKernelThreads(k?: number): void {
  startMsmWorkers();
  startExprWorkers();
  if (k === undefined || k > NTT_SYNC_MAX_LOG) startNttWorkers();
}
