/**
 * Keys of a model's audit circuit for one metric: the smallest k that holds the model, the input
 * commitments and the head, then the library's setup over it.
 */
import { loadSrs, setup } from '../../api/index.ts';
import type { CompiledModel } from '../../api/zkc.ts';
import { auditClasses, auditCompiled, auditK } from './circuit.ts';
import { auditHead } from './head.ts';
import type { AuditMetric } from './metric.ts';

/** pk.bin and vk.bin bytes of the `metric` audit circuit (SRS: a .ptau file, or the insecure dev SRS). */
export async function auditSetup(
  compiled: CompiledModel,
  metric: AuditMetric,
  srsOpts: { srsPath?: string; dev?: boolean },
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<{ k: number; pkBytes: Uint8Array; vkBytes: Uint8Array }> {
  const k = auditK(compiled, metric);
  const srs = await loadSrs(srsOpts, k);
  const c = auditCompiled(compiled, metric, k, auditHead(metric, auditClasses(compiled)));
  const { pkBytes, vkBytes } = await setup(c, srs, onProgress ? { onProgress } : {});
  return { k, pkBytes, vkBytes };
}
