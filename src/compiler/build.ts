/**
 * The graph walk: lays out a quantized model as a circuit (CircuitBuilder + chips) and assigns the
 * witness from the integer reference semantics.
 *
 * - graph inputs: private, range-checked to the calibrated input range (limbs of T bits), one or
 *   `inputsPerRow` to a row (gadgets.ts rangedInputs); public ones are also copied to instance column 0; committed ones are hashed
 *   with a private salt cell (chips/commitment.ts) and the commitment is copied there instead;
 * - each node, in the order of the integer evaluator's runner (`runGraph`): its reference outputs by its
 *   `int` semantics, then its lowering (lower/dispatch.ts, one file per op family) lays out cells that must
 *   hold exactly those integers — checked here as we go, so the public outputs equal `evaluateIntQ` bit
 *   for bit. The node's rows are labelled `Op 'name'`, so MockProver failures name the node and op;
 * - committed weights (options `committedWeights`, weights.ts): after the inputs, every planned weight is
 *   assigned once, in the row of its range check, packed ~15 to a field element, hashed under a private
 *   salt, and the commitment made public; the lowerings read the weight cells (ctx.committed) instead of
 *   putting numbers in fixed columns, and a node that would read any other non-scalar float constant as
 *   numbers is refused;
 * - graph outputs: copied to instance column 0 (public), in graph output order, row-major;
 * - an optional head (options.ts `head`, e.g. src/apps/audit) laid out after them over the output cells,
 *   whose public commitments follow the model's public tensors.
 *
 * Notation in the lowerings: s = model scale bits, W = dot-chip width, T = range-table bits, B = signed
 * activation bits (options.ts). The layout depends only on the model (shapes, weights, settings), never on
 * input values (with committed weights, only on the architecture and options); keygen and the cost
 * estimate can lay it out on any sample the reference accepts (samples.ts).
 */
import { CircuitError } from '../errors.ts';
import type { CircuitDescription } from '../plonk/keygen.ts';
import type { ConstraintSystem } from '../plonk/cs.ts';
import type { Witness } from '../plonk/prover.ts';
import { CircuitBuilder } from '../circuit/builder.ts';
import type { Assignment } from '../circuit/mock-prover.ts';
import { publicOutputs } from '../circuit/chips/public.ts';
import { commitCells } from '../circuit/chips/commitment.ts';
import { ModelError } from '../graph/errors.ts';
import type { QuantizedModel } from '../model/int-eval.ts';
import { runGraph } from '../model/run-graph.ts';
import { tensorValues } from '../model/simplify.ts';
import { quantize } from '../layers/int-math.ts';
import type { IntCtx, QArr } from '../layers/types.ts';
import { LoweringError } from './errors.ts';
import { rangedInput, rangedInputs } from './gadgets.ts';
import { modelScope, type Cells, type LowerCtx } from './lower/context.ts';
import { loweringFor } from './lower/dispatch.ts';
import { layoutParams, type CompileOptions, type LayoutParams } from './options.ts';
import { resolveVisibility, type PublicTensor } from './visibility.ts';
import { checkCommittedWeightsModel, committedWeightValues, packGroups, WEIGHTS_COMMITMENT_NAME } from './weights.ts';
import { dotProduct } from '../circuit/chips/dot.ts';
import type { RescaleActivation } from '../circuit/chips/rescale-act.ts';
import type { Graph } from '../graph/ir.ts';
import { clipActivation, clipBounds } from './lower/relu-clip.ts';

/** Size of a laid-out circuit. */
export interface CircuitStats {
  rows: number;
  advice: number;
  fixed: number;
  lookups: number;
  copies: number;
}

export interface ModelCircuit {
  cs: ConstraintSystem;
  k: number;
  circuit: CircuitDescription;
  instances: bigint[][];
  witness: Witness;
  /** The full assignment (for mockProve / the under-constrained-cell finder), rows labelled by node. */
  assignment: Assignment;
  publicOutputs: { name: string; shape: number[]; values: number[] }[];
  /** Committed graph outputs: their quantized values (public is only their commitment), for the opening. */
  committedOutputs: { name: string; shape: number[]; bits: number; values: number[] }[];
  /** Where each public tensor sits in instance column 0 (inputs first, then outputs). */
  publicLayout: PublicTensor[];
  stats: CircuitStats;
  /** Widths the layout used. */
  params: LayoutParams;
}

/**
 * Lays out the quantized model and assigns the witness for one quantized input. The layout (cs, fixed,
 * copies, k) depends only on the model and options, so keygen can run it on any sample (e.g. zeros).
 */
export function buildModelCircuit(model: QuantizedModel, qInputs: Record<string, QArr>, opts: CompileOptions = {}): ModelCircuit {
  const { graph, settings } = model;
  // Per-node settings (table domains) are keyed by node name; the importers make names unique, and a
  // graph that reaches here with a repeated name would let one node's settings stand for another's.
  const nodeNames = new Set<string>();
  for (const n of graph.nodes) {
    if (nodeNames.has(n.name)) throw new LoweringError(n.name, n.op, 'another node has the same name (node names must be unique; simplifyGraph renames repeats)');
    nodeNames.add(n.name);
  }
  const params = layoutParams(model, opts);
  const s = settings.scaleBits;
  const b = new CircuitBuilder();
  const scope = modelScope(b, { s, W: params.width, C: params.dotOutputs, T: params.tableBits, B: params.actBits }, settings, opts.freivalds ?? false);
  const tensors = new Map<string, Cells>();
  const refValues = new Map<string, QArr>();

  const visibility = resolveVisibility(graph, opts.visibility);
  const publicLayout: PublicTensor[] = [];
  let publicRows = 0;
  const makePublic = (name: string, kind: PublicTensor['kind'], shape: number[], cells: Cells['cells']): void => {
    publicOutputs(b, cells);
    publicLayout.push({ name, kind, shape: [...shape], offset: publicRows, length: cells.length });
    publicRows += cells.length;
  };

  // Graph inputs: range-checked, `inputsPerRow` to a row.
  for (const v of graph.inputs) {
    const x = qInputs[v.name];
    if (!x) throw new CircuitError(`input '${v.name}' is missing`);
    b.enterRegion(`input '${v.name}'`);
    const cells = rangedInputs(b, Array.from(x.data, (d) => BigInt(d)), params.inputBits[v.name]!, params.tableBits, params.inputsPerRow);
    b.exitRegion();
    if (visibility.get(v.name) === 'public') makePublic(v.name, 'input', x.shape, cells);
    if (visibility.get(v.name) === 'committed') {
      // The cells stay private; the salted commitment to them takes the input's place among the publics.
      b.enterRegion(`input '${v.name}' commitment`);
      const [salt] = b.privateInputs([opts.salts?.[v.name] ?? 0n]);
      makePublic(v.name, 'commitment', [1], [commitCells(b, cells, salt!)]);
      b.exitRegion();
    }
    tensors.set(v.name, { shape: [...x.shape], bits: x.bits, cells });
    refValues.set(v.name, x);
  }

  // Committed weights: one home cell per quantized weight (the only place its value is assigned; every use
  // is a copy of it), all of them hashed under the salt, and the commitment public.
  const weightSlots = new Map<string, Cells>();
  const slotKey = (node: string, i: number) => `${node}\u0000${i}`;
  if (opts.committedWeights) {
    checkCommittedWeightsModel(model);
    const { slots: plan, values: all, widths } = committedWeightValues(model, params.weightBits);
    if (all.length === 0) throw new CircuitError('committed weights: the model has no weights to commit (no Conv, Gemm, MatMul, Add or Sub reads a float constant)');
    // Each weight's home is the row of its own range check (its width comes from the options).
    b.enterRegion('weights');
    const home = all.map((v, j) => rangedInput(b, v, widths[j]!, params.tableBits));
    b.exitRegion();
    let at = 0;
    for (const w of plan) {
      const n = w.shape.reduce((x, y) => x * y, 1);
      weightSlots.set(slotKey(w.node, w.input), { shape: [...w.shape], bits: w.bits, cells: home.slice(at, at + n) });
      at += n;
    }
    // Packing (weights.ts): element = Σ (w_i + 2^(c_i − 1))·2^(offset_i), one dot product over the range-checked
    // cells with power-of-two weights and the offsets' sum as its bias (all fixed by the options).
    b.enterRegion('weights packing');
    const packed = packGroups(widths).map((g) => {
      const xs = g.widths.map((_, j) => home[g.first + j]!);
      const ws = g.offsets.map((o) => 1n << BigInt(o));
      const bias = g.widths.reduce((acc, c, j) => acc + (1n << BigInt(c - 1 + g.offsets[j]!)), 0n);
      return dotProduct(b, xs, ws, bias, { width: params.width });
    });
    b.exitRegion();
    b.enterRegion('weights commitment');
    const [salt] = b.privateInputs([opts.weightsSalt ?? 0n]);
    makePublic(WEIGHTS_COMMITMENT_NAME, 'commitment', [1], [commitCells(b, packed, salt!)]);
    b.exitRegion();
  }

  // Activations fused into the rescale of the node that computes their input (chips/rescale-act.ts): a
  // tensor read only by one Relu, or one Clip(0, hi) with constant bounds, is rescaled with it in one row.
  const fusedActivation = fusableActivations(graph, s);

  runGraph<QArr>(
    graph,
    refValues,
    (def, node, ins) => {
      const ictx: IntCtx = {
        scaleBits: s,
        table: (kind) => {
          const t = settings.tables[node.name]?.[kind];
          if (!t) throw new ModelError(node.name, `no '${kind}' table domain in the quantization settings`);
          return t;
        },
      };
      const ref = def.int(node, ins, ictx);
      const runtime = (i: number): Cells | undefined => {
        const name = node.inputs[i];
        return name ? tensors.get(name) : undefined;
      };
      const fail = (why: string): never => {
        throw new LoweringError(node.name, node.op, why);
      };
      const used = new Set<number>();
      if (opts.committedWeights)
        ins.forEach((x, i) => {
          // A float constant read as numbers would land in fixed columns, i.e. in the verifying key.
          if (x.constFloat && x.bits !== 0 && x.data.length > 1 && !weightSlots.has(slotKey(node.name, i)))
            fail(`reads the constant tensor '${node.inputs[i]}' (${x.data.length} values) as numbers, which would put it in the verifying key; committed weights cover Conv, Gemm and MatMul operands and Add/Sub biases`);
        });
      const act = node.outputs.length === 1 ? fusedActivation.get(node.outputs[0]!) : undefined;
      const ctx: LowerCtx = {
        ...scope,
        ...(act ? { rescaleOut: scope.fusedRescale(act) } : {}),
        fusedActivation: act,
        def,
        node,
        ins,
        ref,
        runtime,
        fail,
        committed: (i) => {
          const w = weightSlots.get(slotKey(node.name, i));
          if (w) used.add(i);
          return w;
        },
        runtimeAtScale: (i, what) => {
          const t = runtime(i);
          if (!t) return fail(`${what} must be a runtime tensor`);
          if (t.bits !== s) return fail(`${what} is at scale 2^${t.bits}, expected 2^${s}`);
          return t;
        },
      };
      b.enterRegion(`${node.op} '${node.name}'`);
      const outs = loweringFor(def, node, ins)(ctx);
      b.exitRegion();
      for (let i = 0; i < node.inputs.length; i++)
        if (weightSlots.has(slotKey(node.name, i)) && !used.has(i)) throw new CircuitError(`internal: node '${node.name}' (${node.op}) did not read its committed weight input ${i}`);
      outs.forEach((t, k) => {
        const name = node.outputs[k];
        if (!name) return;
        const r = ref[k]!;
        if (t.cells.length !== r.data.length) throw new CircuitError(`internal: node '${node.name}' output ${k} has ${t.cells.length} cells, reference ${r.data.length}`);
        for (let j = 0; j < r.data.length; j++)
          if (t.cells[j]!.value !== BigInt(r.data[j]!))
            throw new CircuitError(`internal: node '${node.name}' (${node.op}) output ${k}[${j}]: circuit ${t.cells[j]!.value}, reference ${r.data[j]}`);
        tensors.set(name, t);
      });
      return ref;
    },
    (data, shape, isInt) => (isInt ? { shape, data, bits: 0, constFloat: data } : { shape, data: quantize(data, s), bits: s, constFloat: data }),
  );

  const pubs: ModelCircuit['publicOutputs'] = [];
  const committedOuts: ModelCircuit['committedOutputs'] = [];
  const outCells = new Map<string, Cells>();
  for (const o of graph.outputs) {
    let t = tensors.get(o.name);
    const c = graph.initializers[o.name];
    if (!t && c) {
      const d = c.dtype === 'float32' ? quantize(tensorValues(c), s) : c.data;
      t = { shape: [...c.shape], bits: c.dtype === 'float32' ? s : 0, cells: Array.from(d, (v) => b.constant(v)) };
    }
    if (!t) throw new CircuitError(`output '${o.name}' was not computed`);
    outCells.set(o.name, t);
    if (visibility.get(o.name) === 'committed') {
      // Private cells, their salted commitment public in the output's place (the salt: opts.salts).
      b.enterRegion(`output '${o.name}' commitment`);
      const [salt] = b.privateInputs([opts.salts?.[o.name] ?? 0n]);
      makePublic(o.name, 'commitment', [1], [commitCells(b, t.cells, salt!)]);
      b.exitRegion();
      committedOuts.push({ name: o.name, shape: [...t.shape], bits: t.bits, values: t.cells.map((v) => Number(v.value)) });
      continue;
    }
    if (visibility.get(o.name) !== 'public') continue;
    makePublic(o.name, 'output', t.shape, t.cells);
    pubs.push({ name: o.name, shape: [...t.shape], values: t.cells.map((v) => Number(v.value)) });
  }

  opts.head?.(b, outCells, { params, publish: (name, cell) => makePublic(name, 'commitment', [1], [cell]) });

  const built = b.build(opts.k !== undefined ? { k: opts.k } : {});
  return {
    cs: built.cs,
    k: built.k,
    circuit: built.circuit,
    instances: built.instances,
    witness: built.witness,
    assignment: built.assignment,
    publicOutputs: pubs,
    committedOutputs: committedOuts,
    publicLayout,
    stats: {
      rows: built.rows,
      advice: built.cs.advicePhases.length,
      fixed: built.cs.numFixed,
      lookups: built.cs.lookups.length,
      copies: built.circuit.copies.length,
    },
    params,
  };
}

/**
 * Tensors whose only reader is a Relu, or a Clip whose constant bounds are [0, hi] (ReLU6), with that
 * activation: the node computing such a tensor rescales and activates each value in one row.
 */
function fusableActivations(graph: Graph, s: number): Map<string, RescaleActivation> {
  const readers = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) if (i) readers.set(i, (readers.get(i) ?? 0) + 1);
  for (const o of graph.outputs) readers.set(o.name, (readers.get(o.name) ?? 0) + 1);
  const out = new Map<string, RescaleActivation>();
  for (const n of graph.nodes) {
    const x = n.inputs[0];
    if (!x || readers.get(x) !== 1) continue;
    if (n.op === 'Relu') out.set(x, { kind: 'relu' });
    else if (n.op === 'Clip') {
      const constant = (i: number) => {
        const t = graph.initializers[n.inputs[i]!];
        return t && t.dtype === 'float32' ? tensorValues(t) : undefined;
      };
      // Bounds the circuit cannot use are the Clip's own lowering's to report.
      const bounds = clipBounds(n, s, constant);
      const act = bounds.why === undefined ? clipActivation(bounds.qlo, bounds.qhi) : undefined;
      if (act) out.set(x, act);
    }
  }
  return out;
}
