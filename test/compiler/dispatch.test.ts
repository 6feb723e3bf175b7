/**
 * The compiler's dispatch: an op's own lowering first; else its definition decides — an op tabulating one
 * function ('f') is a table lookup and an op with an index map is movement, so new ops of those kinds need
 * no compiler change; anything else is a LoweringError naming the node and op.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../src/graph/ir.ts';
import { opDef } from '../../src/layers/registry.ts';
import { tableOp } from '../../src/layers/table.ts';
import type { OpDef, OpInput } from '../../src/layers/types.ts';
import { LOWERINGS, loweringFor } from '../../src/compiler/lower/dispatch.ts';
import { lowerMovement } from '../../src/compiler/lower/movement.ts';
import { lowerTableOp } from '../../src/compiler/lower/table.ts';
import { lowerPow } from '../../src/compiler/lower/pow.ts';
import { LoweringError } from '../../src/compiler/index.ts';
import type { LowerCtx } from '../../src/compiler/lower/context.ts';

const node = (op: string): Node => ({ op, name: 'n', inputs: ['x'], outputs: ['y'], attrs: {} });
const x: OpInput = { shape: [2], data: new Float64Array(2), bits: 7 };
const def = (op: string): OpDef => opDef(op) ?? assert.fail(`no op ${op}`);

test('an op with a table function and no lowering of its own gets the table lowering', () => {
  const softsign = tableOp('Softsign', () => ({ fn: (v) => v / (1 + Math.abs(v)), outside: 'clamp' }));
  assert.equal(loweringFor(softsign, node('Softsign'), [x]), lowerTableOp);
  for (const op of ['Sigmoid', 'Tanh', 'Exp', 'Erf', 'Log', 'Sqrt', 'Reciprocal', 'Gelu', 'HardSigmoid', 'HardSwish'])
    assert.equal(loweringFor(def(op), node(op), [x]), lowerTableOp, op);
});

test("an op's own lowering wins over its definition (Pow tabulates non-integer powers itself)", () => {
  const e: OpInput = { shape: [], data: Float64Array.of(2), bits: 0, constFloat: Float64Array.of(0.5) };
  assert.equal(loweringFor(def('Pow'), { ...node('Pow'), inputs: ['x', 'e'] }, [x, e]), lowerPow);
  for (const [op, lowering] of Object.entries(LOWERINGS)) assert.equal(loweringFor(def(op), node(op), [x]), lowering, op);
});

test('movement ops lower by their index maps; an op with neither fails naming node and op', () => {
  for (const op of ['Reshape', 'Transpose', 'Flatten', 'Concat']) assert.equal(loweringFor(def(op), node(op), [x]), lowerMovement, op);
  const opaque: OpDef = { op: 'Opaque', shape: (_n, s) => s, float: (_n, i) => i, int: (_n, i) => i };
  const ctx = { fail: (why: string) => { throw new LoweringError('n', 'Opaque', why); } } as unknown as LowerCtx;
  assert.throws(() => loweringFor(opaque, node('Opaque'), [x])(ctx), (e: unknown) => e instanceof LoweringError && /'n' \(Opaque\).*no circuit lowering/.test(e.message));
  // A name shared with an Object.prototype member is not a lowering.
  assert.notEqual(loweringFor(opaque, node('toString'), [x]), Object.prototype.toString);
});
