/**
 * Bulk evaluation of many expressions over column buffers (the quotient's constraint folding), in the WASM
 * field kernel. Expressions are recorded as a DAG (leaves = column vectors read at a cyclic shift,
 * scalars, add / sub / mul), then evaluated chunk by chunk of rows: leaves are copied into registers in
 * WASM memory once per chunk and every node is one kernel call on registers. Intermediate values never
 * leave WASM memory and never exist at full length, so the pass allocates nothing per node (the previous
 * whole-vector evaluation allocated one N-element vector per node).
 *
 * Registers are assigned once per DAG by liveness (a node's register is freed after its last consumer),
 * so the register file is as wide as the DAG, not as long as it. A scheduled DAG is a plain-data Plan
 * (kernels/expr-run.mjs runs it), so independent plans — the quotient's cosets — run side by side on
 * worker threads, each with its own instance of the Fr kernel (evaluatePlans).
 */
import { FR_MODULUS, frAdd, frMul, frNeg, frSub } from '../scalar/fr.ts';
import { KernelWorkers } from './workers.ts';
import { hardwareThreads } from './platform.ts';
import { frToMontBytes, type FrVec } from '../scalar/mont.ts';
import { N8, frKernel, frKernelArena } from './fr-wasm.ts';
import { OP, planBytes, runPlan, type Plan } from './expr-run.mjs';

export type { Plan } from './expr-run.mjs';

export type NodeId = number;

type Node =
  | { kind: 'scalar'; value: bigint }
  | { kind: 'leaf'; vec: FrVec; shift: number }
  | { kind: 'add' | 'sub' | 'mul'; a: NodeId; b: NodeId };

export class ExprDag {
  private readonly nodes: Node[] = [];
  private readonly leafIds = new Map<FrVec, Map<number, NodeId>>();

  constructor(readonly rows: number) {}

  scalar(v: bigint): NodeId {
    this.nodes.push({ kind: 'scalar', value: ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS });
    return this.nodes.length - 1;
  }

  /** Row i reads vec[(i + shift) mod rows]; the same (vec, shift) is one node. */
  leaf(vec: FrVec, shift: number): NodeId {
    if (vec.length !== this.rows * N8) throw new RangeError(`leaf has ${vec.length / N8} rows, expected ${this.rows}`);
    const s = ((shift % this.rows) + this.rows) % this.rows;
    let byShift = this.leafIds.get(vec);
    if (!byShift) this.leafIds.set(vec, (byShift = new Map()));
    const known = byShift.get(s);
    if (known !== undefined) return known;
    this.nodes.push({ kind: 'leaf', vec, shift: s });
    byShift.set(s, this.nodes.length - 1);
    return this.nodes.length - 1;
  }

  scalarValue(id: NodeId): bigint | null {
    const n = this.nodes[id]!;
    return n.kind === 'scalar' ? n.value : null;
  }

  add(a: NodeId, b: NodeId): NodeId {
    const [x, y] = [this.scalarValue(a), this.scalarValue(b)];
    if (x !== null && y !== null) return this.scalar(frAdd(x, y));
    if (x === 0n) return b;
    if (y === 0n) return a;
    return this.op('add', a, b);
  }

  sub(a: NodeId, b: NodeId): NodeId {
    const [x, y] = [this.scalarValue(a), this.scalarValue(b)];
    if (x !== null && y !== null) return this.scalar(frSub(x, y));
    if (y === 0n) return a;
    return this.op('sub', a, b);
  }

  mul(a: NodeId, b: NodeId): NodeId {
    const [x, y] = [this.scalarValue(a), this.scalarValue(b)];
    if (x !== null && y !== null) return this.scalar(frMul(x, y));
    if (x === 0n || y === 0n) return this.scalar(0n);
    if (x === 1n) return b;
    if (y === 1n) return a;
    return this.op('mul', a, b);
  }

  private op(kind: 'add' | 'sub' | 'mul', a: NodeId, b: NodeId): NodeId {
    this.nodes.push({ kind, a, b });
    return this.nodes.length - 1;
  }

  /** Σ_j coeffs_j · roots_j at every row, as an FrVec of `rows` elements (on this thread). */
  evaluateCombination(roots: readonly NodeId[], coeffs: readonly bigint[]): FrVec {
    return runOnMainThread(this.plan(roots, coeffs));
  }

  /** The schedule for Σ_j coeffs_j · roots_j, to run here or on a worker (evaluatePlans). */
  plan(roots: readonly NodeId[], coeffs: readonly bigint[]): Plan {
    if (roots.length !== coeffs.length) throw new RangeError('evaluateCombination: one coefficient per root');
    return this.schedule(roots, coeffs);
  }

  /** Static schedule: instructions in node order with registers assigned by liveness. */
  private schedule(roots: readonly NodeId[], coeffs: readonly bigint[]): Plan {
    const nodes = this.nodes;
    // Reachable nodes and each node's last consumer (in node order; a root's fold happens at its root index).
    const foldAt = new Map<NodeId, bigint>();
    let scalarSum = 0n;
    roots.forEach((r, j) => {
      const v = this.scalarValue(r);
      if (v !== null) scalarSum = frAdd(scalarSum, frMul(v, coeffs[j]!));
      else foldAt.set(r, frAdd(foldAt.get(r) ?? 0n, coeffs[j]!));
    });
    const live = new Uint8Array(nodes.length);
    const lastUse = new Int32Array(nodes.length).fill(-1);
    for (const r of foldAt.keys()) {
      live[r] = 1;
      lastUse[r] = r;
    }
    for (let id = nodes.length - 1; id >= 0; id--) {
      const n = nodes[id]!;
      if (!live[id] || n.kind === 'scalar' || n.kind === 'leaf') continue;
      for (const c of [n.a, n.b]) {
        live[c] = 1;
        if (lastUse[c]! < id) lastUse[c] = id;
      }
    }

    const scalars: bigint[] = [];
    const scalarSlot = (v: bigint) => (scalars.push(v), scalars.length - 1);
    const reg = new Int32Array(nodes.length).fill(-1);
    const free: number[] = [];
    let numRegs = 0;
    const take = () => (free.length ? free.pop()! : numRegs++);
    const code: number[] = [];
    const emit = (op: number, dst: number, a: number, b: number) => code.push(op, dst, a, b);
    const leaves: FrVec[] = [];
    const leafIndex = new Map<FrVec, number>();
    for (let id = 0; id < nodes.length; id++) {
      const n = nodes[id]!;
      if (!live[id] || n.kind === 'scalar') continue;
      if (n.kind === 'leaf') {
        reg[id] = take();
        let li = leafIndex.get(n.vec);
        if (li === undefined) leafIndex.set(n.vec, (li = leaves.push(n.vec) - 1));
        emit(OP.LOAD, reg[id]!, li, n.shift);
      } else {
        const sa = this.scalarValue(n.a);
        const sb = this.scalarValue(n.b);
        // Operands whose last use is here give their registers back first: ops are elementwise, so the
        // result may overwrite an operand in place.
        for (const c of new Set([n.a, n.b])) if (reg[c]! >= 0 && lastUse[c] === id) free.push(reg[c]!);
        const dst = take();
        reg[id] = dst;
        if (sa === null && sb === null) {
          emit(n.kind === 'add' ? OP.ADD : n.kind === 'sub' ? OP.SUB : OP.MUL, dst, reg[n.a]!, reg[n.b]!);
        } else if (sb !== null) {
          // v ∘ s
          if (n.kind === 'mul') emit(OP.SCALE, dst, reg[n.a]!, scalarSlot(sb));
          else emit(OP.ADD_SCALAR, dst, reg[n.a]!, scalarSlot(n.kind === 'add' ? sb : frNeg(sb)));
        } else {
          // s ∘ v
          if (n.kind === 'mul') emit(OP.SCALE, dst, reg[n.b]!, scalarSlot(sa!));
          else if (n.kind === 'add') emit(OP.ADD_SCALAR, dst, reg[n.b]!, scalarSlot(sa!));
          else emit(OP.SV_SUB, dst, reg[n.b]!, scalarSlot(sa!));
        }
      }
      const c = foldAt.get(id);
      if (c !== undefined) emit(OP.FOLD, 0, reg[id]!, scalarSlot(c));
      if (lastUse[id] === id) free.push(reg[id]!);
    }
    const minusOne = scalarSlot(FR_MODULUS - 1n);
    const sumSlot = scalarSlot(scalarSum);
    const scalarBytes = new Uint8Array(scalars.length * N8);
    scalars.forEach((v, i) => frToMontBytes(v, scalarBytes, i * N8));
    return { rows: this.rows, numRegs, scalars: scalarBytes, leaves, code: Int32Array.from(code), minusOne, sumSlot };
  }
}

function runOnMainThread(plan: Plan): FrVec {
  const base = frKernelArena(planBytes(plan));
  const k = frKernel();
  return runPlan(k.x, k.memory, base, plan);
}

/**
 * Runs independent plans side by side: one per worker thread (one worker per extra core, each with its own
 * copy of the Fr kernel; leaves are copied to it) and the rest on this thread meanwhile. Same results as
 * running each with evaluateCombination.
 */
export async function evaluatePlans(plans: readonly Plan[]): Promise<FrVec[]> {
  const pool = exprPool();
  const out: FrVec[] = new Array(plans.length);
  const remote: Promise<void>[] = [];
  const local: number[] = [];
  plans.forEach((p, i) => {
    if (i > 0 && remote.length < pool.length) remote.push(pool[remote.length]!.run(p).then((v) => void (out[i] = v)));
    else local.push(i);
  });
  for (const i of local) out[i] = runOnMainThread(plans[i]!);
  await Promise.all(remote);
  return out;
}

/** A worker that runs plans (lifecycle in workers.ts: held open only while a plan is in flight); restarted after a failure. */
class ExprWorker {
  private group: KernelWorkers | null = null;
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: (v: FrVec) => void; reject: (e: Error) => void }>();

  private start(): KernelWorkers {
    const k = frKernel();
    const group = new KernelWorkers(
      'expr',
      [{ module: k.module, pages: k.pages }],
      'expression',
      {
        message: (_i, m) => {
          const { id, out, error } = m as { id: number; out?: Uint8Array; error?: string };
          const p = this.waiting.get(id);
          if (!p) return;
          this.waiting.delete(id);
          group.done(0);
          if (error !== undefined) p.reject(new Error(`expression worker: ${error}`));
          else p.resolve(out!);
        },
        fail: (e) => {
          if (this.group === group) this.group = null;
          for (const p of this.waiting.values()) p.reject(e);
          this.waiting.clear();
        },
      },
      false,
    );
    return group;
  }

  /** Boots the worker now, if it is not running. */
  warm(): void {
    this.group ??= this.start();
  }

  run(plan: Plan): Promise<FrVec> {
    const g = (this.group ??= this.start());
    const id = this.nextId++;
    return new Promise<FrVec>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      g.post(0, { id, plan });
    });
  }
}

/**
 * Runs plans on the worker threads only, one each (any beyond their count here), leaving this thread free
 * meanwhile: the quotient transforms its next coset while the workers evaluate this one.
 */
export async function evaluatePlansRemote(plans: readonly Plan[]): Promise<FrVec[]> {
  const pool = exprPool();
  return Promise.all(plans.map((p, i) => (i < pool.length ? pool[i]!.run(p) : Promise.resolve(runOnMainThread(p)))));
}

/** How many plans evaluatePlans runs at once (this thread plus one worker per extra core). */
export function exprParallelism(): number {
  return hardwareThreads();
}

/** Worker threads that run plans (one per core where there are several; none on one core). */
export function exprRemoteThreads(): number {
  return exprPool().length;
}

/** Starts the expression workers now (they boot while the caller does other work). */
export function startExprWorkers(): void {
  for (const w of exprPool()) w.warm();
}

let workers: ExprWorker[] | null = null;
function exprPool(): ExprWorker[] {
  // One per core (they share the kernel hosts in Node): evaluatePlans uses all but one beside this thread,
  // evaluatePlansRemote all of them while this thread does other work.
  const cores = hardwareThreads();
  return (workers ??= Array.from({ length: cores > 1 ? cores : 0 }, () => new ExprWorker()));
}
