/**
 * `msm_batchAdd` on the FMA field (f51.ts): the same contract as the f29 version in build.ts — k independent
 * affine additions bucket ← bucket ± point, one shared inversion, empty bucket / P + P / P + (−P) handled —
 * with points in the f51 layout (x‖y, 40 bytes each) and the multiplications run two additions at a time,
 * one per SIMD lane. Pass 1 finishes copies into empty buckets and cancellations at once (no op reads another
 * op's bucket, so order does not matter) and lists the m ops that need an inversion; listed ops 2j and 2j+1
 * form pair j. Each lane keeps its own running product of denominators, so the two chains are independent
 * and one lane-wise inversion (Fermat) serves both.
 *
 * Scratch (OP_SCRATCH_51 per op, for k + 1 ops): per listed op D‖N (80 bytes), per pair PRE‖D-pair
 * (160 bytes), the list (4 bytes per op).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { E51, PAIR, type F51Consts } from './f51.ts';

export const OP_SCRATCH_51 = 168;
const PT = 2 * E51;

export function buildBatchAdd51(module: any, consts: F51Consts): void {
  const { pOne, pZero } = consts;
  const pad = new Uint8Array(PT); // a pad lane's D‖N: D = 1, N = 0
  pad.set(consts.one, 0);
  const pPad = module.alloc(pad);
  const pDummy = module.alloc(PT); // a pad lane's point (read, never written)
  const a = () => module.alloc(PAIR);
  const ACC = a(), INVP = a(), NP = a(), LAM = a(), XP = a(), X1 = a(), X2 = a(), TP = a(), Y1 = a(), TMP2 = a();
  const SY = module.alloc(E51);
  const SQ = module.alloc(E51);

  const f = module.addFunction('msm_batchAdd');
  f.addParam('ops', 'i32');
  f.addParam('k', 'i32');
  f.addParam('scr', 'i32');
  for (const n of ['i', 'j', 'm', 'np', 'op', 'dst', 'src', 'neg', 's', 't', 'p0', 'p1', 'pj', 'base2', 'list', 'has1'])
    f.addLocal(n, 'i32');
  for (const n of ['dst0', 'src0', 'dst1', 'src1']) f.addLocal(n, 'i32');
  const c = f.getCodeBuilder();
  const g = (n: string) => c.getLocal(n);
  const K = (v: number) => c.i32_const(v);
  const add = (x: any[], y: number) => c.i32_add(x, K(y));
  const call = (name: string, ...args: any[][]) => c.call(name, ...args);
  const copyPair = (from: number, to: any[]) => {
    const out: any[] = [];
    for (let o = 0; o < PAIR; o += 8) out.push(c.i64_store(to, o, c.i64_load(K(from), o)));
    return out.flat();
  };
  const dx = g('dst');
  const dy = add(g('dst'), E51);
  const sx = g('src');
  const sy = add(g('src'), E51);
  const D = g('s');
  const N = add(g('s'), E51);

  // Pass 1: classify each op; finish copies and cancellations, list the others with their D and N.
  const pass1 = c.block(
    c.loop(
      c.br_if(1, c.i32_eq(g('i'), g('k'))),
      ...c.setLocal('op', c.i32_add(g('ops'), c.i32_shl(g('i'), K(3)))),
      ...c.setLocal('s', c.i32_add(g('scr'), c.i32_mul(g('m'), K(PT)))),
      ...c.setLocal('dst', c.i32_and(c.i32_load(g('op')), K(-4))),
      ...c.setLocal('src', c.i32_load(g('op'), 4)),
      ...c.setLocal('neg', c.i32_and(g('src'), K(1))),
      ...c.setLocal('src', c.i32_and(g('src'), K(-2))),
      ...c.if(
        call('f51_isZero', dy), // empty bucket (real points never have y = 0)
        c.setLocal('t', K(1)),
        c.if(
          call('f51_eq', dx, sx),
          [
            ...c.if(g('neg'), call('f51_sub', K(pZero), sy, K(SY)), call('f51_copy', sy, K(SY))),
            ...c.if(call('f51_eq', dy, K(SY)), c.setLocal('t', K(3)), c.setLocal('t', K(2))),
          ],
          c.setLocal('t', K(0)),
        ),
      ),
      ...c.i32_store(g('op'), c.i32_or(g('dst'), g('t'))),
      ...c.if(
        c.i32_eq(g('t'), K(1)),
        [
          ...call('f51_copy', sx, dx),
          ...c.if(g('neg'), call('f51_sub', K(pZero), sy, dy), call('f51_copy', sy, dy)),
        ],
        c.if(
          c.i32_eq(g('t'), K(2)),
          [...call('f51_copy', K(pZero), dx), ...call('f51_copy', K(pZero), dy)],
          [
            ...c.if(
              c.i32_eqz(g('t')),
              // λ = (y2 − y1)/(x2 − x1), or for −P: (y2 + y1)/(x1 − x2)
              c.if(
                g('neg'),
                [...call('f51_sub', dx, sx, D), ...call('f51_add', sy, dy, N)],
                [...call('f51_sub', sx, dx, D), ...call('f51_sub', sy, dy, N)],
              ),
              [
                // doubling: D = 2y; N = 3x² (x² on lane 0 of a pair product)
                ...call('f51_add', dy, dy, D),
                ...call('f51x2_gather', dx, dx, K(TMP2)),
                ...call('f51x2_mul', K(TMP2), K(TMP2), K(TMP2)),
                ...[0, 1, 2, 3, 4].flatMap((l) => c.i64_store(K(SQ), 8 * l, c.i64_load(K(TMP2), 16 * l))),
                ...call('f51_add', K(SQ), K(SQ), N),
                ...call('f51_add', N, K(SQ), N),
              ],
            ),
            ...c.i32_store(c.i32_add(g('list'), c.i32_shl(g('m'), K(2))), g('i')),
            ...c.setLocal('m', c.i32_add(g('m'), K(1))),
          ],
        ),
      ),
      ...c.setLocal('i', c.i32_add(g('i'), K(1))),
      ...c.br(0),
    ),
  );

  // pair j: its ops' D‖N blocks (the pad block for a missing second op) and its PRE‖D-pair block
  const pairPtrs = [
    ...c.setLocal('p0', c.i32_add(g('scr'), c.i32_mul(g('j'), K(2 * PT)))),
    ...c.setLocal('has1', c.i32_lt_u(c.i32_add(c.i32_shl(g('j'), K(1)), K(1)), g('m'))),
    ...c.if(g('has1'), c.setLocal('p1', add(g('p0'), PT)), c.setLocal('p1', K(pPad))),
    ...c.setLocal('pj', c.i32_add(g('base2'), c.i32_mul(g('j'), K(2 * PAIR)))),
  ];

  const chain = c.block(
    c.loop(
      c.br_if(1, c.i32_eq(g('j'), g('np'))),
      ...pairPtrs,
      ...call('f51x2_gather', g('p0'), g('p1'), add(g('pj'), PAIR)),
      ...copyPair(ACC, g('pj')),
      ...call('f51x2_mul', K(ACC), add(g('pj'), PAIR), K(ACC)),
      ...c.setLocal('j', c.i32_add(g('j'), K(1))),
      ...c.br(0),
    ),
  );

  // listed op 2j + l: its bucket and point
  const opFields = (l: number) => {
    const op = c.i32_add(g('ops'), c.i32_shl(c.i32_load(c.i32_add(g('list'), c.i32_shl(g('j'), K(3))), 4 * l), K(3)));
    return [
      ...c.setLocal('dst' + l, c.i32_and(c.i32_load(op), K(-4))),
      ...c.setLocal('src' + l, c.i32_and(c.i32_load(op, 4), K(-2))),
    ];
  };
  const finish = (l: number) =>
    [0, 1, 2, 3, 4].flatMap((k) => [
      ...c.i64_store(g('dst' + l), 8 * k, c.i64_load(K(XP), 16 * k + 8 * l)),
      ...c.i64_store(g('dst' + l), E51 + 8 * k, c.i64_load(K(TP), 16 * k + 8 * l)),
    ]);

  // Pass 2, pairs backwards: peel the pair's inverses off the running inverse, finish both additions.
  const pass2 = c.block(
    c.loop(
      c.br_if(1, c.i32_eqz(g('j'))),
      ...c.setLocal('j', c.i32_sub(g('j'), K(1))),
      ...pairPtrs,
      ...call('f51x2_mul', K(ACC), g('pj'), K(INVP)),
      ...call('f51x2_mul', K(ACC), add(g('pj'), PAIR), K(ACC)),
      ...call('f51x2_gather', add(g('p0'), E51), add(g('p1'), E51), K(NP)),
      ...call('f51x2_mul', K(NP), K(INVP), K(LAM)),
      ...call('f51x2_mul', K(LAM), K(LAM), K(XP)),
      ...opFields(0),
      ...c.if(g('has1'), opFields(1), [...c.setLocal('dst1', K(pDummy)), ...c.setLocal('src1', K(pDummy))]),
      ...call('f51x2_gather', g('dst0'), g('dst1'), K(X1)),
      ...call('f51x2_gather', g('src0'), g('src1'), K(X2)),
      ...call('f51x2_gather', add(g('dst0'), E51), add(g('dst1'), E51), K(Y1)),
      // x3 = λ² − x1 − x2 (x2 = x1 when doubling); y3 = λ(x1 − x3) − y1
      ...call('f51x2_sub', K(XP), K(X1), K(XP)),
      ...call('f51x2_sub', K(XP), K(X2), K(XP)),
      ...call('f51x2_sub', K(X1), K(XP), K(TP)),
      ...call('f51x2_mul', K(LAM), K(TP), K(TP)),
      ...call('f51x2_sub', K(TP), K(Y1), K(TP)),
      ...finish(0),
      ...c.if(g('has1'), finish(1)),
      ...c.br(0),
    ),
  );

  f.addCode(
    // regions: D‖N per listed op, then PRE‖D-pair per pair, then the list
    c.setLocal('base2', c.i32_add(g('scr'), c.i32_mul(g('k'), K(PT)))),
    c.setLocal('list', c.i32_add(g('base2'), c.i32_mul(c.i32_shr_u(c.i32_add(g('k'), K(1)), K(1)), K(2 * PAIR)))),
    c.setLocal('i', K(0)),
    c.setLocal('m', K(0)),
    pass1,
    c.if(c.i32_eqz(g('m')), c.ret([])),
    c.setLocal('np', c.i32_shr_u(c.i32_add(g('m'), K(1)), K(1))),
    copyPair(consts.pOne2, K(ACC)),
    c.setLocal('j', K(0)),
    chain,
    call('f51x2_inv', K(ACC), K(ACC)),
    c.setLocal('j', g('np')),
    pass2,
  );
  module.exportFunction('msm_batchAdd');
}

/** Affine f51 point at src → affine f29 point at dst (for the g29 paths: overflow buckets, reduction tail). */
export function buildAff51to29(module: any): void {
  const f = module.addFunction('msm_aff51to29');
  f.addParam('src', 'i32');
  f.addParam('dst', 'i32');
  const c = f.getCodeBuilder();
  const T = c.i32_const(module.alloc(40));
  const g = (n: string) => c.getLocal(n);
  f.addCode(
    c.call('f51_to32', g('src'), T),
    c.call('f29_to', T, g('dst')),
    c.call('f51_to32', c.i32_add(g('src'), c.i32_const(E51)), T),
    c.call('f29_to', T, c.i32_add(g('dst'), c.i32_const(40))),
  );
  module.exportFunction('msm_aff51to29');
}
