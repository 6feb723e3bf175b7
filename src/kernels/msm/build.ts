/**
 * The MSM WASM module, built once at first use with wasmbuilder + wasmcurves (`f1m_*` Montgomery Fq, 8×32-bit
 * limbs; `g1m_*` Jacobian G1). On top of those it adds the two hot loops of Pippenger:
 *
 * - `msm_batchAdd(ops, k, scratch)`: k independent affine additions bucket ← bucket ± point with one shared
 *   inversion (Montgomery's trick). Each op is two i32: the bucket's address and the point's address with
 *   bit 0 set to negate the point. No bucket may appear twice in one call (the scheduler guarantees it).
 *   Handles an empty bucket (copy), P + P (doubling), P + (−P) (empty again). Scratch: k × OP_SCRATCH bytes.
 *   Field arithmetic in f29 (f29.ts); points inside the module are 80 bytes (x‖y, 40 each).
 * - `msm_segCombine`, `msm_addScaled`, `msm_jacOut`: the last stage of the bucket reduction (whose running
 *   sums are themselves batch-affine additions driven by engine.mjs) and the conversion of window sums to g1m.
 *
 * wasmcurves functions keep their temporaries at fixed addresses (module.alloc) and address 0 holds a bump
 * pointer, so an instance must never be shared between threads: every thread instantiates this module on
 * its own (non-shared) memory. Memory past `layout.heap` is free for the engine (bases, buckets, ops).
 */
import { FQ_MODULUS } from '../../scalar/fr.ts';
import { ES, buildF29 } from './f29.ts';
import { JB, buildG29 } from './g29.ts';
import { buildF51 } from './f51.ts';
import { OP_SCRATCH_51, buildAff51to29, buildBatchAdd51 } from './batch-add51.ts';
import { fmaAvailable } from './fma.ts';
import { ModuleBuilder, buildCurve, buildF1m } from '../wasm-builders.ts';
import { moduleCode, type ModuleCode } from '../prebuilt.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export const Q_MOD = FQ_MODULUS;
const N8 = 32;

export interface MsmLayout {
  /** First free byte after the module's static data (8-byte aligned). */
  heap: number;
  /** Pages the module declares as its memory minimum. */
  pages: number;
  /** Bucket field: 'f51' (FMA multiplier, f51.ts) or 'f29' (integer multiplier, f29.ts). */
  field: 'f51' | 'f29';
  /** Scratch bytes msm_batchAdd needs per op (the engine gives it k + 1 ops' worth). */
  opScratch: number;
}

export interface MsmWasm {
  module: WebAssembly.Module;
  layout: MsmLayout;
}

/** Bytes of scratch per op in msm_batchAdd: prefix product, denominator, numerator (f29 elements). */
export const OP_SCRATCH = 3 * ES;

function buildBatchAdd(module: any): void {
  const f = module.addFunction('msm_batchAdd');
  f.addParam('ops', 'i32');
  f.addParam('k', 'i32');
  f.addParam('scr', 'i32');
  f.addLocal('i', 'i32');
  f.addLocal('op', 'i32');
  f.addLocal('dst', 'i32');
  f.addLocal('src', 'i32');
  f.addLocal('neg', 'i32');
  f.addLocal('s', 'i32'); // this op's scratch
  f.addLocal('t', 'i32'); // op type: 0 add, 1 copy into empty bucket, 2 cancel (→ empty), 3 double
  const c = f.getCodeBuilder();
  const ACC = c.i32_const(module.alloc(ES)); // running product, then running inverse
  const SY = c.i32_const(module.alloc(ES));
  const INV = c.i32_const(module.alloc(ES));
  const L = c.i32_const(module.alloc(ES)); // λ
  const T = c.i32_const(module.alloc(ES));
  const X3 = c.i32_const(module.alloc(ES));
  const TI = c.i32_const(module.alloc(N8)); // ACC in 32-byte form for f1m_inverse
  const g = (n: string) => c.getLocal(n);
  const dx = g('dst');
  const dy = c.i32_add(g('dst'), c.i32_const(ES));
  const sx = g('src');
  const sy = c.i32_add(g('src'), c.i32_const(ES));
  const PRE = g('s');
  const D = c.i32_add(g('s'), c.i32_const(ES));
  const N = c.i32_add(g('s'), c.i32_const(2 * ES));

  const loadOp = [
    ...c.setLocal('op', c.i32_add(g('ops'), c.i32_shl(g('i'), c.i32_const(3)))),
    ...c.setLocal('s', c.i32_add(g('scr'), c.i32_mul(g('i'), c.i32_const(OP_SCRATCH)))),
    ...c.setLocal('dst', c.i32_load(g('op'))),
    ...c.setLocal('t', c.i32_and(g('dst'), c.i32_const(3))),
    ...c.setLocal('dst', c.i32_and(g('dst'), c.i32_const(-4))),
    ...c.setLocal('src', c.i32_load(g('op'), 4)),
    ...c.setLocal('neg', c.i32_and(g('src'), c.i32_const(1))),
    ...c.setLocal('src', c.i32_and(g('src'), c.i32_const(-2))),
  ];
  const signedY = c.if(g('neg'), c.call('f29_neg', sy, SY), c.call('f29_copy', sy, SY));

  f.addCode(
    c.call('f29_one', ACC),
    // Pass 1: classify; denominators D, numerators N, prefix products of the D's.
    c.setLocal('i', c.i32_const(0)),
    c.block(
      c.loop(
        c.br_if(1, c.i32_eq(g('i'), g('k'))),
        ...loadOp,
        ...c.if(
          c.call('f29_isZero', dy), // empty bucket (real points never have y = 0)
          c.setLocal('t', c.i32_const(1)),
          c.if(
            c.call('f29_eq', dx, sx),
            [...signedY, ...c.if(c.call('f29_eq', dy, SY), c.setLocal('t', c.i32_const(3)), c.setLocal('t', c.i32_const(2)))],
            c.setLocal('t', c.i32_const(0)),
          ),
        ),
        ...c.i32_store(g('op'), c.i32_or(g('dst'), g('t'))),
        ...c.if(
          c.i32_eqz(g('t')),
          [
            // D = x2 − x1; N = ±y2 − y1
            ...c.call('f29_sub', sx, dx, D),
            ...c.if(
              g('neg'),
              [...c.call('f29_add', sy, dy, N), ...c.call('f29_neg', N, N)],
              c.call('f29_sub', sy, dy, N),
            ),
          ],
          c.if(c.i32_eq(g('t'), c.i32_const(3)), [
            // doubling: D = 2y; N = 3x²
            ...c.call('f29_add', dy, dy, D),
            ...c.call('f29_square', dx, T),
            ...c.call('f29_add', T, T, N),
            ...c.call('f29_add', N, T, N),
          ]),
        ),
        ...c.if(c.i32_or(c.i32_eqz(g('t')), c.i32_eq(g('t'), c.i32_const(3))), [
          ...c.call('f29_copy', ACC, PRE),
          ...c.call('f29_mul', ACC, D, ACC),
        ]),
        ...c.setLocal('i', c.i32_add(g('i'), c.i32_const(1))),
        ...c.br(0),
      ),
    ),
    c.call('f29_from', ACC, TI),
    c.call('f1m_inverse', TI, TI),
    c.call('f29_to', TI, ACC),
    // Pass 2, backwards: peel each inverse off the running inverse, finish the additions.
    c.setLocal('i', g('k')),
    c.block(
      c.loop(
        c.br_if(1, c.i32_eqz(g('i'))),
        ...c.setLocal('i', c.i32_sub(g('i'), c.i32_const(1))),
        ...loadOp,
        ...c.if(
          c.i32_eq(g('t'), c.i32_const(1)),
          [...c.call('f29_copy', sx, dx), ...c.if(g('neg'), c.call('f29_neg', sy, dy), c.call('f29_copy', sy, dy))],
          c.if(
            c.i32_eq(g('t'), c.i32_const(2)),
            [...c.call('f29_zero', dx), ...c.call('f29_zero', dy)],
            [
              ...c.call('f29_mul', ACC, PRE, INV),
              ...c.call('f29_mul', ACC, D, ACC),
              ...c.call('f29_mul', N, INV, L),
              // x3 = λ² − x1 − x2 (x2 = x1 when doubling); y3 = λ(x1 − x3) − y1
              ...c.call('f29_square', L, X3),
              ...c.call('f29_sub', X3, dx, X3),
              ...c.call('f29_sub', X3, sx, X3),
              ...c.call('f29_sub', dx, X3, T),
              ...c.call('f29_copy', X3, dx),
              ...c.call('f29_mul', L, T, T),
              ...c.call('f29_sub', T, dy, dy),
            ],
          ),
        ),
        ...c.br(0),
      ),
    ),
  );
  module.exportFunction('msm_batchAdd');
}

/**
 * Segmented reduction, last stage: the engine has run, with msm_batchAdd, G independent running-sum chains
 * per window over segments of L = 2^logL buckets, leaving per segment g the plain sum S_g and the locally
 * weighted sum T_g (weights 1..L). The window sum is Σ_g T_g + L·Σ_g g·S_g; acc (g29) ← that.
 */
function buildSegCombine(module: any, f51: boolean): void {
  const f = module.addFunction('msm_segCombine');
  f.addParam('segS', 'i32'); // G affine f29 points
  f.addParam('segT', 'i32');
  f.addParam('G', 'i32');
  f.addParam('logL', 'i32');
  f.addParam('acc', 'i32'); // g29 Jacobian out
  f.addLocal('g', 'i32');
  const c = f.getCodeBuilder();
  const R = c.i32_const(module.alloc(JB));
  const g = (n: string) => c.getLocal(n);
  const at0 = (base: string) => c.i32_add(g(base), c.i32_mul(g('g'), c.i32_const(2 * ES)));
  // f51 points are converted to f29 (into A) before the g29 formulas see them
  const A = module.alloc(2 * ES);
  const at = (base: string) => (f51 ? [...c.call('msm_aff51to29', at0(base), c.i32_const(A)), ...c.i32_const(A)] : at0(base));
  f.addCode(
    c.call('g29_zero', R),
    c.call('g29_zero', g('acc')),
    // acc = Σ_{g ≥ 1} g·S_g by running sums from the top
    c.setLocal('g', g('G')),
    c.block(
      c.loop(
        c.br_if(1, c.i32_le_u(g('g'), c.i32_const(1))),
        ...c.setLocal('g', c.i32_sub(g('g'), c.i32_const(1))),
        ...c.call('g29_addMixed', R, at('segS'), R),
        ...c.call('g29_add', g('acc'), R, g('acc')),
        ...c.br(0),
      ),
    ),
    c.block(
      c.loop(
        c.br_if(1, c.i32_eqz(g('logL'))),
        ...c.call('g29_double', g('acc'), g('acc')),
        ...c.setLocal('logL', c.i32_sub(g('logL'), c.i32_const(1))),
        ...c.br(0),
      ),
    ),
    c.setLocal('g', g('G')),
    c.block(
      c.loop(
        c.br_if(1, c.i32_eqz(g('g'))),
        ...c.setLocal('g', c.i32_sub(g('g'), c.i32_const(1))),
        ...c.call('g29_addMixed', g('acc'), at('segT'), g('acc')),
        ...c.br(0),
      ),
    ),
  );
  module.exportFunction('msm_segCombine');
}

/** acc ← acc + k·p (g29 Jacobian both, k ≥ 1 small): the rare overflow accumulators' share of a window sum. */
function buildAddScaled(module: any): void {
  const f = module.addFunction('msm_addScaled');
  f.addParam('acc', 'i32');
  f.addParam('p', 'i32');
  f.addParam('k', 'i32');
  f.addLocal('bit', 'i32');
  const c = f.getCodeBuilder();
  const Q = c.i32_const(module.alloc(JB));
  const g = (n: string) => c.getLocal(n);
  f.addCode(
    c.call('g29_zero', Q),
    c.setLocal('bit', c.i32_const(31)),
    c.block(
      c.loop(
        c.br_if(1, c.i32_lt_s(g('bit'), c.i32_const(0))),
        ...c.call('g29_double', Q, Q),
        ...c.if(c.i32_and(c.i32_shr_u(g('k'), g('bit')), c.i32_const(1)), c.call('g29_add', Q, g('p'), Q)),
        ...c.setLocal('bit', c.i32_sub(g('bit'), c.i32_const(1))),
        ...c.br(0),
      ),
    ),
    c.call('g29_add', g('acc'), Q, g('acc')),
  );
  module.exportFunction('msm_addScaled');
}

/** g29 Jacobian → g1m Jacobian (96 bytes). */
function buildJacOut(module: any): void {
  const f = module.addFunction('msm_jacOut');
  f.addParam('a', 'i32');
  f.addParam('out', 'i32');
  const c = f.getCodeBuilder();
  for (let k = 0; k < 3; k++)
    f.addCode(c.call('f29_from', c.i32_add(c.getLocal('a'), c.i32_const(k * ES)), c.i32_add(c.getLocal('out'), c.i32_const(k * N8))));
  module.exportFunction('msm_jacOut');
}

/** g29 acc ← acc ± affine f29 point (bit 0 of p = negate): the overflow path for conflicting additions. */
function buildAddJac(module: any, f51: boolean): void {
  const f = module.addFunction('msm_addJac');
  f.addParam('acc', 'i32');
  f.addParam('p', 'i32');
  const c = f.getCodeBuilder();
  const P = module.alloc(2 * ES);
  const A = module.alloc(2 * ES);
  const g = (n: string) => c.getLocal(n);
  // (an f51 point is converted to f29 first)
  const src = f51 ? c.i32_const(A) : c.i32_and(g('p'), c.i32_const(-2));
  if (f51) f.addCode(c.call('msm_aff51to29', c.i32_and(g('p'), c.i32_const(-2)), c.i32_const(A)));
  f.addCode(
    c.if(
      c.i32_and(g('p'), c.i32_const(1)),
      [
        ...c.call('f29_copy', src, c.i32_const(P)),
        ...c.call('f29_neg', c.i32_add(src, c.i32_const(ES)), c.i32_const(P + ES)),
        ...c.call('g29_addMixed', g('acc'), c.i32_const(P), g('acc')),
      ],
      c.call('g29_addMixed', g('acc'), src, g('acc')),
    ),
  );
  module.exportFunction('msm_addJac');
}

/** acc ← 2^c·acc (Jacobian), for the window combination. */
/**
 * `msm_digits(sc, width, np, c, w0, w1, neg, ident, dig, stats)`: the signed c-bit digits of windows
 * [w0, w1) of np scalars (`width` bytes each, little-endian, at sc, followed by 7 readable bytes), as
 * engine.mjs takes them: digit d of window w is v + carry, v the window's bits, and d − 2^c with a carry of 1
 * into the next window when d > 2^(c−1). Windows below w0 are recoded only for their carry. `neg` / `ident`:
 * 0 or np bytes; a point with neg[i] = 1 gets its digits negated, one with ident[i] = 1 (the identity) all
 * zeros. Out: dig, window-major i32 (window w0 + j of point i at j·np + i); stats, per window j the number
 * of nonzero digits (i32 at 4j) and the largest |digit| (i32 at 4·(w1 − w0) + 4j). c ≤ 16.
 */
function buildDigits(module: any): void {
  const f = module.addFunction('msm_digits');
  for (const p of ['sc', 'width', 'np', 'c', 'w0', 'w1', 'neg', 'ident', 'dig', 'stats']) f.addParam(p, 'i32');
  for (const l of ['i', 'w', 'bit', 'v', 'd', 'carry', 'half', 'full', 'mask', 'rem', 'at', 'wt', 'sgn', 'j', 'ad']) f.addLocal(l, 'i32');
  const c = f.getCodeBuilder();
  const g = (n: string) => c.getLocal(n);
  const K = (v: number) => c.i32_const(v);
  const set = (n: string, v: unknown[]) => c.setLocal(n, v);
  // the stats slots of window j: count at stats + 4j, max at stats + 4·wt + 4j
  const cntAt = c.i32_add(g('stats'), c.i32_shl(g('j'), K(2)));
  const mxAt = c.i32_add(c.i32_add(g('stats'), c.i32_shl(g('wt'), K(2))), c.i32_shl(g('j'), K(2)));
  const digAt = c.i32_add(g('dig'), c.i32_shl(c.i32_add(c.i32_mul(g('j'), g('np')), g('i')), K(2)));
  f.addCode(
    set('half', c.i32_shl(K(1), c.i32_sub(g('c'), K(1)))),
    set('full', c.i32_shl(K(1), g('c'))),
    set('mask', c.i32_sub(g('full'), K(1))),
    set('wt', c.i32_sub(g('w1'), g('w0'))),
    // stats cleared
    set('j', K(0)),
    c.block(
      c.loop(
        c.br_if(1, c.i32_ge_u(g('j'), g('wt'))),
        ...c.i32_store(cntAt, K(0)),
        ...c.i32_store(mxAt, K(0)),
        ...set('j', c.i32_add(g('j'), K(1))),
        ...c.br(0),
      ),
    ),
    set('i', K(0)),
    c.block(
      c.loop(
        c.br_if(1, c.i32_ge_u(g('i'), g('np'))),
        ...set('at', c.i32_add(g('sc'), c.i32_mul(g('i'), g('width')))),
        ...set('sgn', K(0)),
        ...c.if(g('neg'), set('sgn', c.i32_load8_u(c.i32_add(g('neg'), g('i'))))),
        ...c.if(
          c.i32_and(c.i32_ne(g('ident'), K(0)), c.i32_ne(c.i32_load8_u(c.i32_add(g('ident'), g('i'))), K(0))),
          // the identity: zero digits
          [
            ...set('j', K(0)),
            ...c.block(
              c.loop(
                c.br_if(1, c.i32_ge_u(g('j'), g('wt'))),
                ...c.i32_store(digAt, K(0)),
                ...set('j', c.i32_add(g('j'), K(1))),
                ...c.br(0),
              ),
            ),
          ],
          [
            ...set('carry', K(0)),
            ...set('w', K(0)),
            ...c.block(
              c.loop(
                c.br_if(1, c.i32_ge_u(g('w'), g('w1'))),
                ...set('bit', c.i32_mul(g('w'), g('c'))),
                ...set('rem', c.i32_sub(c.i32_shl(g('width'), K(3)), g('bit'))),
                ...set('v', K(0)),
                ...c.if(
                  c.i32_gt_s(g('rem'), K(0)),
                  [
                    ...set(
                      'v',
                      c.i32_and(
                        c.i32_wrap_i64(
                          c.i64_shr_u(
                            c.i64_load(c.i32_add(g('at'), c.i32_shr_u(g('bit'), K(3))), 0, 0),
                            c.i64_extend_i32_u(c.i32_and(g('bit'), K(7))),
                          ),
                        ),
                        g('mask'),
                      ),
                    ),
                    ...c.if(c.i32_lt_s(g('rem'), g('c')), set('v', c.i32_and(g('v'), c.i32_sub(c.i32_shl(K(1), g('rem')), K(1))))),
                  ],
                ),
                ...set('d', c.i32_add(g('v'), g('carry'))),
                ...c.if(c.i32_gt_s(g('d'), g('half')), [...set('d', c.i32_sub(g('d'), g('full'))), ...set('carry', K(1))], set('carry', K(0))),
                ...c.if(c.i32_ge_u(g('w'), g('w0')), [
                  ...set('j', c.i32_sub(g('w'), g('w0'))),
                  ...c.if(g('sgn'), set('d', c.i32_sub(K(0), g('d')))),
                  ...c.i32_store(digAt, g('d')),
                  ...c.if(g('d'), [
                    ...c.i32_store(cntAt, c.i32_add(c.i32_load(cntAt), K(1))),
                    ...set('ad', g('d')),
                    ...c.if(c.i32_lt_s(g('d'), K(0)), set('ad', c.i32_sub(K(0), g('d')))),
                    ...c.if(c.i32_gt_s(g('ad'), c.i32_load(mxAt)), c.i32_store(mxAt, g('ad'))),
                  ]),
                ]),
                ...set('w', c.i32_add(g('w'), K(1))),
                ...c.br(0),
              ),
            ),
          ],
        ),
        ...set('i', c.i32_add(g('i'), K(1))),
        ...c.br(0),
      ),
    ),
  );
  module.exportFunction('msm_digits');
}

/**
 * The bucket scheduler of engine.mjs run(), for the windows it accumulates one digit at a time. State in
 * memory, so that it carries across windows and calls: `st` holds i32 k (ops queued at `ops`), nPend
 * (additions waiting at `pend`, (bucket, point) pairs), stamp (the current batch's mark in `busy`, one i32
 * per bucket) and the number of buckets listed in `touched` (those that took an overflow addition in their
 * Jacobian accumulator at `jac`, flagged in `jflag`, one byte per bucket).
 *
 * - `msm_window(dig, np, bOff, wBases, aff, busy, pend, pmax, ops, K, scr, jac, jflag, touched, st)`: each
 *   nonzero digit d of point i (dig: np i32) becomes "bucket bOff + |d| (at aff + bucket·80) ± the point at
 *   wBases + i·80"; a bucket already in the batch makes its addition wait in pend (past pmax waiting, it goes
 *   to the bucket's Jacobian accumulator); K queued additions run as one msm_batchAdd, then the waiting ones
 *   whose bucket is free fill the next batch.
 * - `msm_flush(aff, busy, pend, ops, K, scr, jac, jflag, touched, st)`: runs what is queued and waiting; a
 *   tail of fewer than 32 additions, a few buckets hit many times, finishes on the Jacobian accumulators.
 */
function buildSchedule(module: any): void {
  const PTB = 2 * ES; // a module point: x‖y
  {
    const f = module.addFunction('msm_jacOp');
    for (const p of ['bi', 'sg', 'jac', 'jflag', 'touched', 'st']) f.addParam(p, 'i32');
    f.addLocal('n', 'i32');
    const c = f.getCodeBuilder();
    const g = (n: string) => c.getLocal(n);
    const K = (v: number) => c.i32_const(v);
    const acc = c.i32_add(g('jac'), c.i32_mul(g('bi'), K(JB)));
    f.addCode(
      c.if(c.i32_eqz(c.i32_load8_u(c.i32_add(g('jflag'), g('bi')))), [
        ...c.i32_store8(c.i32_add(g('jflag'), g('bi')), K(1)),
        ...c.setLocal('n', c.i32_load(g('st'), 12)),
        ...c.i32_store(c.i32_add(g('touched'), c.i32_shl(g('n'), K(2))), g('bi')),
        ...c.i32_store(g('st'), 12, c.i32_add(g('n'), K(1))),
        ...c.call('g29_zero', acc),
      ]),
      c.call('msm_addJac', acc, g('sg')),
    );
  }
  {
    const f = module.addFunction('msm_drain');
    for (const p of ['busy', 'pend', 'ops', 'K', 'aff', 'st']) f.addParam(p, 'i32');
    for (const l of ['t', 'n', 'k', 'left', 'bi', 'sg', 'stamp', 'pp']) f.addLocal(l, 'i32');
    f.setReturnType('i32');
    const c = f.getCodeBuilder();
    const g = (n: string) => c.getLocal(n);
    const K = (v: number) => c.i32_const(v);
    const busyAt = c.i32_add(g('busy'), c.i32_shl(g('bi'), K(2)));
    f.addCode(
      c.setLocal('stamp', c.i32_load(g('st'), 8)),
      c.setLocal('n', c.i32_load(g('st'), 4)),
      c.block(
        c.loop(
          c.br_if(1, c.i32_ge_u(g('t'), g('n'))),
          ...c.setLocal('pp', c.i32_add(g('pend'), c.i32_shl(g('t'), K(3)))),
          ...c.setLocal('bi', c.i32_load(g('pp'))),
          ...c.setLocal('sg', c.i32_load(g('pp'), 4)),
          ...c.if(
            c.i32_or(c.i32_eq(c.i32_load(busyAt), g('stamp')), c.i32_eq(g('k'), g('K'))),
            [
              ...c.setLocal('pp', c.i32_add(g('pend'), c.i32_shl(g('left'), K(3)))),
              ...c.i32_store(g('pp'), g('bi')),
              ...c.i32_store(g('pp'), 4, g('sg')),
              ...c.setLocal('left', c.i32_add(g('left'), K(1))),
            ],
            [
              ...c.i32_store(busyAt, g('stamp')),
              ...c.setLocal('pp', c.i32_add(g('ops'), c.i32_shl(g('k'), K(3)))),
              ...c.i32_store(g('pp'), c.i32_add(g('aff'), c.i32_mul(g('bi'), K(PTB)))),
              ...c.i32_store(g('pp'), 4, g('sg')),
              ...c.setLocal('k', c.i32_add(g('k'), K(1))),
            ],
          ),
          ...c.setLocal('t', c.i32_add(g('t'), K(1))),
          ...c.br(0),
        ),
      ),
      c.i32_store(g('st'), 4, g('left')),
      g('k'),
    );
  }
  {
    const f = module.addFunction('msm_window');
    for (const p of ['dig', 'np', 'bOff', 'wBases', 'aff', 'busy', 'pend', 'pmax', 'ops', 'K', 'scr', 'jac', 'jflag', 'touched', 'st']) f.addParam(p, 'i32');
    for (const l of ['li', 'd', 'bi', 'sg', 'k', 'nPend', 'stamp', 'pp']) f.addLocal(l, 'i32');
    const c = f.getCodeBuilder();
    const g = (n: string) => c.getLocal(n);
    const K = (v: number) => c.i32_const(v);
    const busyAt = c.i32_add(g('busy'), c.i32_shl(g('bi'), K(2)));
    const runBatches = [
      // (waiting additions may fill the next batch entirely: then run that one too)
      ...c.block(
        c.loop(
          c.call('msm_batchAdd', g('ops'), g('k'), g('scr')),
          ...c.setLocal('stamp', c.i32_add(g('stamp'), K(1))),
          ...c.i32_store(g('st'), 8, g('stamp')),
          ...c.i32_store(g('st'), 4, g('nPend')),
          ...c.setLocal('k', c.call('msm_drain', g('busy'), g('pend'), g('ops'), g('K'), g('aff'), g('st'))),
          ...c.setLocal('nPend', c.i32_load(g('st'), 4)),
          ...c.br_if(0, c.i32_eq(g('k'), g('K'))),
        ),
      ),
    ];
    f.addCode(
      c.setLocal('k', c.i32_load(g('st'))),
      c.setLocal('nPend', c.i32_load(g('st'), 4)),
      c.setLocal('stamp', c.i32_load(g('st'), 8)),
      c.block(
        c.loop(
          c.br_if(1, c.i32_ge_u(g('li'), g('np'))),
          ...c.setLocal('d', c.i32_load(c.i32_add(g('dig'), c.i32_shl(g('li'), K(2))))),
          ...c.if(g('d'), [
            ...c.setLocal('sg', c.i32_add(g('wBases'), c.i32_mul(g('li'), K(PTB)))),
            ...c.if(
              c.i32_lt_s(g('d'), K(0)),
              [...c.setLocal('bi', c.i32_sub(g('bOff'), g('d'))), ...c.setLocal('sg', c.i32_or(g('sg'), K(1)))],
              c.setLocal('bi', c.i32_add(g('bOff'), g('d'))),
            ),
            ...c.if(
              c.i32_eq(c.i32_load(busyAt), g('stamp')),
              c.if(
                c.i32_lt_u(g('nPend'), g('pmax')),
                [
                  ...c.setLocal('pp', c.i32_add(g('pend'), c.i32_shl(g('nPend'), K(3)))),
                  ...c.i32_store(g('pp'), g('bi')),
                  ...c.i32_store(g('pp'), 4, g('sg')),
                  ...c.setLocal('nPend', c.i32_add(g('nPend'), K(1))),
                ],
                c.call('msm_jacOp', g('bi'), g('sg'), g('jac'), g('jflag'), g('touched'), g('st')),
              ),
              [
                ...c.i32_store(busyAt, g('stamp')),
                ...c.setLocal('pp', c.i32_add(g('ops'), c.i32_shl(g('k'), K(3)))),
                ...c.i32_store(g('pp'), c.i32_add(g('aff'), c.i32_mul(g('bi'), K(PTB)))),
                ...c.i32_store(g('pp'), 4, g('sg')),
                ...c.setLocal('k', c.i32_add(g('k'), K(1))),
                ...c.if(c.i32_eq(g('k'), g('K')), runBatches),
              ],
            ),
          ]),
          ...c.setLocal('li', c.i32_add(g('li'), K(1))),
          ...c.br(0),
        ),
      ),
      c.i32_store(g('st'), g('k')),
      c.i32_store(g('st'), 4, g('nPend')),
      c.i32_store(g('st'), 8, g('stamp')),
    );
    module.exportFunction('msm_window');
  }
  {
    const f = module.addFunction('msm_flush');
    for (const p of ['aff', 'busy', 'pend', 'ops', 'K', 'scr', 'jac', 'jflag', 'touched', 'st']) f.addParam(p, 'i32');
    for (const l of ['k', 'nPend', 't', 'pp']) f.addLocal(l, 'i32');
    const c = f.getCodeBuilder();
    const g = (n: string) => c.getLocal(n);
    const K = (v: number) => c.i32_const(v);
    f.addCode(
      c.setLocal('k', c.i32_load(g('st'))),
      c.block(
        c.loop(
          c.br_if(1, c.i32_eqz(g('k'))),
          ...c.call('msm_batchAdd', g('ops'), g('k'), g('scr')),
          ...c.i32_store(g('st'), 8, c.i32_add(c.i32_load(g('st'), 8), K(1))),
          ...c.setLocal('k', c.call('msm_drain', g('busy'), g('pend'), g('ops'), g('K'), g('aff'), g('st'))),
          ...c.setLocal('nPend', c.i32_load(g('st'), 4)),
          // the tail is a few buckets hit many times: finish those on the overflow accumulators
          ...c.if(c.i32_and(c.i32_lt_u(g('k'), K(32)), c.i32_gt_u(g('nPend'), K(0))), [
            ...c.setLocal('t', K(0)),
            ...c.block(
              c.loop(
                c.br_if(1, c.i32_ge_u(g('t'), g('nPend'))),
                ...c.setLocal('pp', c.i32_add(g('pend'), c.i32_shl(g('t'), K(3)))),
                ...c.call('msm_jacOp', c.i32_load(g('pp')), c.i32_load(g('pp'), 4), g('jac'), g('jflag'), g('touched'), g('st')),
                ...c.setLocal('t', c.i32_add(g('t'), K(1))),
                ...c.br(0),
              ),
            ),
            ...c.i32_store(g('st'), 4, K(0)),
          ]),
          ...c.br(0),
        ),
      ),
      c.i32_store(g('st'), K(0)),
    );
    module.exportFunction('msm_flush');
  }
}

function buildDoubleN(module: any): void {
  const f = module.addFunction('msm_doubleN');
  f.addParam('acc', 'i32');
  f.addParam('n', 'i32');
  const c = f.getCodeBuilder();
  f.addCode(
    c.block(
      c.loop(
        c.br_if(1, c.i32_eqz(c.getLocal('n'))),
        ...c.call('g1m_double', c.getLocal('acc'), c.getLocal('acc')),
        ...c.setLocal('n', c.i32_sub(c.getLocal('n'), c.i32_const(1))),
        ...c.br(0),
      ),
    ),
  );
  module.exportFunction('msm_doubleN');
}

/**
 * `name(src, dst, n)`: n affine points converted coordinate by coordinate with `conv(from, to)`, coordinates
 * `srcBytes` / `dstBytes` apart (identity stays all-zero both ways). msm_toAff: 64-byte ffjavascript layout →
 * 80-byte f29 / f51 layout; msm_fromAff: back.
 */
function buildConvertAff(module: any, name: string, conv: string, srcBytes: number, dstBytes: number): void {
  const f = module.addFunction(name);
  f.addParam('src', 'i32');
  f.addParam('dst', 'i32');
  f.addParam('n', 'i32');
  const c = f.getCodeBuilder();
  const g = (n: string) => c.getLocal(n);
  f.addCode(
    c.block(
      c.loop(
        c.br_if(1, c.i32_eqz(g('n'))),
        ...c.call(conv, g('src'), g('dst')),
        ...c.call(conv, c.i32_add(g('src'), c.i32_const(srcBytes)), c.i32_add(g('dst'), c.i32_const(dstBytes))),
        ...c.setLocal('src', c.i32_add(g('src'), c.i32_const(2 * srcBytes))),
        ...c.setLocal('dst', c.i32_add(g('dst'), c.i32_const(2 * dstBytes))),
        ...c.setLocal('n', c.i32_sub(g('n'), c.i32_const(1))),
        ...c.br(0),
      ),
    ),
  );
  module.exportFunction(name);
}

const built = new Map<'f51' | 'f29', MsmWasm>();

function toMont(x: bigint): bigint {
  return (x << 256n) % Q_MOD;
}

function le32(x: bigint): Uint8Array {
  const b = new Uint8Array(N8);
  for (let i = 0; i < N8; i++, x >>= 8n) b[i] = Number(x & 0xffn);
  return b;
}

/**
 * Builds and compiles the module (once per process per field, tens of ms). Bucket arithmetic in f51 (FMA)
 * where fma.ts finds a fused multiply-add, else f29; `field` forces one (tests).
 */
export function msmWasm(field: 'f51' | 'f29' = fmaAvailable() ? 'f51' : 'f29'): MsmWasm {
  const hit = built.get(field);
  if (hit) return hit;
  // (fmaAvailable also switches on relaxed SIMD where V8 keeps it behind a flag)
  if (field === 'f51' && !fmaAvailable()) throw new Error('msm: the f51 field needs a fused multiply-add (relaxed SIMD), not available here');
  const { code, meta } = moduleCode(`msm-${field}`, () => msmCode(field));
  const out: MsmWasm = {
    module: new WebAssembly.Module(code as Uint8Array<ArrayBuffer>),
    layout: { heap: meta.heap, pages: meta.pages, field, opScratch: field === 'f51' ? OP_SCRATCH_51 : OP_SCRATCH },
  };
  built.set(field, out);
  return out;
}

/** The MSM module's WASM code for `field` (generated; the build also writes it, see ../prebuilt.ts). */
export function msmCode(field: 'f51' | 'f29'): ModuleCode<{ heap: number; pages: number }> {
  const f51 = field === 'f51';
  const module = new ModuleBuilder();
  buildF1m(module, Q_MOD, 'f1m');
  const pB = module.alloc(le32(toMont(3n)));
  buildCurve(module, 'g1m', 'f1m', pB);
  buildF29(module, Q_MOD);
  buildG29(module);
  if (f51) {
    const consts = buildF51(module, Q_MOD);
    buildAff51to29(module);
    buildBatchAdd51(module, consts);
  } else buildBatchAdd(module);
  buildConvertAff(module, 'msm_toAff', f51 ? 'f51_from32' : 'f29_to', N8, ES);
  buildConvertAff(module, 'msm_fromAff', f51 ? 'f51_to32' : 'f29_from', ES, N8);
  buildSegCombine(module, f51);
  buildAddScaled(module);
  buildJacOut(module);
  buildAddJac(module, f51);
  buildDoubleN(module);
  buildDigits(module);
  buildSchedule(module);
  const heap = (module.free + 63) & ~63;
  const pages = Math.ceil((heap + 65536) / 65536);
  module.setMemory(pages);
  return { code: module.build() as Uint8Array, meta: { heap, pages } };
}
