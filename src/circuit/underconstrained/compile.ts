/**
 * Expressions compiled to closures over a prepared assignment, with the MockProver's semantics: advice
 * read on a row outside [0, u) is poison (null: a random blinding value in the real proof), and a real
 * zero factor clears poison (a disabled selector makes the blinding value irrelevant).
 *
 * The closures read the prepared columns by reference, so the finder can write a cell in place and
 * re-evaluate only the constraints that read it, instead of re-walking the generic `evaluate()` per call.
 */
import { frAdd, frFrom, frMul, frNeg } from '../../scalar/fr.ts';
import type { Expr } from '../../plonk/expression.ts';
import type { PreparedAssignment } from '../mock-prover.ts';

/** An expression's value on a row (rotations relative to it); null when it depends on poison. */
export type RowFn = (row: number) => bigint | null;

export function compileExpr(e: Expr, p: PreparedAssignment): RowFn {
  const { n, u } = p;
  switch (e.kind) {
    case 'const': {
      const v = frFrom(e.value);
      return () => v;
    }
    case 'challenge': {
      const v = p.challenges[e.index];
      if (v === undefined) throw new Error(`challenge ${e.index} is read by the circuit but the assignment has no value for it`);
      return () => v;
    }
    case 'query': {
      const rot = e.rotation;
      const { type, index } = e.column;
      const col = type === 'advice' ? p.advice[index]! : type === 'fixed' ? p.fixed[index]! : p.instance[index]!;
      const at = (row: number) => {
        const w = (row + rot) % n;
        return w < 0 ? w + n : w;
      };
      if (type === 'advice')
        return (row) => {
          const w = at(row);
          return w < u ? col[w]! : null;
        };
      return (row) => col[at(row)]!;
    }
    case 'add': {
      const [a, b] = [compileExpr(e.a, p), compileExpr(e.b, p)];
      return (row) => {
        const x = a(row);
        const y = b(row);
        return x === null || y === null ? null : frAdd(x, y);
      };
    }
    case 'mul': {
      const [a, b] = [compileExpr(e.a, p), compileExpr(e.b, p)];
      return (row) => {
        const x = a(row);
        if (x === 0n) return 0n;
        const y = b(row);
        return y === 0n ? 0n : x === null || y === null ? null : frMul(x, y);
      };
    }
    case 'neg': {
      const a = compileExpr(e.a, p);
      return (row) => {
        const x = a(row);
        return x === null ? null : frNeg(x);
      };
    }
  }
}
