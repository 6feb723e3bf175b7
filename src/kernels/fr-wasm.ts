/**
 * Our own Fr vector kernel: one WASM module built at first use with wasmbuilder + wasmcurves' Montgomery
 * field code (`frm_*`, 32-byte little-endian Montgomery elements, the ffjavascript buffer format), plus loop
 * functions so that each vector operation is one JS→WASM call per chunk. Single threaded, synchronous.
 * The loops' products use the 29-bit-limb SIMD multiplier of ntt/mont29.ts instead of frm_mul (≈55 ns
 * against ≈88 ns per element): the data operand is shifted left 5 bits as it is unpacked, which turns its
 * 2^261 Montgomery product into the 2^256 one, so data and constants alike stay in the 32-byte Montgomery
 * format. Loops by a constant build its SIMD operand registers once; sums and differences are branch-free.
 *
 * Memory: our own WebAssembly.Memory with fixed scratch buffers of CHUNK elements (A, B, O), a sign buffer S
 * and constant slots C0..C3. Callers copy chunks of their JS-side vectors in, call a kernel, copy out.
 * Address 0 holds wasmcurves' bump pointer (used by frm_batchInverse for its scratch; it restores it).
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { ModuleBuilder, buildF1m, buildFFT } from './wasm-builders.ts';
import { moduleCode, type ModuleCode } from './prebuilt.ts';
import { buildMul29, mulCode, mulLocals, packedYCode, withV128Locals } from './ntt/mont29.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Elements per chunk (32 bytes each: 512 KiB per scratch buffer). */
export const CHUNK = 1 << 14;
export const N8 = 32;

const R_MOD = FR_MODULUS;

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

/**
 * Adds `name(p0, p1, ..., n)` looping n times; each pointer param advances by its stride per iteration.
 * With `inline`, the function has the locals of the inline product and sum code (mulInline, addWords); with
 * `constMul` (a pointer param of stride 0), the SIMD operand registers of the element K at constMul are set
 * once before the loop, for mulInline(c, x, null) = x·K·2^−256.
 */
function addLoop(
  module: any,
  name: string,
  ptrs: { name: string; stride: number }[],
  body: (c: any) => any[],
  constMul?: string,
  inline = constMul !== undefined,
) {
  const f = module.addFunction(name);
  for (const p of ptrs) f.addParam(p.name, 'i32');
  f.addParam('n', 'i32');
  f.addLocal('i', 'i32');
  const pre: any[] = [];
  if (inline) {
    for (let w = 0; w < 8; w++) f.addLocal('sw' + w, 'i64');
    for (let w = 0; w < 8; w++) f.addLocal('dw' + w, 'i64');
    f.addLocal('sc', 'i64');
    f.addLocal('sb', 'i32');
    const v128 = new Set<string>();
    mulLocals(f, true, v128);
    withV128Locals(f, v128);
  }
  const c = f.getCodeBuilder();
  if (constMul) pre.push(...packedYCode(c, c.getLocal(constMul)));
  const advance: any[] = [];
  for (const p of ptrs) {
    if (p.stride !== 0) advance.push(...c.setLocal(p.name, c.i32_add(c.getLocal(p.name), c.i32_const(p.stride))));
  }
  f.addCode(
    ...pre,
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

/** Addresses the Fr module's generator allocated, and its initial page count. */
interface FrLayout {
  A: Ptr;
  B: Ptr;
  O: Ptr;
  S: Ptr;
  C0: Ptr;
  C1: Ptr;
  C2: Ptr;
  C3: Ptr;
  F: Ptr;
  pages: number;
}

/** The Fr kernel's WASM code (generated; the build also writes it, see prebuilt.ts). */
export function frCode(): ModuleCode<FrLayout> {
  const module = new ModuleBuilder();
  buildF1m(module, R_MOD, 'frm', 'frint');
  buildFFT(module, 'frm', 'frm', 'frm', 'frm_mul');

  const s = N8;
  const g = (c: any, n: string) => c.getLocal(n);

  // Products use mont29.ts's 29-bit-limb SIMD multiplier (≈57 ns against ≈90 ns for frm_mul): fr_mul(x, y, r)
  // = x·y·2^−256 (x shifted left 5 bits on load, so the 2^261 Montgomery product is the 2^256 one; y < r).
  // Loops by a constant inline it with the constant's operand registers built once before the loop.
  buildMul29(module, 'fr_mul', R_MOD, true, 5);
  /** x·y·2^−256 (y: a pointer, or null for the loop's constMul), then `then` on the result's 32-bit words. */
  const mulInline = (c: any, x: any[], y: any[] | null, then: (word: (w: number) => any[]) => any[]): any[] => {
    const { code, word } = mulCode(c, R_MOD, x, y, true, { xShift: 5, yReady: y === null });
    return [...code, ...then(word)];
  };
  const store = (c: any, out: any[]) => (word: (w: number) => any[]) => {
    const code: any[] = [];
    for (let w = 0; w < 8; w++) code.push(c.i64_store32(out, 4 * w, word(w)));
    return code;
  };
  const rWords = Array.from({ length: 8 }, (_, w) => Number((R_MOD >> BigInt(32 * w)) & 0xffffffffn));
  /**
   * Branch-free out = (u + v) mod r for reduced u, v: u given as i64 word expressions (bits above 32 are
   * ignored), v as a pointer. Every load happens before the first store (out may alias v).
   */
  const addWords = (c: any, v: any[], out: any[]) => (u: (w: number) => any[]) => {
    const K = (x: number | bigint) => c.i64_const(x);
    const L = (n: string) => c.getLocal(n);
    const code: any[] = [];
    for (let w = 0; w < 8; w++) {
      let e = c.i64_add(c.i64_and(u(w), K(0xffffffff)), c.i64_load32_u(v, 4 * w));
      if (w > 0) e = c.i64_add(e, c.i64_shr_u(L('sc'), K(32)));
      code.push(c.setLocal('sc', e));
      code.push(c.setLocal('sw' + w, c.i64_and(L('sc'), K(0xffffffff))));
    }
    // u + v < 2r < 2^255: no carry out. d = sum − r with a signed borrow; keep the sum where d < 0.
    for (let w = 0; w < 8; w++) {
      let e = c.i64_sub(L('sw' + w), K(rWords[w]!));
      if (w > 0) e = c.i64_add(e, c.i64_shr_s(L('sc'), K(32)));
      code.push(c.setLocal('sc', e));
      code.push(c.setLocal('dw' + w, L('sc')));
    }
    for (let w = 0; w < 8; w++) {
      code.push(c.i64_store32(out, 4 * w, [...L('sw' + w), ...L('dw' + w), ...c.i64_lt_s(L('sc'), K(0)), 0x1b]));
    }
    return code;
  };
  /** Branch-free out = (u − v) mod r for reduced u, v (pointers; out may alias either). */
  const subWords = (c: any, u: any[], v: any[], out: any[]): any[] => {
    const K = (x: number | bigint) => c.i64_const(x);
    const L = (n: string) => c.getLocal(n);
    const code: any[] = [];
    // d = u − v with a signed borrow (dw: d's words, bits above 32 garbage); then u − v + r where d < 0.
    for (let w = 0; w < 8; w++) {
      let e = c.i64_sub(c.i64_load32_u(u, 4 * w), c.i64_load32_u(v, 4 * w));
      if (w > 0) e = c.i64_add(e, c.i64_shr_s(L('sc'), K(32)));
      code.push(c.setLocal('sc', e));
      code.push(c.setLocal('dw' + w, L('sc')));
    }
    code.push(c.setLocal('sb', c.i64_lt_s(L('sc'), K(0))));
    for (let w = 0; w < 8; w++) {
      let e = c.i64_add(c.i64_and(L('dw' + w), K(0xffffffff)), K(rWords[w]!));
      if (w > 0) e = c.i64_add(e, c.i64_shr_u(L('sc'), K(32)));
      code.push(c.setLocal('sc', e));
      code.push(c.setLocal('sw' + w, L('sc')));
    }
    for (let w = 0; w < 8; w++) code.push(c.i64_store32(out, 4 * w, [...L('sw' + w), ...L('dw' + w), ...L('sb'), 0x1b]));
    return code;
  };
  const loadWords = (c: any, p: any[]) => (w: number) => c.i64_load32_u(p, 4 * w);

  // out_i = a_i ∘ b_i
  const abo = [{ name: 'a', stride: s }, { name: 'b', stride: s }, { name: 'o', stride: s }];
  addLoop(module, 'k_add', abo, (c) => addWords(c, g(c, 'b'), g(c, 'o'))(loadWords(c, g(c, 'a'))), undefined, true);
  addLoop(module, 'k_sub', abo, (c) => subWords(c, g(c, 'a'), g(c, 'b'), g(c, 'o')), undefined, true);
  addLoop(module, 'k_mul', abo, (c) => mulInline(c, g(c, 'a'), g(c, 'b'), store(c, g(c, 'o'))), undefined, true);
  // out_i = a_i ∘ c (constant)
  addLoop(module, 'k_scale', [{ name: 'a', stride: s }, { name: 'k', stride: 0 }, { name: 'o', stride: s }], (c) =>
    mulInline(c, g(c, 'a'), null, store(c, g(c, 'o'))), 'k');
  addLoop(module, 'k_addScalar', [{ name: 'a', stride: s }, { name: 'k', stride: 0 }, { name: 'o', stride: s }], (c) =>
    addWords(c, g(c, 'a'), g(c, 'o'))(loadWords(c, g(c, 'k'))), undefined, true);
  // acc_i += a_i · c
  addLoop(module, 'k_mulAddScaled', [{ name: 'acc', stride: s }, { name: 'a', stride: s }, { name: 'k', stride: 0 }], (c) => [
    ...mulInline(c, g(c, 'a'), null, addWords(c, g(c, 'acc'), g(c, 'acc'))),
  ], 'k');
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
    ...mulInline(c, g(c, 'acc'), null, store(c, g(c, 'acc'))),
  ], 'base');
  // o_i = a_i · acc; acc *= base
  addLoop(
    module,
    'k_mulPowers',
    [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }, { name: 'base', stride: 0 }, { name: 'o', stride: s }],
    (c) => [
      ...c.call('fr_mul', g(c, 'a'), g(c, 'acc'), g(c, 'o')),
      ...mulInline(c, g(c, 'acc'), null, store(c, g(c, 'acc'))),
    ],
    'base',
  );
  // acc += a_i · b_i
  addLoop(module, 'k_dot', [{ name: 'a', stride: s }, { name: 'b', stride: s }, { name: 'acc', stride: 0 }], (c) => [
    ...mulInline(c, g(c, 'a'), g(c, 'b'), addWords(c, g(c, 'acc'), g(c, 'acc'))),
  ], undefined, true);
  // Exclusive scans (running products / sums of the permutation and logUp accumulators): o_i = acc; acc ∘= a_i
  addLoop(module, 'k_scanMul', [{ name: 'a', stride: s }, { name: 'acc', stride: 0 }, { name: 'o', stride: s }], (c) => [
    ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ...c.call('fr_mul', g(c, 'acc'), g(c, 'a'), g(c, 'acc')),
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
    ...mulInline(c, g(c, 'acc'), null, addWords(c, g(c, 'a'), g(c, 'acc'))),
  ], 'x');
  // Suffix Horner (synthetic division), walking down: acc = acc·x + a_i; o_i = acc
  addLoop(
    module,
    'k_hornerSuffix',
    [{ name: 'a', stride: -s }, { name: 'x', stride: 0 }, { name: 'acc', stride: 0 }, { name: 'o', stride: -s }],
    (c) => [
      ...mulInline(c, g(c, 'acc'), null, addWords(c, g(c, 'a'), g(c, 'acc'))),
      ...c.call('frm_copy', g(c, 'acc'), g(c, 'o')),
    ],
    'x',
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
  return { code: module.build() as Uint8Array, meta: { A, B, O, S, C0, C1, C2, C3, F, pages } };
}

function build(): FrKernel {
  const { code, meta } = moduleCode('fr', frCode);
  const memory = new WebAssembly.Memory({ initial: meta.pages });
  const wasmModule = new WebAssembly.Module(code as Uint8Array<ArrayBuffer>);
  const instance = new WebAssembly.Instance(wasmModule, { env: { memory } });
  return {
    memory,
    ...meta,
    fftMaxLog: FFT_MAX_LOG,
    x: instance.exports as unknown as FrKernel['x'],
    module: wasmModule,
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
