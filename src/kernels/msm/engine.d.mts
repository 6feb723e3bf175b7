// Types for engine.mjs (plain JS so that worker threads can load it without tsx).
import type { MsmLayout } from './build.ts';
export interface BaseSlot {
  version: number;
  ptr: number;
  cap: number;
  bytes: number;
  ident: Uint8Array;
}
export interface WindowPart {
  w0: number;
  sums: Uint8Array;
}
export declare class MsmEngine {
  constructor(module: WebAssembly.Module, layout: MsmLayout);
  readonly memory: WebAssembly.Memory;
  loadBases(key: number, version: number, src: Uint8Array): BaseSlot;
  run(
    slot: BaseSlot,
    scalars: Uint8Array,
    width: number,
    signs: Uint8Array | null,
    c: number,
    p0: number,
    p1: number,
    w0: number,
    w1: number,
    K: number,
    stride?: number,
    row0?: number,
  ): Uint8Array;
  buildShifted(slot: BaseSlot, c: number, W: number, N: number, p0: number, p1: number, out: Uint8Array): void;
  loadTable(key: number, version: number, src: Uint8Array, N: number): BaseSlot;
  combine(parts: WindowPart[], W: number, c: number): Uint8Array;
  fixedBase(slot: BaseSlot, scalars: Uint8Array, p0: number, p1: number): Uint8Array;
}
