/** Shared helpers of the lowering tests: small graphs, quantization, bit-exact + MockProver checks, tampering. */
import assert from 'node:assert/strict';
import { importOnnx } from '../../src/model/load.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { evaluateIntQ, quantizeInput, type QuantizedModel } from '../../src/model/int-eval.ts';
import type { Graph, Node } from '../../src/graph/ir.ts';
import type { Arr, QArr } from '../../src/layers/types.ts';
import { buildModelCircuit, type CompileOptions, type ModelCircuit } from '../../src/compiler/index.ts';
import { CircuitBuilder, type Cell, type Value } from '../../src/circuit/builder.ts';
import { describe, mockProve, prepareAssignment, type Failure } from '../../src/circuit/mock-prover.ts';
import { CopyClasses, type CopyClass, LocalChecker, usedAdviceCells } from '../../src/circuit/underconstrained.ts';
import type { Assignment } from '../../src/circuit/mock-prover.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { rng } from '../layers/harness.ts';

export const fe = (v: bigint): bigint => ((v % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;

export function randoms(seed: number): (n: number, lo?: number, hi?: number) => number[] {
  const r = rng(seed);
  return (n, lo = -1, hi = 1) => Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** A graph with input x; `outShape` is y's shape, or a list of named outputs. */
export function graph(name: string, shape: number[], outShape: number[] | Graph['outputs'], nodes: Node[], inits: Graph['initializers'], opset = 13): Graph {
  return {
    name,
    opset,
    inputs: [{ name: 'x', dtype: 'float32', shape }],
    outputs: typeof outShape[0] === 'object' ? (outShape as Graph['outputs']) : [{ name: 'y', dtype: 'float32', shape: outShape as number[] }],
    initializers: inits,
    nodes,
    valueInfo: {},
  };
}

/** Quantizes `g` at scale 2^7 on 4 random samples in [lo, hi]; returns the model and 2 more quantized inputs. */
export function quantizeSmall(g: Graph, shape: number[], lo: number, hi: number, seed = 3, scaleBits = 7) {
  const rand = randoms(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const mk = (): Record<string, Arr> => ({ x: { shape, data: Float64Array.from(rand(n, lo, hi)) } });
  const model = quantizeModel(importOnnx(writeOnnx(g)), Array.from({ length: 4 }, mk), { scaleBits });
  const inputs = Array.from({ length: 2 }, () => ({ x: quantizeInput('x', mk().x!, model.settings) }));
  return { model, inputs };
}

/** Builds the circuit, checks the public outputs equal evaluateIntQ, MockProver passes, and `kinds` are used. */
export function checkModel(model: QuantizedModel, q: Record<string, QArr>, kinds: string[], opts: CompileOptions = { width: 4 }): ModelCircuit {
  const c = buildModelCircuit(model, q, opts);
  const ref = evaluateIntQ(model, q);
  // `+ 0`: the float reference may hold −0 (e.g. a negative value times a 0 mask); the integers are equal.
  for (const o of c.publicOutputs) assert.deepEqual(o.values, Array.from(ref[o.name]!.data, (v) => v + 0), `output ${o.name}`);
  const m = mockProve(c.cs, c.k, c.assignment, { maxFailures: 5 });
  assert.ok(m.ok, m.failures.map(describe).join('\n'));
  const names = [...c.cs.gates.map((g) => g.name), ...c.cs.lookups.map((l) => l.name)].join(' ');
  for (const k of kinds) assert.ok(names.includes(k), `gate ${k} used (have ${names})`);
  return c;
}

/**
 * Tampering must be caught. First the public value in instance row 0 (+1). Then every `stride`-th row of
 * each advice column (from the row equal to the column index), for each cell in use (nonzero, copied, or
 * read by an enabled gate or lookup):
 * - the cell alone set to v + 1, v − 1, 0, 1 and −1 (0 and 1 flip booleans either way), when it is not
 *   copied anywhere (a copied cell changed alone always breaks its copy);
 * - its whole copy class — every cell copied to it, public instance cells included — moved to those
 *   values, so a change no copy constraint can see must still break a gate or lookup. Classes holding a
 *   fixed cell (constants) are pinned by the verifying key and skipped.
 * Each attempt is re-checked on the rows that read the changed cells (LocalChecker); one that passes there
 * would be confirmed by a full MockProver run and fails the assertion. Returns the number of cells tried.
 */
export function tamperCaught(c: ModelCircuit, stride: number): number {
  const inst = c.assignment.instance.map((col) => [...col]);
  inst[0]![0] = (inst[0]![0]! + 1n) % FR_MODULUS;
  assert.equal(mockProve(c.cs, c.k, { ...c.assignment, instance: inst }, { maxFailures: 1 }).ok, false, 'public output');
  const p = prepareAssignment(c.cs, c.k, c.assignment);
  const chk = new LocalChecker(c.cs, p);
  const classes = new CopyClasses(chk.space, p.copies);
  const used = new Set(usedAdviceCells(c.cs, p).map((x) => chk.space.id(x)));
  const movedClasses = new Set<CopyClass>();
  const accepted = (cls: CopyClass, v: bigint): boolean => {
    const original = chk.value(cls);
    chk.set(cls, v);
    const ok = chk.holds([cls]) && chk.confirm();
    chk.set(cls, original);
    return ok;
  };
  let tried = 0;
  for (let col = 0; col < p.advice.length; col++) {
    for (let row = col; row < p.u; row += stride) {
      const cell: Cell = { column: { type: 'advice', index: col }, row };
      if (!used.has(chk.space.id(cell))) continue;
      const cls = classes.ofCell(cell);
      const v = chk.value(cls);
      const values = [v + 1n, v - 1n, 0n, 1n, -1n].map(fe).filter((x) => x !== v);
      tried++;
      if (cls.ids.length === 1) for (const x of values) assert.equal(accepted(cls, x), false, `advice ${col} row ${row}: ${v} → ${x} accepted`);
      if (cls.ids.length === 1 || cls.hasFixed || movedClasses.has(cls)) continue;
      movedClasses.add(cls);
      for (const x of values) assert.equal(accepted(cls, x), false, `copy class of advice ${col} row ${row} (${cls.ids.length} cells): ${v} → ${x} accepted`);
    }
  }
  return tried;
}

/**
 * The private input cells of a model circuit: advice column 0 on the rows where an `input/…` range gate
 * (rangedInput) is enabled. Public inputs are copies of these cells, so their instance rows join the same
 * copy classes.
 */
export function modelInputCells(c: ModelCircuit): Cell[] {
  const out: Cell[] = [];
  for (const g of c.cs.gates) {
    if (!g.name.startsWith('input/')) continue;
    const poly = g.polys[0]!;
    const sel = poly.kind === 'mul' && poly.a.kind === 'query' && poly.a.column.type === 'fixed' ? poly.a.column.index : undefined;
    assert.ok(sel !== undefined, `gate ${g.name}: expected sel·(…) with a fixed selector`);
    frVecToBigints(c.assignment.fixed[sel]!).forEach((v, row) => {
      if (v === 1n) out.push({ column: { type: 'advice', index: 0 }, row });
    });
  }
  return out;
}

/** A gadget laid out on private inputs with its outputs public, and a way to rewrite cells and re-check. */
export function gadgetCircuit(f: (b: CircuitBuilder, xs: Value[]) => Value[], xs: (number | bigint)[]) {
  const b = new CircuitBuilder();
  const ys = f(b, b.privateInputs(xs));
  for (const y of ys) b.publicOutput(y);
  const built = b.build();
  const base = mockProve(built.cs, built.k, built.assignment);
  assert.ok(base.ok, base.failures.map(describe).join('\n'));
  /**
   * Overwrites advice cells ({column: value} per row) and the public outputs that follow them (an output
   * cell that is rewritten is re-published, so only the gadget's own constraints can object); returns the
   * failures.
   */
  const tamper = (cells: { row: number; col: number; v: bigint }[]): Failure[] => {
    const advice = built.assignment.advice.map((a, j) => {
      const mine = cells.filter((c) => c.col === j);
      if (mine.length === 0) return a;
      const t = frVecToBigints(a);
      for (const c of mine) t[c.row] = fe(c.v);
      return frVecFromBigints(t);
    });
    const instance = [ys.map((y) => fe(cells.find((c) => c.row === y.cell.row && c.col === y.cell.column.index)?.v ?? y.value))];
    const a: Assignment = { ...built.assignment, advice, instance };
    return mockProve(built.cs, built.k, a).failures;
  };
  return { built, ys, tamper };
}

/** Asserts that `failures` is non-empty and some failure's name contains `name`. */
export function rejectedBy(failures: Failure[], name: string, what: string): void {
  assert.ok(failures.length > 0, `${what}: accepted`);
  assert.ok(
    failures.some((f) => f.name.includes(name)),
    `${what}: expected a failure naming '${name}', got:\n${failures.map(describe).join('\n')}`,
  );
}
