/** Runs the CLI dispatcher in-process and captures what it prints (shared by the CLI-level tests). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.ts';
import type { Graph } from '../src/graph/ir.ts';
import { writeOnnx } from '../src/graph/onnx/writer.ts';

export async function runCli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: await main(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Gemm(4→3) → Relu → Gemm(3→2), weights fixed. */
export function tinyModel(): Graph {
  const w1 = [0.5, -0.25, 0.75, 0.1, -0.5, 0.3, 0.2, 0.9, 0.4, -0.6, 0.05, 0.15];
  const w2 = [0.3, -0.7, 0.5, -0.2, 0.6, 0.1];
  return {
    name: 'tiny',
    opset: 13,
    inputs: [{ name: 'x', dtype: 'float32', shape: [1, 4] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: [1, 2] }],
    initializers: {
      w1: { dtype: 'float32', shape: [3, 4], data: Float32Array.from(w1) },
      b1: { dtype: 'float32', shape: [3], data: Float32Array.from([0.1, -0.2, 0.05]) },
      w2: { dtype: 'float32', shape: [2, 3], data: Float32Array.from(w2) },
      b2: { dtype: 'float32', shape: [2], data: Float32Array.from([0.0, 0.25]) },
    },
    valueInfo: {},
    nodes: [
      { op: 'Gemm', name: 'fc1', inputs: ['x', 'w1', 'b1'], outputs: ['h'], attrs: { transB: { type: 'int', value: 1 } } },
      { op: 'Relu', name: 'relu', inputs: ['h'], outputs: ['hr'], attrs: {} },
      { op: 'Gemm', name: 'fc2', inputs: ['hr', 'w2', 'b2'], outputs: ['y'], attrs: { transB: { type: 'int', value: 1 } } },
    ],
  } as Graph;
}

/**
 * The tiny model written as ONNX into a fresh temporary directory, with two calibration samples and an
 * input (the API tests' common fixture); `remove` deletes the directory.
 */
export function tinyModelFiles(prefix: string): { dir: string; model: string; calibrationText: string; input: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const model = join(dir, 'tiny.onnx');
  writeFileSync(model, writeOnnx(tinyModel()));
  return {
    dir,
    model,
    calibrationText: JSON.stringify({ samples: [{ input: [0.2, 0.9, 0.4, 0.7] }, { input: [-0.5, 0.3, 0.1, -0.9] }] }),
    input: JSON.stringify({ input: [0.5, 0.1, 0.8, 0.3] }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
