/**
 * Bulk evaluation of many expressions over column buffers (the quotient's constraint folding), in the WASM
 * field kernel. Expressions are recorded as a DAG (leaves = column vectors read at a cyclic shift,
 * scalars, add / sub / mul), then evaluated chunk by chunk of rows: leaves are copied into registers in
 * WASM memory once per chunk and every node is one kernel call on registers. Intermediate values never
 * leave WASM memory and never exist at full length, so the pass allocates nothing per node (the previous
 * whole-vector evaluation allocated one N-element vector per node).
 *
 * Registers are assigned once per DAG by liveness (a node's register is freed after its last consumer),
 * so the register file is as wide as the DAG, not as long as it.
 */
import { FR_MODULUS, frAdd, frMul, frNeg, frSub } from '../field/fr.ts';
import { frToMontBytes, type FrVec } from '../field/frvec.ts';
import { N8, frKernel, frKernelArena } from './fr-wasm.ts';

export type NodeId = number;

/** Rows per evaluation chunk (registers are CHUNK_ROWS × 32 bytes). */
const CHUNK_ROWS = 2048;

type Node =
  | { kind: 'scalar'; value: bigint }
  | { kind: 'leaf'; vec: FrVec; shift: number }
  | { kind: 'add' | 'sub' | 'mul'; a: NodeId; b: NodeId };

type Instr =
  | { op: 'load'; dst: number; vec: FrVec; shift: number }
  | { op: 'vv'; fn: 'k_add' | 'k_sub' | 'k_mul'; dst: number; a: number; b: number }
  | { op: 'vs'; fn: 'k_scale' | 'k_addScalar'; dst: number; a: number; c: number }
  /** dst = c − a, as (−1)·a then + c */
  | { op: 'sv-sub'; dst: number; a: number; c: number }
  | { op: 'fold'; a: number; c: number };

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

  /** Σ_j coeffs_j · roots_j at every row, as an FrVec of `rows` elements. */
  evaluateCombination(roots: readonly NodeId[], coeffs: readonly bigint[]): FrVec {
    if (roots.length !== coeffs.length) throw new RangeError('evaluateCombination: one coefficient per root');
    const plan = this.schedule(roots, coeffs);
    return this.run(plan);
  }

  /** Static schedule: instructions in node order with registers assigned by liveness. */
  private schedule(roots: readonly NodeId[], coeffs: readonly bigint[]) {
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
    const instrs: Instr[] = [];
    for (let id = 0; id < nodes.length; id++) {
      const n = nodes[id]!;
      if (!live[id] || n.kind === 'scalar') continue;
      if (n.kind === 'leaf') {
        reg[id] = take();
        instrs.push({ op: 'load', dst: reg[id]!, vec: n.vec, shift: n.shift });
      } else {
        const sa = this.scalarValue(n.a);
        const sb = this.scalarValue(n.b);
        // Operands whose last use is here give their registers back first: ops are elementwise, so the
        // result may overwrite an operand in place.
        for (const c of new Set([n.a, n.b])) if (reg[c]! >= 0 && lastUse[c] === id) free.push(reg[c]!);
        const dst = take();
        reg[id] = dst;
        if (sa === null && sb === null) {
          instrs.push({ op: 'vv', fn: n.kind === 'add' ? 'k_add' : n.kind === 'sub' ? 'k_sub' : 'k_mul', dst, a: reg[n.a]!, b: reg[n.b]! });
        } else if (sb !== null) {
          // v ∘ s
          if (n.kind === 'mul') instrs.push({ op: 'vs', fn: 'k_scale', dst, a: reg[n.a]!, c: scalarSlot(sb) });
          else instrs.push({ op: 'vs', fn: 'k_addScalar', dst, a: reg[n.a]!, c: scalarSlot(n.kind === 'add' ? sb : frNeg(sb)) });
        } else {
          // s ∘ v
          if (n.kind === 'mul') instrs.push({ op: 'vs', fn: 'k_scale', dst, a: reg[n.b]!, c: scalarSlot(sa!) });
          else if (n.kind === 'add') instrs.push({ op: 'vs', fn: 'k_addScalar', dst, a: reg[n.b]!, c: scalarSlot(sa!) });
          else instrs.push({ op: 'sv-sub', dst, a: reg[n.b]!, c: scalarSlot(sa!) });
        }
      }
      const c = foldAt.get(id);
      if (c !== undefined) instrs.push({ op: 'fold', a: reg[id]!, c: scalarSlot(c) });
      if (lastUse[id] === id) free.push(reg[id]!);
    }
    const minusOne = scalarSlot(FR_MODULUS - 1n);
    const sumSlot = scalarSlot(scalarSum);
    return { instrs, numRegs, scalars, minusOne, sumSlot };
  }

  private run(plan: ReturnType<ExprDag['schedule']>): FrVec {
    const { instrs, numRegs, scalars } = plan;
    const rows = this.rows;
    const chunk = Math.min(CHUNK_ROWS, rows);
    const regBytes = chunk * N8;
    // Arena: scalars, then the accumulator, then the registers.
    const scalarBytes = Math.ceil((scalars.length * N8) / 64) * 64;
    const base = frKernelArena(scalarBytes + (numRegs + 1) * regBytes);
    const k = frKernel();
    let m = new Uint8Array(k.memory.buffer);
    scalars.forEach((v, i) => frToMontBytes(v, m, base + i * N8));
    const sc = (i: number) => base + i * N8;
    const acc = base + scalarBytes;
    const R = (r: number) => acc + (r + 1) * regBytes;
    const x = k.x;
    const out = new Uint8Array(rows * N8);
    for (let start = 0; start < rows; start += chunk) {
      const len = Math.min(chunk, rows - start);
      m.fill(0, acc, acc + len * N8);
      for (const ins of instrs) {
        switch (ins.op) {
          case 'load': {
            // Rows start..start+len of the shifted view, wrapping at the end of the vector.
            const from = (start + ins.shift) % rows;
            const first = Math.min(len, rows - from);
            m.set(ins.vec.subarray(from * N8, (from + first) * N8), R(ins.dst));
            if (first < len) m.set(ins.vec.subarray(0, (len - first) * N8), R(ins.dst) + first * N8);
            break;
          }
          case 'vv':
            x[ins.fn]!(R(ins.a), R(ins.b), R(ins.dst), len);
            break;
          case 'vs':
            x[ins.fn]!(R(ins.a), sc(ins.c), R(ins.dst), len);
            break;
          case 'sv-sub':
            x.k_scale!(R(ins.a), sc(plan.minusOne), R(ins.dst), len);
            x.k_addScalar!(R(ins.dst), sc(ins.c), R(ins.dst), len);
            break;
          case 'fold':
            x.k_mulAddScaled!(acc, R(ins.a), sc(ins.c), len);
            break;
        }
      }
      x.k_addScalar!(acc, sc(plan.sumSlot), acc, len);
      out.set(m.subarray(acc, acc + len * N8), start * N8);
    }
    return out;
  }
}
