/**
 * The kernels' worker threads (MSM, NTT, expression programs) share one lifecycle, kept here:
 * - threads started through platform.ts (Node: plain .mjs worker scripts without the parent's loaders, so no
 *   tsx is needed; a browser: Web Workers running the bundled kernel worker);
 * - unref()'d while idle so they never keep the process alive, ref()'d while starting up and while work is in
 *   flight (otherwise a top-level `await` on a kernel could see the event loop empty out and exit early);
 * - the first error or exit of any worker fails the group once (its owner then starts a new one).
 * Scripts that instantiate something first post 'ready'; `ready` resolves when all have.
 */
import { startKernelThread } from './platform.ts';
import type { KernelThread, KernelThreadKind } from './thread.ts';

export interface WorkerHandlers {
  /** A message from worker i (after its 'ready', if one is awaited). */
  message: (i: number, msg: unknown) => void;
  /** The group failed (called once). */
  fail: (e: Error) => void;
}

export class KernelWorkers {
  private readonly workers: KernelThread[] = [];
  private readonly inFlight: number[];
  private failed: Error | null = null;
  private stopping = false;
  /** Resolves when every worker has posted 'ready' (at once when none is awaited). */
  readonly ready: Promise<void>;

  /** One worker per entry of `data` (its start-up data), running the `kind` of kernel (or a test's script); `name` labels errors. */
  constructor(script: KernelThreadKind | URL, data: readonly unknown[], private readonly name: string, private readonly on: WorkerHandlers, awaitReady = true) {
    this.inFlight = data.map(() => 0);
    const starts: Promise<void>[] = [];
    data.forEach((workerData, i) => {
      const w = startKernelThread(script, workerData);
      // held open while starting up (a caller awaiting `ready` has nothing else keeping the loop alive)
      if (!awaitReady) w.unref();
      if (awaitReady)
        starts.push(
          new Promise<void>((resolve, reject) => {
            w.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`${name} worker: ${String(m)}`))));
            w.once('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
          }),
        );
      w.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => this.fail(new Error(this.stopping ? `${name} workers terminated` : `${name} worker exited (code ${code})`)));
      this.workers.push(w);
    });
    const listen = () =>
      this.workers.forEach((w, i) => {
        w.on('message', (m) => this.on.message(i, m));
        if (this.inFlight[i] === 0) w.unref();
      });
    this.ready = Promise.all(starts).then(listen);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Set once a worker has died or reported an error. */
  get broken(): boolean {
    return this.failed !== null;
  }

  get error(): Error | null {
    return this.failed;
  }

  /** Fails the group (e.g. on a protocol error); idempotent. */
  fail(e: Error): void {
    if (this.failed) return;
    this.failed = e;
    for (const w of this.workers) w.unref();
    this.on.fail(e);
  }

  /** Sends work to worker i, which holds the process open until as many done(i) calls as posts. */
  post(i: number, msg: unknown): void {
    const w = this.workers[i]!;
    this.inFlight[i]!++;
    w.ref();
    w.postMessage(msg);
  }

  /** One piece of worker i's work has come back. */
  done(i: number): void {
    if (--this.inFlight[i]! <= 0) {
      this.inFlight[i] = 0;
      this.workers[i]!.unref();
    }
  }

  /** Stops the workers; work still in flight is failed (tests and benches call it; exiting does not need it). */
  async terminate(): Promise<void> {
    this.stopping = true;
    // A timer holds the loop until every exit has come back: a worker whose thread is stopping no longer
    // counts as an active handle, so an awaited terminate() could otherwise see the process end first.
    const hold = setInterval(() => {}, 1 << 30);
    try {
      await Promise.all(this.workers.map((w) => w.terminate()));
    } finally {
      clearInterval(hold);
    }
    this.fail(new Error(`${this.name} workers terminated`));
  }
}
