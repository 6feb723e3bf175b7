/**
 * WASM code of our NTT, built at first use with wasmbuilder (32-byte little-endian Montgomery Fr elements,
 * the ffjavascript / wasmcurves buffer format). Field arithmetic is our own: the 29-bit-limb SIMD
 * Montgomery multiplier of mont29.ts (≈57 ns, ≈54 ns with pair-form twiddles, against ≈90 ns for
 * wasmcurves' frm_mul on the 2-core dev machine), branch-free add/sub, and the two fused into one DIT
 * butterfly function.
 *
 * The module imports a SHARED WebAssembly.Memory, and the main thread and every worker instantiate this one
 * module on it. That is safe because none of its functions writes static memory: every temporary lives in
 * locals or in the per-thread scratch passed as a pointer (twiddle accumulator, block buffer). (wasmcurves' generated functions do use static scratch, which is why none is linked in.)
 *
 * `ntt_block(P, b, scr)` runs block b of one pass described by the parameter record at P (see PARAM):
 * gather `cnt` sequences of length L = 2^logL (strided) into scratch in bit-reversed order, optionally
 * scaled element-wise (coset powers); radix-2 DIT in cache; optionally multiply sequence s by
 * start_s·step_s^i (four-step twiddles, 1/n, coset factors); scatter (strided, optionally scaled).
 */
import { FR_MODULUS } from '../../scalar/fr.ts';
import { ModuleBuilder } from '../wasm-builders.ts';
import { moduleCode, type ModuleCode } from '../prebuilt.ts';
import { SIMD_CONST_BYTES, buildMul29, buildPairForm, le, mulCode, mulLocals, withV128Locals } from './mont29.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const N8 = 32;
export const R_MOD = FR_MODULUS;
/** Maximum pages of the shared memory (2 GiB: two 2^24-element vectors plus tables). */
export const MAX_PAGES = 32768;
/** Longest in-cache sequence: twiddle and bit-reversal tables cover 2^LMAX. */
export const LMAX = 12;

/** i32 field indices of the pass parameter record (16-byte aligned, 32 fields). */
export const PARAM = {
  src: 0, // input base (bytes)
  eS: 1, // input stride between elements of a sequence
  sS: 2, // input stride between sequences
  logL: 3,
  cnt: 4, // sequences per block
  gs: 5, // gather scale table (L entries, by element index) or 0
  st: 6, // twiddle starts (per sequence) or 0: no twiddle multiply
  stS: 7, // stride of starts: 0 (one shared constant) or 32
  steps: 8, // twiddle steps (per sequence)
  dst: 9,
  oeS: 10,
  osS: 11,
  ss: 12, // scatter scale table (L entries) or 0
  tw: 13, // stage twiddle table (forward or inverse)
  br: 14, // bit-reversal table of LMAX bits (u32)
  brSh: 15, // LMAX − logL
  counter: 16, // next block (Atomics.add from JS)
  nBlocks: 17,
  SIZE: 32,
} as const;

const str = (s: string): number[] => [...le(s.length), ...new TextEncoder().encode(s)];

/**
 * wasmbuilder only writes memory imports without a maximum (flags 0x00); we need flags 0x03 (shared + max),
 * or 0x01 (max, unshared) where the host has no shared memory (a browser page that is not cross-origin
 * isolated: the transforms then run on the calling thread alone).
 */
class SharedModuleBuilder extends ModuleBuilder {
  constructor(private readonly shared: boolean) {
    super();
  }

  _buildImport(): number[] {
    if (this.nImportFunctions !== 0) throw new Error('ntt wasm: no imported functions expected');
    const entry = [...str('env'), ...str('memory'), 0x02, this.shared ? 0x03 : 0x01, ...le(this.memory.pagesSize), ...le(MAX_PAGES)];
    const section = [...le(1), ...entry];
    return [0x02, ...le(section.length), ...section];
  }
}

function whileLt(c: any, a: string, b: string, ...body: any[]): any[] {
  return c.block(c.loop(c.br_if(1, c.i32_ge_u(c.getLocal(a), c.getLocal(b))), ...body, c.br(0)));
}
function copy32(c: any, from: any[], to: any[]): any[] {
  const out: any[] = [];
  for (let o = 0; o < 32; o += 8) out.push(...c.i64_store(to, o, c.i64_load(from, o)));
  return out;
}

function buildBlock(module: any): void {
  const f = module.addFunction('ntt_block');
  f.addParam('P', 'i32');
  f.addParam('b', 'i32');
  f.addParam('scr', 'i32');
  for (const l of ['src', 'eS', 'sS', 'logL', 'L', 'Lb', 'cnt', 'gs', 'st', 'stS', 'steps', 'dst', 'oeS', 'osS', 'ss', 'tw', 'br', 'brSh',
    'ACC', 'D', 's', 'i', 'pin', 'pout', 'm', 'mb', 'k', 'j', 'pa', 'pb', 'pw', 'twm', 'base', 'end', 'jend'])
    f.addLocal(l, 'i32');
  const c = f.getCodeBuilder();
  const g = (n: string) => c.getLocal(n);
  const set = (n: string, v: any[]) => c.setLocal(n, v);
  const add = (a: any[], b: any[]) => c.i32_add(a, b);
  const mul = (a: any[], b: any[]) => c.i32_mul(a, b);
  const k32 = (x: number) => c.i32_const(x);
  const ld = (field: number) => c.i32_load(g('P'), field * 4);
  const inc = (n: string, by: any[]) => set(n, add(g(n), by));

  f.addCode(
    set('cnt', ld(PARAM.cnt)),
    set('eS', ld(PARAM.eS)),
    set('sS', ld(PARAM.sS)),
    set('src', add(ld(PARAM.src), mul(mul(g('b'), g('cnt')), g('sS')))),
    set('logL', ld(PARAM.logL)),
    set('L', c.i32_shl(k32(1), g('logL'))),
    set('Lb', c.i32_shl(g('L'), k32(5))),
    set('gs', ld(PARAM.gs)),
    set('stS', ld(PARAM.stS)),
    set('st', ld(PARAM.st)),
    c.if(g('st'), set('st', add(g('st'), mul(mul(g('b'), g('cnt')), g('stS'))))),
    set('steps', add(ld(PARAM.steps), mul(mul(g('b'), g('cnt')), k32(N8)))),
    set('oeS', ld(PARAM.oeS)),
    set('osS', ld(PARAM.osS)),
    set('dst', add(ld(PARAM.dst), mul(mul(g('b'), g('cnt')), g('osS')))),
    set('ss', ld(PARAM.ss)),
    set('tw', ld(PARAM.tw)),
    set('br', ld(PARAM.br)),
    set('brSh', ld(PARAM.brSh)),
    set('ACC', g('scr')),
    set('D', add(g('scr'), k32(2 * N8))),

    // Gather: D[s·L + bitrev(i)] = src[s·sS + i·eS] (· gs[i]); element-major so a block's sequences
    // (adjacent columns) are read together.
    set('i', k32(0)),
    whileLt(c, 'i', 'L',
      set('pin', add(g('src'), mul(g('i'), g('eS')))),
      set('pout', add(g('D'), c.i32_shl(
        c.i32_shr_u(c.i32_load(add(g('br'), c.i32_shl(g('i'), k32(2)))), g('brSh')), k32(5)))),
      set('s', k32(0)),
      c.if(g('gs'),
        set('pw', add(g('gs'), c.i32_shl(g('i'), k32(5)))),
      ),
      whileLt(c, 's', 'cnt',
        c.if(g('gs'),
          c.call('ntt_mul', g('pin'), g('pw'), g('pout')),
          copy32(c, g('pin'), g('pout')),
        ),
        inc('pin', g('sS')),
        inc('pout', g('Lb')),
        inc('s', k32(1)),
      ),
      inc('i', k32(1)),
    ),

    // Radix-2 DIT per sequence. Stage m (half-length) uses tw[m−1 .. 2m−1) = ω_{2m}^j (pair form of
  // mont29.ts, SIMD_CONST_BYTES each); m = 1 needs no multiply.
    set('s', k32(0)),
    whileLt(c, 's', 'cnt',
      set('base', add(g('D'), mul(g('s'), g('Lb')))),
      set('end', add(g('base'), g('Lb'))),
      c.if(c.i32_ge_u(g('L'), k32(2)), [
        ...set('pa', g('base')),
        ...whileLt(c, 'pa', 'end',
          set('pb', add(g('pa'), k32(N8))),
          c.call('ntt_addsub', g('pa'), g('pb'), g('pb')),
          inc('pa', k32(2 * N8)),
        ),
      ]),
      set('m', k32(2)),
      set('twm', add(g('tw'), k32(SIMD_CONST_BYTES))),
      whileLt(c, 'm', 'L',
        set('mb', c.i32_shl(g('m'), k32(5))),
        set('k', g('base')),
        whileLt(c, 'k', 'end',
          set('pa', g('k')),
          set('pb', add(g('k'), g('mb'))),
          // j = 0: twiddle 1, no multiply (saves ~1/log L of the multiplies).
          c.call('ntt_addsub', g('pa'), g('pb'), g('pb')),
          set('jend', g('pb')),
          inc('pa', k32(N8)),
          inc('pb', k32(N8)),
          set('pw', add(g('twm'), k32(SIMD_CONST_BYTES))),
          whileLt(c, 'pa', 'jend',
            c.call('ntt_bfly', g('pa'), g('pb'), g('pw')),
            inc('pa', k32(N8)),
            inc('pb', k32(N8)),
            inc('pw', k32(SIMD_CONST_BYTES)),
          ),
          inc('k', c.i32_shl(g('mb'), k32(1))),
        ),
        inc('twm', mul(g('m'), k32(SIMD_CONST_BYTES))),
        set('m', c.i32_shl(g('m'), k32(1))),
      ),
      inc('s', k32(1)),
    ),

    // Twiddles: sequence s, element i times start_s·step_s^i.
    c.if(g('st'), [
      ...set('s', k32(0)),
      ...whileLt(c, 's', 'cnt',
        copy32(c, add(g('st'), mul(g('s'), g('stS'))), g('ACC')),
        set('pw', add(g('steps'), c.i32_shl(g('s'), k32(5)))),
        set('pa', add(g('D'), mul(g('s'), g('Lb')))),
        set('end', add(g('pa'), g('Lb'))),
        whileLt(c, 'pa', 'end',
          c.call('ntt_mul', g('pa'), g('ACC'), g('pa')),
          c.call('ntt_mul', g('ACC'), g('pw'), g('ACC')),
          inc('pa', k32(N8)),
        ),
        inc('s', k32(1)),
      ),
    ]),

    // Scatter: dst[s·osS + i·oeS] = D[s·L + i] (· ss[i]).
    set('i', k32(0)),
    whileLt(c, 'i', 'L',
      set('pin', add(g('D'), c.i32_shl(g('i'), k32(5)))),
      set('pout', add(g('dst'), mul(g('i'), g('oeS')))),
      c.if(g('ss'), set('pw', add(g('ss'), c.i32_shl(g('i'), k32(5))))),
      set('s', k32(0)),
      whileLt(c, 's', 'cnt',
        c.if(g('ss'),
          c.call('ntt_mul', g('pin'), g('pw'), g('pout')),
          copy32(c, g('pin'), g('pout')),
        ),
        inc('pin', g('Lb')),
        inc('pout', g('osS')),
        inc('s', k32(1)),
      ),
      inc('i', k32(1)),
    ),
  );
}

/** Declares the locals of addSubCode (prefixed, so they can sit next to mulCode's). */
function addSubLocals(f: any): void {
  for (let i = 0; i < 8; i++) for (const x of ['a', 't', 's', 'u']) f.addLocal('as_' + x + i, 'i64');
  f.addLocal('as_c', 'i64');
  f.addLocal('as_f', 'i32');
}

/**
 * Code for (a, t) → (a + t, a − t) mod q written to pa and pb, t given as eight 32-bit word expressions
 * (all are read before any store, so t may come from pb). Limbs stay in locals and the reductions are
 * branch-free selects (frm_add + frm_sub each go through memory several times).
 */
function addSubCode(c: any, pa: any[], tWord: (i: number) => any[], pb: any[]): any[] {
  const q = Array.from({ length: 8 }, (_, i) => Number((R_MOD >> BigInt(32 * i)) & 0xffffffffn));
  const M = c.i64_const(0xffffffff);
  const L = (n: string) => c.getLocal('as_' + n);
  const set = (n: string, v: any[]) => c.setLocal('as_' + n, v);
  const select = (a: any[], b: any[], cond: any[]) => [...a, ...b, ...cond, 0x1b];
  const code: any[] = [];
  for (let i = 0; i < 8; i++) code.push(set('a' + i, c.i64_load32_u(pa, 4 * i)), set('t' + i, tWord(i)));
  // s = a + t (< 2q < 2^256: no carry out); u = s − q; keep s where that borrows.
  for (let i = 0; i < 8; i++) {
    const prev = i === 0 ? c.i64_const(0) : c.i64_shr_u(L('c'), c.i64_const(32));
    code.push(set('c', c.i64_add(c.i64_add(L('a' + i), L('t' + i)), prev)), set('s' + i, c.i64_and(L('c'), M)));
  }
  for (let i = 0; i < 8; i++) {
    const prev = i === 0 ? c.i64_const(0) : c.i64_shr_s(L('c'), c.i64_const(32));
    code.push(set('c', c.i64_add(c.i64_sub(L('s' + i), c.i64_const(q[i]!)), prev)), set('u' + i, c.i64_and(L('c'), M)));
  }
  code.push(set('f', c.i64_ne(c.i64_shr_s(L('c'), c.i64_const(32)), c.i64_const(0))));
  for (let i = 0; i < 8; i++) code.push(c.i64_store32(pa, 4 * i, select(L('s' + i), L('u' + i), L('f'))));
  // s = a − t; u = s + q; keep u where the subtraction borrowed.
  for (let i = 0; i < 8; i++) {
    const prev = i === 0 ? c.i64_const(0) : c.i64_shr_s(L('c'), c.i64_const(32));
    code.push(set('c', c.i64_add(c.i64_sub(L('a' + i), L('t' + i)), prev)), set('s' + i, c.i64_and(L('c'), M)));
  }
  code.push(set('f', c.i64_ne(c.i64_shr_s(L('c'), c.i64_const(32)), c.i64_const(0))));
  for (let i = 0; i < 8; i++) {
    const prev = i === 0 ? c.i64_const(0) : c.i64_shr_u(L('c'), c.i64_const(32));
    code.push(set('c', c.i64_add(c.i64_add(L('s' + i), c.i64_const(q[i]!)), prev)), set('u' + i, c.i64_and(L('c'), M)));
  }
  for (let i = 0; i < 8; i++) code.push(c.i64_store32(pb, 4 * i, select(L('u' + i), L('s' + i), L('f'))));
  return code;
}

/** `ntt_addsub(pa, pt, pb)`: (a, t) → (a + t, a − t) mod q into pa, pb (pt may alias pb). */
function buildAddSub(module: any): void {
  const f = module.addFunction('ntt_addsub');
  f.addParam('pa', 'i32');
  f.addParam('pt', 'i32');
  f.addParam('pb', 'i32');
  addSubLocals(f);
  const c = f.getCodeBuilder();
  f.addCode(...addSubCode(c, c.getLocal('pa'), (i) => c.i64_load32_u(c.getLocal('pt'), 4 * i), c.getLocal('pb')));
}

/**
 * `ntt_bfly(pa, pb, pw)`: the DIT butterfly (a, b) → (a + w·b, a − w·b), w in pair form. One function, so
 * w·b goes from the multiplier's limbs straight into the add/sub without a store, reload and call.
 */
function buildButterfly(module: any): void {
  const f = module.addFunction('ntt_bfly');
  f.addParam('pa', 'i32');
  f.addParam('pb', 'i32');
  f.addParam('pw', 'i32');
  const v128 = new Set<string>();
  mulLocals(f, false, v128);
  addSubLocals(f);
  withV128Locals(f, v128);
  const c = f.getCodeBuilder();
  const { code, word } = mulCode(c, R_MOD, c.getLocal('pb'), c.getLocal('pw'), false);
  const mask = c.i64_const(0xffffffff);
  f.addCode(...code, ...addSubCode(c, c.getLocal('pa'), (i) => c.i64_and(word(i), mask), c.getLocal('pb')));
}

/** `ntt_powers(acc, base, out, n)`: out_i = acc·base^i (acc is updated in place; it is scratch). */
function buildPowers(module: any): void {
  const f = module.addFunction('ntt_powers');
  f.addParam('acc', 'i32');
  f.addParam('base', 'i32');
  f.addParam('o', 'i32');
  f.addParam('n', 'i32');
  f.addLocal('end', 'i32');
  const c = f.getCodeBuilder();
  f.addCode(
    c.setLocal('end', c.i32_add(c.getLocal('o'), c.i32_shl(c.getLocal('n'), c.i32_const(5)))),
    whileLt(c, 'o', 'end',
      copy32(c, c.getLocal('acc'), c.getLocal('o')),
      c.call('ntt_mul', c.getLocal('acc'), c.getLocal('base'), c.getLocal('acc')),
      c.setLocal('o', c.i32_add(c.getLocal('o'), c.i32_const(N8))),
    ),
  );
}

export interface NttWasm {
  module: WebAssembly.Module;
  /** First free byte after the module's static data (constants). */
  staticEnd: number;
}

const built = new Map<boolean, NttWasm>();

/**
 * The compiled module (built once per memory kind; ~tens of ms). Instantiate with `{ env: { memory } }`, a
 * shared memory unless `shared` is false.
 */
export function nttWasm(shared = true): NttWasm {
  const known = built.get(shared);
  if (known) return known;
  const { code, meta } = moduleCode(`ntt-${shared ? 'shared' : 'unshared'}`, () => nttCode(shared));
  const out = { module: new WebAssembly.Module(code as Uint8Array<ArrayBuffer>), staticEnd: meta.staticEnd };
  built.set(shared, out);
  return out;
}

/** The NTT module's WASM code, for shared or unshared memory (generated; the build also writes it, see ../prebuilt.ts). */
export function nttCode(shared: boolean): ModuleCode<{ staticEnd: number }> {
  const module = new SharedModuleBuilder(shared);
  buildMul29(module, 'ntt_mul', R_MOD, true);
  buildMul29(module, 'ntt_mulc', R_MOD);
  buildPairForm(module, 'ntt_unpack');
  buildAddSub(module);
  buildButterfly(module);
  buildBlock(module);
  buildPowers(module);
  module.exportFunction('ntt_addsub');
  module.exportFunction('ntt_mul');
  module.exportFunction('ntt_unpack');
  module.exportFunction('ntt_mulc');
  module.exportFunction('ntt_bfly');
  module.exportFunction('ntt_block');
  module.exportFunction('ntt_powers');
  const staticEnd = module.free;
  module.setMemory(Math.ceil((staticEnd + 1) / 65536));
  return { code: module.build() as Uint8Array, meta: { staticEnd } };
}

export interface NttExports {
  ntt_block(P: number, b: number, scr: number): void;
  ntt_powers(acc: number, base: number, out: number, n: number): void;
  ntt_mul(a: number, b: number, r: number): void;
  /** n packed constants → pair form (mont29.ts). */
  ntt_unpack(p: number, o: number, n: number): void;
  /** x · (pair-form constant). */
  ntt_mulc(x: number, y: number, r: number): void;
  /** (a, b) → (a + w·b, a − w·b), w in pair form. */
  ntt_bfly(pa: number, pb: number, pw: number): void;
  ntt_addsub(pa: number, pt: number, pb: number): void;
}
