/**
 * Our own Fr vector kernel: one WASM module built at first use with wasmbuilder + wasmcurves' Montgomery
 * field code (`frm_*`, 32-byte little-endian Montgomery elements, the ffjavascript buffer format), plus loop
 * functions so that each vector operation is one JS→WASM call per chunk. Single threaded, synchronous.
 *
 * Memory: our own WebAssembly.Memory with fixed scratch buffers of CHUNK elements (A, B, O), a sign buffer S
 * and constant slots C0..C3. Callers copy chunks of their JS-side vectors in, call a kernel, copy out.
 * Address 0 holds wasmcurves' bump pointer (used by frm_batchInverse for its scratch; it restores it).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Untyped CommonJS builders (wasmbuilder / wasmcurves ship no declarations).
/* eslint-disable @typescript-eslint/no-explicit-any */
const { ModuleBuilder } = require('wasmbuilder') as { ModuleBuilder: new () => any };
const buildF1m = require('wasmcurves/src/build_f1m.js') as (m: any, q: bigint, prefix: string, intPrefix: string) => string;
const buildFFT = require('wasmcurves/src/build_fft.js') as (m: any, prefix: string, gPrefix: string, fPrefix: string, opMul: string) => void;

/** Elements per chunk (32 bytes each: 512 KiB per scratch buffer). */
export const CHUNK = 1 << 14;
export const N8 = 32;

const R_MOD = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

type Ptr = number;
export interface FrKernel {
  readonly memory: WebAssembly.Memory;
  /** Scratch buffers of CHUNK elements. */
  readonly A: Ptr;
  readonly B: Ptr;
  readonly O: Ptr;
  /** CHUNK i32 slots (signs). */
  readonly S: Ptr;
  /** 32-byte constant slots. */
  readonly C0: Ptr;
  readonly C1: Ptr;
  readonly C2: Ptr;
  readonly C3: Ptr;
  /** Scratch for FFT of up to 2^FFT_MAX_LOG elements (own NTT). */
  readonly F: Ptr;
  readonly fftMaxLog: number;
  readonly x: Record<string, (...args: number[]) => number | void>;
  /** The compiled module and its initial page count, so worker threads can instantiate their own copy. */
  readonly module: WebAssembly.Module;
  readonly pages: number;
}

export const FFT_MAX_LOG = 16;

let kernel: FrKernel | null = null;

/** Adds `name(p0, p1, ..., n)` looping n times; each pointer param advances by its stride per iteration. */
function addLoop(
  module: any,
  name: string,
  ptrs: { name: string; stride: number }[],
  body: (c: any) => any[],
) {
  const f = module.addFunction(name);
  for (const p of ptrs) f.addParam(p.name, 'i32');
  f.addParam('n', 'i32');
  f.addLocal('i', 'i32');
  const c = f.getCodeBuilder();
  const advance: any[] = [];
  for (const p of ptrs) {
    if (p.stride !== 0) advance.push(...c.setLocal(p.name, c.i32_add(c.getLocal(p.name), c.i32_const(p.stride))));
  }
  f.addCode(
    c.setLocal('i', c.i32_const(0)),
    c.block(
      c.loop(
        c.br_if(1, c.i32_eq(c.getLocal('i'), c.getLocal('n'))),
        ...body(c),
        ...advance,
        c.setLocal('i', c.i32_add(c.getLocal('i'), c.i32_const(1))),
        c.br(0),
      ),
    ),
  );
  module.exportFunction(name);
}

function build(): FrKernel {
  const module = new ModuleBuilder();
  buildF1m(module, R_MOD, 'frm', 'frint');
  buildFFT(module, 'frm', 'frm', 'frm', 'frm_mul');

  const s = N8;
  const T = module.alloc(N8);
  const g = (c: any, n: string) => c.getLocal(n);

  // out_i = a_i ∘ b_i
  for (const [name, op] of [
    ['k_add', 'frm_add'],
    ['k_sub', 'frm_sub'],
    ['k_mul', 'frm_mul'],
  ] as const) {
    addLoop(module, name, [{ name: 'a', stride: s }, { name: 'b', stride: s }, { name: 'o', stride: s }], (c) =>
      c.call(op, g(c, 'a'), g(c, 'b'), g(c, 'o')),
    );
  }
  // out_i = a_i ∘ c (constant)
  for (const [name, op] of [
    ['k_scale', 'frm_mul'],
    ['k_addScalar', 'frm_add'],
  ] as const) {
    addLoop(module, name, [{ name: 'a', stride: s }, { name: 'c', stride: 0 }, { name: 'o', stride: s }], (c) =>
      c.call(op, g(c, 'a'), g(c, 'c'), g(c, 'o')),
    );
  }
  // acc_i += a_i · c
  addLoop(module, 'k_mulAddScaled', [{ name: 'acc', stride: s }, { name: 'a', stride: s }, { name: 'c', stride: 0 }], (c) => [
    ...c.call('frm_mul', g(c, 'a'), g(c, 'c'), c.i32_const(T)),
    ...c.call('frm_add', g(c, 'acc'), c.i32_const(T), g(c, 'acc')),
  ]);
  addLoop(module, 'k_toMont', [{ name: 'a', stride: s }, { name: 'o', stride: s }], (c) =>
    c.call('frm_toMontgomery', g(c, 'a'), g(c, 'o')),
  );
  addLoop(module, 'k_fromMont', [{ name: 'a', stride: s }, { name: 'o', stride: s }], (c) =>
    c.call('frm_fromMontgomery', g(c, 'a'), g(c, 'o')),
  );
  // o_i = toMont(a_i), negated where sign_i ≠ 0
  addLoop(module, 'k_fromSigned', [{ name: 'a', stride: s }, { name: 'sg', stride: 4 }, { name: 'o', stride: s }], (c) => [
    ...c.call('frm_toMontgomery', g(c, 'a'), g(c, 'o')),
    ...c.if(c.i32_load(g(c, 'sg')), c.call('frm_neg', g(c, 'o'), g(c, 'o'))),
  ]);
  // o_i = acc; acc *= base
  addLoop(module, 'k_powers', [{ name: 'acc', stride: 0 }, { name: 'base', stride: 0 }, { name: 'o', stride: s }], (c) => [
    ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ...c.call('frm_mul', g(c, 'acc'), g(c, 'base'), g(c, 'acc')),
  ]);
  // o_i = a_i · acc; acc *= base
  addLoop(
    module,
    'k_mulPowers',
    [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }, { name: 'base', stride: 0 }, { name: 'o', stride: s }],
    (c) => [
      ...c.call('frm_mul', g(c, 'a'), g(c, 'acc'), g(c, 'o')),
      ...c.call('frm_mul', g(c, 'acc'), g(c, 'base'), g(c, 'acc')),
    ],
  );
  // acc += a_i · b_i
  addLoop(module, 'k_dot', [{ name: 'a', stride: s }, { name: 'b', stride: s }, { name: 'acc', stride: 0 }], (c) => [
    ...c.call('frm_mul', g(c, 'a'), g(c, 'b'), c.i32_const(T)),
    ...c.call('frm_add', g(c, 'acc'), c.i32_const(T), g(c, 'acc')),
  ]);
  // Exclusive scans (running products / sums of the permutation and logUp accumulators): o_i = acc; acc ∘= a_i
  addLoop(module, 'k_scanMul', [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }, { name: 'o', stride: s }], (c) => [
    ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ...c.call('frm_mul', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
  ]);
  addLoop(module, 'k_scanAdd', [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }, { name: 'o', stride: s }], (c) => [
    ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ...c.call('frm_add', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
  ]);
  // acc += a_i
  addLoop(module, 'k_sum', [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }], (c) =>
    c.call('frm_add', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
  );
  // Horner, walking DOWN from pointer `a` (caller passes the last element): acc = acc·x + a_i
  addLoop(module, 'k_horner', [{ name: 'a', stride: -s }, { name: 'x', stride: 0 }, { name: 'acc', stride: 0 }], (c) => [
    ...c.call('frm_mul', g(c, 'acc'), g(c, 'x'), g(c, 'acc')),
    ...c.call('frm_add', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
  ]);
  // Suffix Horner (synthetic division), walking down: acc = acc·x + a_i; o_i = acc
  addLoop(
    module,
    'k_hornerSuffix',
    [{ name: 'a', stride: -s }, { name: 'x', stride: 0 }, { name: 'acc', stride: 0 }, { name: 'o', stride: -s }],
    (c) => [
      ...c.call('frm_mul', g(c, 'acc'), g(c, 'x'), g(c, 'acc')),
      ...c.call('frm_add', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
      ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ],
  );

  const A = module.alloc(CHUNK * N8);
  const B = module.alloc(CHUNK * N8);
  const O = module.alloc(CHUNK * N8);
  const S = module.alloc(CHUNK * 4);
  const C0 = module.alloc(N8);
  const C1 = module.alloc(N8);
  const C2 = module.alloc(N8);
  const C3 = module.alloc(N8);
  const F = module.alloc((1 << FFT_MAX_LOG) * N8);
  // Room after the bump pointer for frm_batchInverse's (n+1)·32-byte scratch, n ≤ CHUNK.
  const needed = module.free + (CHUNK + 2) * N8 + 65536;
  const pages = Math.ceil(needed / 65536);
  module.setMemory(pages);
  const code: Uint8Array = module.build();
  const memory = new WebAssembly.Memory({ initial: pages });
  const wasmModule = new WebAssembly.Module(code as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(wasmModule, { env: { memory } });
  return {
    memory,
    A,
    B,
    O,
    S,
    C0,
    C1,
    C2,
    C3,
    F,
    fftMaxLog: FFT_MAX_LOG,
    x: instance.exports as unknown as FrKernel['x'],
    module: wasmModule,
    pages,
  };
}

/**
 * A scratch region of at least `bytes` bytes past the kernel's fixed buffers (memory grows on demand).
 * One arena, reused by each caller for the duration of a synchronous computation; growing detaches old
 * views of `memory.buffer`, so callers re-read it after this call.
 */
export function frKernelArena(bytes: number): number {
  const k = frKernel();
  const base = arenaBase ??= k.memory.buffer.byteLength;
  const need = base + bytes - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  return base;
}
let arenaBase: number | undefined;

/** The kernel (built synchronously on first call, ~tens of ms). */
export function frKernel(): FrKernel {
  if (!kernel) kernel = build();
  return kernel;
}
