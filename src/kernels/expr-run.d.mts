// Types for expr-run.mjs (plain JS so that worker threads can load it without tsx).
/** Instruction opcodes of a plan's code (expr-run.mjs: 4 int32 per instruction, [op, dst, a, b]). */
export declare const OP: { LOAD: 0; ADD: 1; SUB: 2; MUL: 3; SCALE: 4; ADD_SCALAR: 5; SV_SUB: 6; FOLD: 7 };
export interface Plan {
  rows: number;
  numRegs: number;
  /** Scalars as 32-byte Montgomery values, slot i at 32·i. */
  scalars: Uint8Array;
  leaves: Uint8Array[];
  /** Instructions, 4 int32 each (see OP). */
  code: Int32Array;
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
