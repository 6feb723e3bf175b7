/**
 * Known-answer tests of the integer primitives and of exact integer op semantics: these pin the rounding
 * the circuit must reproduce, where the float-vs-integer bounds of ops.test.ts leave slack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSafe, divRound, quantize, rescale, roundHalfUp } from '../../src/layers/int-math.ts';
import { IntegerOverflowError, TableDomainError } from '../../src/graph/errors.ts';
import { mul } from '../../src/layers/mul.ts';
import { softmax } from '../../src/layers/softmax.ts';
import { sigmoid } from '../../src/layers/sigmoid.ts';
import { exp } from '../../src/layers/exp.ts';
import { averagePool } from '../../src/layers/average-pool.ts';
import { attr, type Node } from '../../src/graph/ir.ts';
import type { IntCtx, OpInput } from '../../src/layers/types.ts';

const node = (op: string, attrs: Node['attrs'] = {}): Node => ({ op, name: `${op}_n`, inputs: ['x', 'y'], outputs: ['z'], attrs });
const q = (data: number[], bits: number, shape = [data.length]): OpInput => ({ shape, data: Float64Array.from(data), bits });
const ctx = (s: number, tables: Record<string, { lo: number; hi: number; outside: 'clamp' | 'error' }> = {}): IntCtx => ({
  scaleBits: s,
  table: (k) => tables[k]!,
});

test('rdiv rounds half up: floor((2a + b) / 2b) for positive and negative a', () => {
  const cases: [number, number, number][] = [
    [5, 2, 3], [-5, 2, -2], [7, 2, 4], [-7, 2, -3], [1, 3, 0], [2, 3, 1], [-2, 3, -1], [-1, 3, 0], [0, 7, 0], [14, 4, 4], [-14, 4, -3],
  ];
  for (const [a, b, want] of cases) assert.equal(divRound(a, b), want, `rdiv(${a}, ${b})`);
  // Near 2^51 the float quotient is inexact; compare with an exact BigInt floor division.
  for (let k = 0; k < 200; k++) {
    const a = 2 ** 50 + k * 7919 - 100000;
    const b = 3 + (k % 13);
    const n = 2n * BigInt(a) + BigInt(b);
    const d = 2n * BigInt(b);
    const want = n >= 0n ? n / d : -((-n + d - 1n) / d);
    assert.equal(divRound(a, b), Number(want), `rdiv(${a}, ${b})`);
  }
});

test('rescale(a, s) equals rdiv(a, 2^s), and roundHalfUp ties go up', () => {
  for (let a = -40; a <= 40; a++) for (const s of [1, 2, 3]) assert.equal(rescale(a, s), divRound(a, 2 ** s), `a=${a} s=${s}`);
  assert.deepEqual([roundHalfUp(2.5), roundHalfUp(-2.5), roundHalfUp(-2.6)], [3, -2, -3]);
  assert.deepEqual(Array.from(quantize([0.5, -0.25, Infinity], 2)), [2, -1, 2 ** 40]);
});

test('assertSafe rejects values at 2^52 and non-integers', () => {
  assert.throws(() => assertSafe(Float64Array.of(2 ** 52), 'n'), IntegerOverflowError);
  assert.throws(() => assertSafe(Float64Array.of(0.5), 'n'), IntegerOverflowError);
  assertSafe(Float64Array.of(2 ** 52 - 1, -(2 ** 52 - 1)), 'n');
});

test('Mul of fixed-point tensors is rdiv(a·b, 2^s), exactly', () => {
  const [out] = mul.int(node('Mul'), [q([3, -3, 5], 2), q([3, 3, -1], 2)], ctx(2));
  // 9/4 → 2.25 → rdiv = 2; −9/4 → −2; −5/4 → −1 (−1.25 rounds half up to −1).
  assert.deepEqual(Array.from(out!.data), [2, -2, -1]);
  assert.equal(out!.bits, 2);
});

test('AveragePool divides the window sum by the valid count with rdiv', () => {
  const n = node('AveragePool', { kernel_shape: attr.ints([1, 2]) });
  const [out] = averagePool.int(n, [q([1, 2, -3, 0], 3, [1, 1, 1, 4])], ctx(3));
  // (1+2)/2 = 1.5 → 2; (2−3)/2 = −0.5 → 0; (−3+0)/2 = −1.5 → −1.
  assert.deepEqual(Array.from(out!.data), [2, 0, -1]);
});

test('Softmax integer semantics: exp table on x − max, then rdiv(e·2^s, Σe)', () => {
  const s = 4;
  const lo = -Math.floor((Math.log(2 ** (s + 1)) + 1) * 16);
  const [out] = softmax.int(node('Softmax'), [q([16, 0, -16], s)], ctx(s, { exp: { lo, hi: 0, outside: 'clamp' } }));
  // e = round(exp([0, −1, −2]) · 16) = [16, 6, 2]; Σ = 24; out = rdiv(e·16, 24) = [11, 4, 1].
  assert.deepEqual(Array.from(out!.data), [11, 4, 1]);
});

test('tables: clamp policy saturates, error policy names op, tensor and value', () => {
  const s = 3;
  const [sig] = sigmoid.int(node('Sigmoid'), [q([-1000, 0, 1000], s)], ctx(s, { f: { lo: -80, hi: 80, outside: 'clamp' } }));
  assert.deepEqual(Array.from(sig!.data), [0, 4, 8]);
  assert.throws(
    () => exp.int(node('Exp'), [q([0, 99], s)], ctx(s, { f: { lo: -16, hi: 16, outside: 'error' } })),
    (e: unknown) => e instanceof TableDomainError && /Exp node 'Exp_n'.*'x'.*99/.test(e.message),
  );
});
