/**
 * `msm_batchAdd` on the FMA field (f51.ts): the same contract as the f29 version in build.ts — k independent
 * affine additions bucket ← bucket ± point, one shared inversion, empty bucket / P + P / P + (−P) handled —
 * with points in the f51 layout (x‖y, 40 bytes each) and the multiplications run two additions at a time,
 * one per SIMD lane: ops 2j and 2j+1 form pair j. Each lane keeps its own running product of denominators,
 * so the two chains are independent and one lane-wise inversion (Fermat) serves both.
 *
 * Scratch (OP_SCRATCH_51 per op, for k + 1 ops): per op D‖N (80 bytes), then per pair PRE‖D-pair (160 bytes).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { E51, PAIR, elem51 } from './f51.ts';

export const OP_SCRATCH_51 = 160;
const PT = 2 * E51;

export function buildBatchAdd51(module: any, q: bigint, consts: { pOne2: number; pZero: number }): void {
  const R = (1n << 255n) % q;
  const one = elem51(R);
  const pOne = module.alloc(one);
  const pZero = consts.pZero;
  const pad = new Uint8Array(PT); // a pad lane's D‖N: D = 1, N = 0
  pad.set(one, 0);
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
  for (const n of ['i', 'j', 'np', 'op', 'dst', 'src', 'neg', 's', 't', 'p0', 'p1', 'pj', 'base2', 'has1'])
    f.addLocal(n, 'i32');
  for (const n of ['dst0', 'src0', 'neg0', 't0', 'dst1', 'src1', 'neg1', 't1']) f.addLocal(n, 'i32');
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

  // Pass 1: classify each op, write its D and N (D = 1, N = 0 when it needs no inversion).
  const pass1 = c.block(
    c.loop(
      c.br_if(1, c.i32_eq(g('i'), g('k'))),
      ...c.setLocal('op', c.i32_add(g('ops'), c.i32_shl(g('i'), K(3)))),
      ...c.setLocal('s', c.i32_add(g('scr'), c.i32_mul(g('i'), K(PT)))),
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
        c.i32_eqz(g('t')),
        [
          // D = x2 − x1; N = ±y2 − y1
          ...call('f51_sub', sx, dx, D),
          ...c.if(g('neg'), [...call('f51_add', sy, dy, N), ...call('f51_sub', K(pZero), N, N)], call('f51_sub', sy, dy, N)),
        ],
        c.if(
          c.i32_eq(g('t'), K(3)),
          [
            // doubling: D = 2y; N = 3x² (x² on lane 0 of a pair product)
            ...call('f51_add', dy, dy, D),
            ...call('f51x2_gather', dx, dx, K(TMP2)),
            ...call('f51x2_mul', K(TMP2), K(TMP2), K(TMP2)),
            ...[0, 1, 2, 3, 4].flatMap((l) => c.i64_store(K(SQ), 8 * l, c.i64_load(K(TMP2), 16 * l))),
            ...call('f51_add', K(SQ), K(SQ), N),
            ...call('f51_add', N, K(SQ), N),
          ],
          [...call('f51_copy', K(pOne), D), ...call('f51_copy', K(pZero), N)],
        ),
      ),
      ...c.setLocal('i', c.i32_add(g('i'), K(1))),
      ...c.br(0),
    ),
  );

  // pair j: its ops' D‖N blocks (the pad block for a missing second op) and its PRE‖D-pair block
  const pairPtrs = [
    ...c.setLocal('p0', c.i32_add(g('scr'), c.i32_mul(g('j'), K(2 * PT)))),
    ...c.setLocal('has1', c.i32_lt_u(c.i32_add(c.i32_shl(g('j'), K(1)), K(1)), g('k'))),
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

  const opFields = (l: number) => {
    const op = c.i32_add(c.i32_add(g('ops'), c.i32_shl(g('j'), K(4))), K(8 * l));
    return [
      ...c.setLocal('dst' + l, c.i32_and(c.i32_load(op), K(-4))),
      ...c.setLocal('t' + l, c.i32_and(c.i32_load(op), K(3))),
      ...c.setLocal('src' + l, c.i32_and(c.i32_load(op, 4), K(-2))),
      ...c.setLocal('neg' + l, c.i32_and(c.i32_load(op, 4), K(1))),
    ];
  };
  const finish = (l: number) => {
    const d = g('dst' + l);
    const s = g('src' + l);
    return c.if(
      c.i32_eq(g('t' + l), K(1)),
      [
        ...call('f51_copy', s, d),
        ...c.if(g('neg' + l), call('f51_sub', K(pZero), add(s, E51), add(d, E51)), call('f51_copy', add(s, E51), add(d, E51))),
      ],
      c.if(
        c.i32_eq(g('t' + l), K(2)),
        [...call('f51_copy', K(pZero), d), ...call('f51_copy', K(pZero), add(d, E51))],
        [0, 1, 2, 3, 4].flatMap((k) => [
          ...c.i64_store(d, 8 * k, c.i64_load(K(XP), 16 * k + 8 * l)),
          ...c.i64_store(d, E51 + 8 * k, c.i64_load(K(TP), 16 * k + 8 * l)),
        ]),
      ),
    );
  };

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
    c.setLocal('i', K(0)),
    pass1,
    c.setLocal('np', c.i32_shr_u(c.i32_add(g('k'), K(1)), K(1))),
    c.setLocal('base2', c.i32_add(g('scr'), c.i32_mul(g('k'), K(PT)))),
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
