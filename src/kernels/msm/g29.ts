/**
 * G1 (y² = x³ + 3) in Jacobian coordinates over f29 (`g29_*`), for the bucket reduction and the overflow
 * accumulators, so that the whole Pippenger inner work runs on the faster f29 multiplication.
 *
 * Layout: Jacobian point = X‖Y‖Z, 3 × 40 bytes (JB = 120); identity ⇔ Z = 0. Affine input = x‖y, 80 bytes,
 * identity = all zero. Formulas (EFD, a = 0): dbl-2009-l, madd-2007-bl, add-2007-bl. Every function reads all
 * of its inputs before writing its output, so out may alias an input.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { ES } from './f29.ts';

export const JB = 3 * ES;

export function buildG29(module: any): void {
  const tmp = () => module.alloc(ES);

  function fn(name: string, params: string[], body: (c: any, P: (n: string, k?: number) => any, F: (op: string, ...a: any[]) => any) => any[]) {
    const f = module.addFunction(name);
    for (const p of params) f.addParam(p, 'i32');
    const c = f.getCodeBuilder();
    const P = (n: string, k = 0) => (k === 0 ? c.getLocal(n) : c.i32_add(c.getLocal(n), c.i32_const(k * ES)));
    const F = (op: string, ...a: any[]) => c.call('f29_' + op, ...a);
    f.addCode(...body(c, P, F));
    module.exportFunction(name);
  }

  // copy / zero of a Jacobian point
  fn('g29_copy', ['a', 'r'], (c, P, F) => [F('copy', P('a'), P('r')), F('copy', P('a', 1), P('r', 1)), F('copy', P('a', 2), P('r', 2))]);
  fn('g29_zero', ['r'], (c, P, F) => [F('zero', P('r')), F('zero', P('r', 1)), F('zero', P('r', 2))]);

  {
    const A = tmp(), B = tmp(), C = tmp(), D = tmp(), E = tmp(), Fv = tmp(), T = tmp(), Z3 = tmp();
    fn('g29_double', ['a', 'r'], (c, P, F) => {
      const k = (v: number) => c.i32_const(v);
      return [
        c.if(c.call('f29_isZero', P('a', 2)), [...c.call('g29_zero', P('r')), ...c.ret([])]),
        F('square', P('a'), k(A)), // A = X²
        F('square', P('a', 1), k(B)), // B = Y²
        F('square', k(B), k(C)), // C = B²
        F('add', P('a'), k(B), k(T)),
        F('square', k(T), k(T)),
        F('sub', k(T), k(A), k(T)),
        F('sub', k(T), k(C), k(T)),
        F('add', k(T), k(T), k(D)), // D = 2((X + B)² − A − C)
        F('add', k(A), k(A), k(E)),
        F('add', k(E), k(A), k(E)), // E = 3A
        F('square', k(E), k(Fv)), // F = E²
        F('mul', P('a', 1), P('a', 2), k(Z3)),
        F('add', k(Z3), k(Z3), k(Z3)), // Z3 = 2YZ
        F('sub', k(Fv), k(D), k(T)),
        F('sub', k(T), k(D), P('r')), // X3 = F − 2D
        F('sub', k(D), P('r'), k(T)),
        F('mul', k(E), k(T), k(T)),
        F('add', k(C), k(C), k(C)),
        F('add', k(C), k(C), k(C)),
        F('add', k(C), k(C), k(C)), // 8C
        F('sub', k(T), k(C), P('r', 1)), // Y3 = E(D − X3) − 8C
        F('copy', k(Z3), P('r', 2)),
      ];
    });
  }

  {
    const Z1Z1 = tmp(), U2 = tmp(), S2 = tmp(), H = tmp(), HH = tmp(), I = tmp(), J = tmp(), R = tmp(), V = tmp(), T = tmp(), X3 = tmp(), Y3 = tmp();
    // r = a (Jacobian) + b (affine)
    fn('g29_addMixed', ['a', 'b', 'r'], (c, P, F) => {
      const k = (v: number) => c.i32_const(v);
      return [
        c.if(c.call('f29_isZero', P('b', 1)), [...c.call('g29_copy', P('a'), P('r')), ...c.ret([])]),
        c.if(c.call('f29_isZero', P('a', 2)), [
          ...F('copy', P('b'), P('r')),
          ...F('copy', P('b', 1), P('r', 1)),
          ...F('one', P('r', 2)),
          ...c.ret([]),
        ]),
        F('square', P('a', 2), k(Z1Z1)),
        F('mul', P('b'), k(Z1Z1), k(U2)),
        F('mul', P('a', 2), k(Z1Z1), k(S2)),
        F('mul', P('b', 1), k(S2), k(S2)),
        F('sub', k(U2), P('a'), k(H)),
        F('sub', k(S2), P('a', 1), k(R)),
        c.if(c.call('f29_isZero', k(H)), [
          ...c.if(c.call('f29_isZero', k(R)), c.call('g29_double', P('a'), P('r')), c.call('g29_zero', P('r'))),
          ...c.ret([]),
        ]),
        F('add', k(R), k(R), k(R)), // r = 2(S2 − Y1)
        F('square', k(H), k(HH)),
        F('add', k(HH), k(HH), k(I)),
        F('add', k(I), k(I), k(I)), // I = 4HH
        F('mul', k(H), k(I), k(J)),
        F('mul', P('a'), k(I), k(V)),
        F('square', k(R), k(X3)),
        F('sub', k(X3), k(J), k(X3)),
        F('sub', k(X3), k(V), k(X3)),
        F('sub', k(X3), k(V), k(X3)), // X3 = r² − J − 2V
        F('sub', k(V), k(X3), k(T)),
        F('mul', k(R), k(T), k(Y3)),
        F('mul', P('a', 1), k(J), k(T)),
        F('add', k(T), k(T), k(T)),
        F('sub', k(Y3), k(T), k(Y3)), // Y3 = r(V − X3) − 2·Y1·J
        F('add', P('a', 2), k(H), k(T)),
        F('square', k(T), k(T)),
        F('sub', k(T), k(Z1Z1), k(T)),
        F('sub', k(T), k(HH), P('r', 2)), // Z3 = (Z1 + H)² − Z1Z1 − HH
        F('copy', k(X3), P('r')),
        F('copy', k(Y3), P('r', 1)),
      ];
    });
  }

  {
    const Z1Z1 = tmp(), Z2Z2 = tmp(), U1 = tmp(), U2 = tmp(), S1 = tmp(), S2 = tmp(), H = tmp(), I = tmp(), J = tmp(), R = tmp(), V = tmp(), T = tmp(), X3 = tmp(), Y3 = tmp();
    // r = a + b (both Jacobian)
    fn('g29_add', ['a', 'b', 'r'], (c, P, F) => {
      const k = (v: number) => c.i32_const(v);
      return [
        c.if(c.call('f29_isZero', P('a', 2)), [...c.call('g29_copy', P('b'), P('r')), ...c.ret([])]),
        c.if(c.call('f29_isZero', P('b', 2)), [...c.call('g29_copy', P('a'), P('r')), ...c.ret([])]),
        F('square', P('a', 2), k(Z1Z1)),
        F('square', P('b', 2), k(Z2Z2)),
        F('mul', P('a'), k(Z2Z2), k(U1)),
        F('mul', P('b'), k(Z1Z1), k(U2)),
        F('mul', P('b', 2), k(Z2Z2), k(S1)),
        F('mul', P('a', 1), k(S1), k(S1)), // S1 = Y1·Z2·Z2Z2
        F('mul', P('a', 2), k(Z1Z1), k(S2)),
        F('mul', P('b', 1), k(S2), k(S2)), // S2 = Y2·Z1·Z1Z1
        F('sub', k(U2), k(U1), k(H)),
        F('sub', k(S2), k(S1), k(R)),
        c.if(c.call('f29_isZero', k(H)), [
          ...c.if(c.call('f29_isZero', k(R)), c.call('g29_double', P('a'), P('r')), c.call('g29_zero', P('r'))),
          ...c.ret([]),
        ]),
        F('add', k(R), k(R), k(R)), // r = 2(S2 − S1)
        F('add', k(H), k(H), k(I)),
        F('square', k(I), k(I)), // I = (2H)²
        F('mul', k(H), k(I), k(J)),
        F('mul', k(U1), k(I), k(V)),
        F('square', k(R), k(X3)),
        F('sub', k(X3), k(J), k(X3)),
        F('sub', k(X3), k(V), k(X3)),
        F('sub', k(X3), k(V), k(X3)), // X3 = r² − J − 2V
        F('sub', k(V), k(X3), k(T)),
        F('mul', k(R), k(T), k(Y3)),
        F('mul', k(S1), k(J), k(T)),
        F('add', k(T), k(T), k(T)),
        F('sub', k(Y3), k(T), k(Y3)), // Y3 = r(V − X3) − 2·S1·J
        F('add', P('a', 2), P('b', 2), k(T)),
        F('square', k(T), k(T)),
        F('sub', k(T), k(Z1Z1), k(T)),
        F('sub', k(T), k(Z2Z2), k(T)),
        F('mul', k(T), k(H), P('r', 2)), // Z3 = ((Z1 + Z2)² − Z1Z1 − Z2Z2)·H
        F('copy', k(X3), P('r')),
        F('copy', k(Y3), P('r', 1)),
      ];
    });
  }
}
