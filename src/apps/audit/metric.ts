/**
 * Audit metrics over a labelled dataset, as integer counts (what the circuit accumulates) and the values a
 * verifier derives from them. With C classes, label l and predicted class p (the first maximum of the
 * model's output), each sample adds to the counts:
 *
 *   accuracy         [correct]                                   1 count:   +[p = l]
 *   per-class-rate   [correct_0 … correct_{C−1}, total_0 … total_{C−1}]   2C:  correct_l += [p = l], total_l += 1
 *   confusion        [m_{0,0} … m_{C−1,C−1}] row-major by label       C²:  m_{l,p} += 1
 *
 * Nothing else of a sample enters the counts, so the counts after the last sample are all an audit reveals
 * besides the sample count.
 */
import { InvalidArgumentError } from '../../errors.ts';

export const AUDIT_METRICS = ['accuracy', 'confusion', 'per-class-rate'] as const;
export type AuditMetric = (typeof AUDIT_METRICS)[number];

/** The metric named `s`, or an InvalidArgumentError listing the metrics. */
export function parseMetric(s: unknown): AuditMetric {
  if (typeof s === 'string' && (AUDIT_METRICS as readonly string[]).includes(s)) return s as AuditMetric;
  throw new InvalidArgumentError(`--metric must be one of ${AUDIT_METRICS.join(', ')}${s === undefined || s === true ? '' : `, got '${String(s)}'`}`);
}

/** How many counts the metric accumulates for C classes. */
export function countsLength(metric: AuditMetric, classes: number): number {
  return metric === 'accuracy' ? 1 : metric === 'per-class-rate' ? 2 * classes : classes * classes;
}

/** Index of the first maximum (the audit's predicted class). */
export function argmaxFirst(xs: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < xs.length; j++) if (xs[j]! > xs[best]!) best = j;
  return best;
}

/** The counts after adding one sample with label `label` and prediction `pred` (the integer reference). */
export function addSample(metric: AuditMetric, classes: number, counts: readonly number[], label: number, pred: number): number[] {
  const out = [...counts];
  if (metric === 'accuracy') out[0] += pred === label ? 1 : 0;
  else if (metric === 'per-class-rate') {
    out[label] += pred === label ? 1 : 0;
    out[classes + label] += 1;
  } else out[label * classes + pred] += 1;
  return out;
}

/** The counts of a whole dataset from its labels and predictions. */
export function referenceCounts(metric: AuditMetric, classes: number, labels: readonly number[], preds: readonly number[]): number[] {
  let c = new Array<number>(countsLength(metric, classes)).fill(0);
  labels.forEach((l, i) => (c = addSample(metric, classes, c, l, preds[i]!)));
  return c;
}

/** What an audit file states, derived from the counts (the verifier recomputes it and compares). */
export type AuditResult =
  | { accuracy: number; correct: number; total: number }
  | { per_class_rate: (number | null)[]; correct: number[]; total: number[] }
  | { confusion: number[][] };

/** The metric's value from the counts of `samples` samples (a rate of a class without samples is null). */
export function metricResult(metric: AuditMetric, classes: number, counts: readonly number[], samples: number): AuditResult {
  if (metric === 'accuracy') return { accuracy: samples ? counts[0]! / samples : 0, correct: counts[0]!, total: samples };
  if (metric === 'per-class-rate') {
    const correct = counts.slice(0, classes);
    const total = counts.slice(classes, 2 * classes);
    return { per_class_rate: correct.map((c, j) => (total[j] ? c / total[j]! : null)), correct, total };
  }
  return { confusion: Array.from({ length: classes }, (_, l) => counts.slice(l * classes, (l + 1) * classes)) };
}
