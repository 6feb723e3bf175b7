/**
 * An audit's dataset file: `{"samples": [<one input sample>, …], "labels": [<class>, …]}`, one label per
 * sample, each sample in any form an input file takes (`{"input": [...]}`, one key per graph input, …).
 * Everything is checked before anything is proven: the JSON, equal counts, every sample against the model
 * (names, shapes, finite numbers, the calibrated input range) and every label an integer class in [0, C).
 */
import { FormatError, InvalidArgumentError, ZkmlError } from '../../errors.ts';
import { quantizedInputs } from '../../api/commit.ts';
import type { CompiledModel } from '../../api/zkc.ts';
import type { QArr } from '../../layers/types.ts';

/** A checked dataset: each sample as input-file JSON text, its quantized inputs, and its label. */
export interface AuditDataset {
  readonly samples: readonly { text: string; inputs: Record<string, QArr> }[];
  readonly labels: readonly number[];
}

/** Reads and checks a dataset file for a model with `classes` classes (`path` names it in errors). */
export function parseAuditDataset(compiled: CompiledModel, text: string, path: string, classes: number): AuditDataset {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (e) {
    throw new FormatError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new FormatError(path, 'expected {"samples": [...], "labels": [...]}');
  const o = obj as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'samples' && k !== 'labels');
  if (extra.length) throw new FormatError(path, `unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')} (expected "samples" and "labels")`);
  if (!Array.isArray(o.samples) || o.samples.length === 0) throw new FormatError(path, '"samples" must be a non-empty array of input samples');
  if (!Array.isArray(o.labels)) throw new FormatError(path, '"labels" must be an array of class indices');
  if (o.labels.length !== o.samples.length) throw new InvalidArgumentError(`${path}: ${o.samples.length} samples but ${o.labels.length} labels`);
  const labels = o.labels.map((l, i) => {
    if (!Number.isSafeInteger(l) || (l as number) < 0 || (l as number) >= classes)
      throw new InvalidArgumentError(`${path}: label ${i} is ${JSON.stringify(l)}, not a class of the model (an integer in [0, ${classes - 1}])`);
    return l as number;
  });
  const samples = o.samples.map((s, i) => {
    const sampleText = JSON.stringify(s);
    const inputs: Record<string, QArr> = {};
    try {
      for (const { name, q } of quantizedInputs(compiled, sampleText, `${path} sample ${i}`)) inputs[name] = q;
    } catch (e) {
      if (e instanceof ZkmlError) throw new InvalidArgumentError(`${path}: sample ${i}: ${e.message}`);
      throw e;
    }
    return { text: sampleText, inputs };
  });
  return { samples, labels };
}
