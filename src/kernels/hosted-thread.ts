/**
 * Kernel threads of several kinds sharing one worker thread (Node): a host per core (host.mjs), and each
 * kernel thread a MessagePort pair into one of them — the host runs the kind's serve function on its end.
 * Starting a Node worker costs ~30 ms of CPU bare (its own copy of Node's internals) and more with its
 * modules and WASM, so a process that starts its MSM and expression kernels boots one thread per core, not
 * one per core and kind. Kinds on one host take turns: a host's MSM task delays its expression plan, which is
 * why only kinds that do not run at the same time in a proof share hosts (platform.ts).
 *
 * The KernelThread interface over a port: ref/unref are the port's (an idle port lets the process exit; the
 * hosts themselves never hold it open), 'error' and 'exit' are the host's, and terminate() closes the port
 * (its host stops serving it) and reports 'exit' like a terminated worker.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { KernelThread, KernelThreadKind } from './thread.ts';

const HOST_SCRIPT = new URL('./host.mjs', import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Listener = (x: any) => void;

interface Host {
  worker: Worker;
  /** Set once the host failed or exited: its threads are failed too, and new ones go to a fresh host. */
  dead: boolean;
}

let hosts: Host[] = [];

function host(i: number): Host {
  let h = hosts[i];
  if (!h || h.dead) {
    const worker = new Worker(HOST_SCRIPT, { execArgv: [] });
    worker.unref();
    const fresh: Host = { worker, dead: false };
    const die = () => void (fresh.dead = true);
    worker.on('error', die);
    worker.on('exit', die);
    hosts[i] = h = fresh;
  }
  return h;
}

class HostedThread implements KernelThread {
  private readonly port: MessagePort;
  private readonly exitFns: Listener[] = [];
  private exited = false;

  /** Listeners this thread put on its host, taken off when it exits (a host outlives many pools). */
  private readonly hostListeners: ['error' | 'exit', Listener][] = [];

  constructor(
    private readonly h: Host,
    kind: KernelThreadKind,
    data: unknown,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    h.worker.postMessage({ kind, data, port: port2 }, [port2]);
    this.onHost('exit', (code: number) => this.exit(code));
  }

  private onHost(event: 'error' | 'exit', fn: Listener, once = false): void {
    this.hostListeners.push([event, fn]);
    if (once) this.h.worker.once(event, fn);
    else this.h.worker.on(event, fn);
  }

  private exit(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.port.close();
    for (const [event, fn] of this.hostListeners) this.h.worker.off(event, fn);
    for (const fn of this.exitFns) fn(code);
  }

  postMessage(msg: unknown, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(msg, transfer);
  }

  on(event: 'message' | 'error' | 'exit', fn: Listener): this {
    if (event === 'message') this.port.on('message', fn);
    else if (event === 'error') this.onHost('error', fn);
    else this.exitFns.push(fn);
    return this;
  }

  once(event: 'message' | 'error', fn: Listener): this {
    if (event === 'message') this.port.once('message', fn);
    else this.onHost('error', fn, true);
    return this;
  }

  ref(): void {
    this.port.ref();
  }

  unref(): void {
    this.port.unref();
  }

  async terminate(): Promise<void> {
    this.exit(1);
  }
}

/** A kernel thread of `kind` on host `i` (hosts are started on first use, one per index). */
export function startHostedThread(i: number, kind: KernelThreadKind, data: unknown): KernelThread {
  return new HostedThread(host(i), kind, data);
}

/** Stops every host (tests); threads on them report 'exit'. */
export async function terminateHosts(): Promise<void> {
  const all = hosts;
  hosts = [];
  await Promise.all(all.map((h) => h.worker.terminate()));
}
