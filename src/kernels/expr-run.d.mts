// Types for expr-run.mjs (plain JS so that worker threads can load it without tsx).
export type Instr =
  | { op: 'load'; dst: number; leaf: number; shift: number }
  | { op: 'vv'; fn: 'k_add' | 'k_sub' | 'k_mul'; dst: number; a: number; b: number }
  | { op: 'vs'; fn: 'k_scale' | 'k_addScalar'; dst: number; a: number; c: number }
  | { op: 'sv-sub'; dst: number; a: number; c: number }
  | { op: 'fold'; a: number; c: number };
export interface Plan {
  rows: number;
  numRegs: number;
  /** Scalars as 32-byte Montgomery values, slot i at 32·i. */
  scalars: Uint8Array;
  leaves: Uint8Array[];
  instrs: Instr[];
  minusOne: number;
  sumSlot: number;
}
export declare const CHUNK_ROWS: number;
export declare function planBytes(plan: Plan): number;
export declare function runPlan(
  x: Record<string, (...args: number[]) => number | void>,
  memory: WebAssembly.Memory,
  base: number,
  plan: Plan,
): Uint8Array;
