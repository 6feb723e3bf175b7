/**
 * Lookup tables are identified by their rows, never by a node's name. Attack: a model whose table nodes
 * share a name (two nodes both called 'f', or an explicit name equal to one the importer invents for an
 * unnamed node), with a witness that gives the second node the first node's function. If the tables were
 * shared by name, that witness would satisfy every constraint and prove a wrong output; it must be rejected
 * by the MockProver and by the real verifier (the proof made by a prover that ignores failing constraints).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { devSrs } from '../../src/commit/index.ts';
import { buildModelCircuit } from '../../src/compiler/index.ts';
import { mockProve, describe as describeFailure } from '../../src/circuit/mock-prover.ts';
import { CircuitBuilder } from '../../src/circuit/builder.ts';
import { tableLookup } from '../../src/circuit/chips/table-lookup.ts';
import { CircuitError } from '../../src/errors.ts';
import { FR_MODULUS } from '../../src/scalar/fr.ts';
import { frVecFromBigints, frVecToBigints } from '../../src/field/frvec.ts';
import { terminateFfjsCurve } from '../../src/kernels/ffjs.ts';
import { opDef } from '../../src/layers/registry.ts';
import { tableValue } from '../../src/layers/table.ts';
import { attr, type Attr, type Node } from '../../src/graph/ir.ts';
import { importOnnx } from '../../src/model/load.ts';
import { writeOnnx } from '../../src/graph/onnx/writer.ts';
import { keygen } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { evaluateIntQ } from '../../src/model/int-eval.ts';
import { graph, quantizeSmall } from './lowering-helpers.ts';

after(terminateFfjsCurve);

interface Case {
  /** The first node ('f'), whose function the forged witness gives to the second. */
  a: { op: string; attrs?: Record<string, Attr> };
  /** The second node, also named 'f' (or the unnamed / invented-name pair when `names` is set). */
  b: { op: string; attrs?: Record<string, Attr> };
  names?: [string, string];
  scaleBits?: number;
}

// Every table op appears as the second node once. Ops with attributes collide with themselves under other
// attributes (the original attack); the others with another table op of the same name (shared per-node
// settings would hand one node the other's domain).
const CASES: Case[] = [
  { a: { op: 'HardSigmoid', attrs: { alpha: attr.float(0.2) } }, b: { op: 'HardSigmoid', attrs: { alpha: attr.float(0.5) } } },
  { a: { op: 'HardSigmoid', attrs: { alpha: attr.float(0.5) } }, b: { op: 'HardSigmoid', attrs: { alpha: attr.float(0.2) } }, names: ['HardSigmoid_1', ''] },
  { a: { op: 'Gelu' }, b: { op: 'Gelu', attrs: { approximate: attr.string('tanh') } }, scaleBits: 12 },
  { a: { op: 'Tanh' }, b: { op: 'Sigmoid' } },
  { a: { op: 'Sigmoid' }, b: { op: 'Tanh' } },
  { a: { op: 'Sqrt' }, b: { op: 'Exp' } },
  { a: { op: 'Tanh' }, b: { op: 'Erf' } },
  { a: { op: 'Sqrt' }, b: { op: 'Log' } },
  { a: { op: 'Log' }, b: { op: 'Sqrt' } },
  { a: { op: 'Sqrt' }, b: { op: 'Reciprocal' } },
  { a: { op: 'HardSigmoid' }, b: { op: 'HardSwish' } },
];

const shape = [1, 6];

function model(c: Case) {
  const [na, nb] = c.names ?? ['f', 'f'];
  const nodes: Node[] = [
    { op: c.a.op, name: na, inputs: ['x'], outputs: ['y1'], attrs: c.a.attrs ?? {} },
    { op: c.b.op, name: nb, inputs: ['x'], outputs: ['y2'], attrs: c.b.attrs ?? {} },
  ];
  const out = ['y1', 'y2'].map((name) => ({ name, dtype: 'float32' as const, shape }));
  const g = graph(`${c.a.op}-${c.b.op}`, shape, out, nodes, {}, 20);
  // Positive inputs away from 0: inside every function's domain (Log, Sqrt, Reciprocal).
  return quantizeSmall(g, shape, 0.5, 2, 5, c.scaleBits ?? 7);
}

for (const c of CASES) {
  const label = `${c.a.op}${c.a.attrs ? JSON.stringify(Object.values(c.a.attrs).map((v) => v.value)) : ''} and ${c.b.op}${
    c.b.attrs ? JSON.stringify(Object.values(c.b.attrs).map((v) => v.value)) : ''
  } named ${JSON.stringify(c.names ?? ['f', 'f'])}`;
  test(`table op with colliding node names (${label}): renamed on import, own tables; the other node's function is rejected by MockProver and the verifier`, async () => {
    const { model: m, inputs } = model(c);
    const names = m.graph.nodes.map((n) => n.name);
    assert.equal(new Set(names).size, names.length, `node names unique: ${names}`);
    const q = inputs[0]!;
    const circuit = buildModelCircuit(m, q, { width: 4 });
    const ref = evaluateIntQ(m, q);
    for (const o of circuit.publicOutputs) assert.deepEqual(o.values, Array.from(ref[o.name]!.data), `output ${o.name}`);
    assert.ok(mockProve(circuit.cs, circuit.k, circuit.assignment).ok, 'honest witness');

    // The forged witness: in the second node's lookup rows, y := f_a(x) (the first node's function).
    const s = m.settings.scaleBits;
    const nodeA = m.graph.nodes.find((n) => n.outputs[0] === 'y1')!;
    const nodeB = m.graph.nodes.find((n) => n.outputs[0] === 'y2')!;
    const fnOf = (n: Node) => opDef(n.op)!.tables!(n, [])!['f']!.fn;
    const [fa, fb] = [fnOf(nodeA), fnOf(nodeB)];
    const lookupB = circuit.cs.lookups.filter((l) => l.name.startsWith(`${nodeB.op}/`));
    assert.ok(lookupB.length >= 1, 'the second node has a lookup');
    const adv = circuit.assignment.advice.map((a) => frVecToBigints(a));
    const fixed = circuit.assignment.fixed.map((a) => frVecToBigints(a));
    const signed = (v: bigint): number => Number(v > FR_MODULUS / 2n ? v - FR_MODULUS : v);
    const changed = new Map<number, bigint>(); // row → forged y
    for (const l of lookupB) {
      if (l.selector.kind !== 'query' || l.inputs.length !== 2) continue;
      const [ix, iy] = l.inputs.map((e) => (e.kind === 'query' ? e.column.index : -1));
      const sel = fixed[l.selector.column.index]!;
      for (let row = 0; row < sel.length; row++) {
        if (sel[row] !== 1n) continue;
        const x = signed(adv[ix!]![row]!);
        const [ya, yb] = [tableValue(fa, x, s), tableValue(fb, x, s)];
        if (signed(adv[iy!]![row]!) !== yb || ya === yb) continue;
        adv[iy!]![row] = ((BigInt(ya) % FR_MODULUS) + FR_MODULUS) % FR_MODULUS;
        changed.set(row, adv[iy!]![row]!);
      }
    }
    assert.ok(changed.size > 0, 'some input where the two functions differ');
    // Publish the forged outputs too (the copies to the instance column then hold).
    const instance = circuit.assignment.instance.map((col) => [...col]);
    for (const cp of circuit.assignment.copies)
      for (const [from, to] of [[cp.a, cp.b], [cp.b, cp.a]] as const)
        if (from.column.type === 'advice' && to.column.type === 'instance' && changed.has(from.row) && adv[from.column.index]![from.row] === changed.get(from.row))
          instance[to.column.index]![to.row] = changed.get(from.row)!;
    const advice = adv.map((col) => frVecFromBigints(col));
    const forged = { ...circuit.assignment, advice, instance };
    const mock = mockProve(circuit.cs, circuit.k, forged, { maxFailures: 3 });
    assert.equal(mock.ok, false, 'MockProver accepted the forged witness');
    assert.ok(mock.failures.some((f) => f.name.startsWith(`${nodeB.op}/`)), mock.failures.map(describeFailure).join('\n'));

    const pk = await keygen(await devSrs(circuit.k), circuit.circuit);
    const proof = await prove(pk, instance, { advice: () => advice }, { cheat: true });
    assert.equal((await verify(pk.vk, instance, proof)).valid, false, 'the verifier accepted a proof of the forged witness');
  });
}

test('the builder refuses a table name registered again with other rows, and shares one with the same rows', () => {
  const b = new CircuitBuilder();
  const [x] = b.privateInputs([3]);
  const sq = { name: 'g', lo: 0, hi: 8, f: (v: number) => v * v };
  tableLookup(b, x!, sq);
  tableLookup(b, x!, { ...sq }); // same rows, another spec object: checked and shared
  assert.throws(() => tableLookup(b, x!, { name: 'g', lo: 0, hi: 8, f: (v: number) => v * v + 1 }), (e: unknown) => e instanceof CircuitError && /different rows/.test(e.message));
  assert.throws(() => tableLookup(b, x!, { name: 'g', lo: 0, hi: 9, f: (v: number) => v * v }), CircuitError);
  assert.equal(b.build().cs.lookupTables.length, 1);
});

test('importer: repeated and invented node names are made unique and reported', () => {
  const nodes: Node[] = [
    { op: 'Relu', name: 'Relu_1', inputs: ['x'], outputs: ['a'], attrs: {} },
    { op: 'Relu', name: '', inputs: ['a'], outputs: ['b'], attrs: {} },
    { op: 'Relu', name: 'Relu_1', inputs: ['b'], outputs: ['y'], attrs: {} },
  ];
  const g = importOnnx(writeOnnx(graph('names', shape, shape, nodes, {})));
  const names = g.nodes.map((n) => n.name);
  assert.equal(names[0], 'Relu_1');
  assert.equal(new Set(names).size, 3, `${names}`);
  assert.deepEqual(g.renamedNodes?.map((r) => r.from), ['Relu_1']);
});
