/**
 * Test harness for ops: builds a one-node ONNX model with our writer, runs onnxruntime-node on random
 * inputs, and checks (1) our float evaluator against it, (2) our integer evaluator against our float one
 * within a bound stated per case in units of 2^-s.
 */
import assert from 'node:assert/strict';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { importOnnx } from '../../src/model/load.ts';
import { evaluateFloat } from '../../src/model/float-eval.ts';
import { evaluateInt } from '../../src/model/int-eval.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { ortSession, runOrt } from '../../src/model/ort.ts';
import type { Attr, Graph, Tensor } from '../../src/graph/ir.ts';
import type { Arr } from '../../src/layers/types.ts';
import { opDef } from '../../src/layers/registry.ts';
import { tensorValues } from '../../src/model/simplify.ts';

/** Deterministic PRNG (mulberry32), so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One op test case. Inputs with `value` become initializers; others are random graph inputs. */
export interface OpCase {
  title: string;
  op: string;
  attrs?: Record<string, Attr>;
  inputs: { shape: number[]; value?: number[]; dtype?: Tensor['dtype']; range?: [number, number]; empty?: boolean }[];
  outputs?: number;
  opset?: number;
  /** Integer vs float bound in units of 2^-s (default 2); null skips the integer check. */
  ulps?: number | null;
  /** Relative+absolute tolerance of float vs onnxruntime (default 1e-5). */
  ortTol?: number;
  scaleBits?: number;
  /** Expected output shapes (checks the shape rule). */
  shapes?: number[][];
}

/** Builds the one-node graph of a case. */
export function caseGraph(c: OpCase): Graph {
  const g: Graph = { name: c.title, inputs: [], outputs: [], nodes: [], initializers: {}, valueInfo: {}, opset: c.opset ?? 13 };
  const names = c.inputs.map((inp, i) => {
    if (inp.empty) return '';
    const name = `in${i}`;
    if (inp.value) {
      const dt = inp.dtype ?? 'float32';
      g.initializers[name] = dt === 'float32' ? { dtype: dt, shape: inp.shape, data: Float32Array.from(inp.value) } : { dtype: dt, shape: inp.shape, data: Float64Array.from(inp.value) };
    } else g.inputs.push({ name, dtype: 'float32', shape: inp.shape });
    return name;
  });
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, k) => `out${k}`);
  g.nodes.push({ op: c.op, name: `${c.op.toLowerCase()}_node`, inputs: names, outputs: outs, attrs: c.attrs ?? {} });
  // Output shapes are left unknown so onnxruntime's own shape inference is what the test compares with.
  g.outputs = outs.map((o) => ({ name: o, dtype: c.op === 'ArgMax' ? 'int64' : ['Equal', 'Less', 'Greater'].includes(c.op) ? 'bool' : 'float32' }));
  return g;
}

/** Random inputs for a case. */
export function caseInputs(c: OpCase, seed: number): Record<string, Arr> {
  const r = rng(seed);
  const out: Record<string, Arr> = {};
  c.inputs.forEach((inp, i) => {
    if (inp.value || inp.empty) return;
    const [lo, hi] = inp.range ?? [-2, 2];
    const n = inp.shape.reduce((a, b) => a * b, 1);
    out[`in${i}`] = { shape: inp.shape, data: Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r())) };
  });
  return out;
}

/** Runs all checks of one case; returns the measured errors for reporting. */
export async function checkCase(c: OpCase, seed = 1): Promise<{ ortDiff: number; intDiff: number; s: number }> {
  const bytes = writeOnnx(caseGraph(c));
  const inputs = caseInputs(c, seed);
  const session = await ortSession(bytes);
  const ref = await runOrt(session, inputs);
  const graph = importOnnx(bytes, c.title);
  const got = evaluateFloat(graph, inputs);
  let ortDiff = 0;
  const tol = c.ortTol ?? 1e-5;
  for (const [k, r] of Object.entries(ref)) {
    const g = got[k]!;
    assert.deepEqual(g.shape, r.shape, `${c.title}: output ${k} shape`);
    if (c.shapes) assert.deepEqual(g.shape, c.shapes[Number(k.slice(3))], `${c.title}: expected shape`);
    for (let i = 0; i < r.data.length; i++) {
      const d = Math.abs(g.data[i]! - r.data[i]!);
      ortDiff = Math.max(ortDiff, d);
      assert.ok(d <= tol * (1 + Math.abs(r.data[i]!)), `${c.title}: float vs onnxruntime at ${k}[${i}]: ${g.data[i]} vs ${r.data[i]}`);
    }
  }
  // Data-movement ops: the exposed index map, applied to the concatenated inputs, reproduces the output.
  const node = graph.nodes.length === 1 ? graph.nodes[0]! : undefined;
  const def = node && opDef(node.op);
  if (node && def?.indexMap) {
    const vals = node.inputs.map((n) => (n === '' ? new Float64Array(0) : inputs[n]?.data ?? tensorValues(graph.initializers[n]!)));
    const shapes = node.inputs.map((n) => (n === '' ? [0] : inputs[n]?.shape ?? graph.initializers[n]!.shape));
    const consts = node.inputs.map((n) => (graph.initializers[n] ? tensorValues(graph.initializers[n]!) : undefined));
    const maps = def.indexMap(node, shapes, consts);
    if (maps) {
      const all = vals.flatMap((v) => Array.from(v));
      maps.forEach((m, k) => {
        const want = got[node.outputs[k]!]!.data;
        assert.equal(m.length, want.length);
        for (let i = 0; i < m.length; i++) assert.equal(m[i]! < 0 ? 0 : all[m[i]!], want[i], `${c.title}: index map at ${i}`);
      });
    }
  }
  let intDiff = 0;
  const s = c.scaleBits ?? 10;
  if (c.ulps !== null) {
    const model = quantizeModel(graph, [inputs], { scaleBits: s });
    const res = evaluateInt(model, inputs);
    const bound = (c.ulps ?? 2) * 2 ** -s;
    for (const [k, f] of Object.entries(got)) {
      const q = res.dequantized[k]!;
      assert.deepEqual(q.shape, f.shape);
      for (let i = 0; i < f.data.length; i++) {
        const d = Math.abs(q.data[i]! - f.data[i]!);
        intDiff = Math.max(intDiff, d);
        assert.ok(d <= bound, `${c.title}: integer vs float at ${k}[${i}]: ${q.data[i]} vs ${f.data[i]} (|diff| ${d} > ${bound})`);
      }
    }
  }
  return { ortDiff, intDiff: intDiff * 2 ** s, s };
}
