/**
 * The audit circuit of a compiled model: every graph input committed (its commitment public), the output
 * private, and the audit head (head.ts) after it — the compiled model with those settings and the head
 * ({@link auditCompiled}), set up and proven through the library API (src/api). The verifying key's
 * metadata names the head's commitments and the model `<source> (audit: <metric>)`, so a key says which
 * metric over how many classes it proves.
 */
import { InvalidArgumentError } from '../../errors.ts';
import { buildModelCircuit, layoutInputs, type ModelHead, type Visibility } from '../../compiler/index.ts';
import { circuitOptions, type CompiledModel } from '../../api/zkc.ts';
import { auditHead } from './head.ts';
import type { AuditMetric } from './metric.ts';

/** The number of classes: the element count of the model's one output (symbolic dimensions count as 1). */
export function auditClasses(compiled: CompiledModel): number {
  const outs = compiled.model.graph.outputs;
  if (outs.length !== 1) throw new InvalidArgumentError(`an audit needs a model with one output (its class scores); this one has ${outs.length}`);
  const n = (outs[0]!.shape ?? []).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
  if (n < 2) throw new InvalidArgumentError(`an audit needs at least 2 classes; the output '${outs[0]!.name}' has ${n} value${n === 1 ? '' : 's'}`);
  return n;
}

/** The name a verifying key of the audit circuit stores (the proof files' `model` label). */
export function auditModelName(compiled: CompiledModel, metric: AuditMetric): string {
  return `${compiled.source} (audit: ${metric})`;
}

/** The compiled model as its audit circuit at domain size 2^k, with `head` (one sample's witness in it). */
export function auditCompiled(compiled: CompiledModel, metric: AuditMetric, k: number, head: ModelHead): CompiledModel {
  const visibility: Record<string, Visibility> = {};
  for (const v of compiled.model.graph.inputs) visibility[v.name] = 'committed';
  for (const v of compiled.model.graph.outputs) visibility[v.name] = 'private';
  return { ...compiled, source: auditModelName(compiled, metric), k, visibility, head };
}

/** The smallest k of the audit circuit (at least the compiled model's k), from one layout on a placeholder sample. */
export function auditK(compiled: CompiledModel, metric: AuditMetric): number {
  const c = auditCompiled(compiled, metric, compiled.k, auditHead(metric, auditClasses(compiled)));
  const { k: _k, ...opts } = circuitOptions(c);
  return Math.max(compiled.k, buildModelCircuit(c.model, layoutInputs(c.model), opts).k);
}
