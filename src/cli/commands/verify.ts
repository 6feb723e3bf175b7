import { InvalidArgumentError } from '../../errors.ts';
import type { Command } from '../command.ts';

export const verifyCommand: Command = {
  name: 'verify',
  usage: 'verify <proof.json|audit.json> --vk <vk.bin> [--commitment <commitment.json>[,…]] [--json]',
  summary: 'exit 0 valid, 1 invalid (with the reason; also a proven commitment other than --commitment), 2 unreadable input',
  async run({ positionals, options }) {
    const [{ readFileOrThrow }, { verify }] = await Promise.all([import('../../api/files.ts'), import('../../api/verify.ts')]);
    // Commitment files and names (api/commit.ts) load the model and compiler modules: only when a commitment is involved.
    const commitApi = () => import('../../api/commit.ts');
    const proofPath = positionals[0];
    const vkPath = typeof options.vk === 'string' ? options.vk : undefined;
    if (!proofPath || !vkPath) throw new InvalidArgumentError('usage: zkml verify <proof.json> --vk <vk.bin>');
    if (options.commitment === true) throw new InvalidArgumentError('--commitment needs a path: --commitment <dir>/commitment.json');
    // The commitments the proof must carry (e.g. the ones a seller advertised), read before anything is checked.
    const expectedPaths = typeof options.commitment === 'string' ? options.commitment.split(',').filter(Boolean) : [];
    const { parseCommitmentFile, compareCommitments } = expectedPaths.length ? await commitApi() : {};
    const expected = expectedPaths.map((path) => ({
      path,
      file: parseCommitmentFile!(new TextDecoder().decode(readFileOrThrow(path, 'commitment')), path),
    }));
    const text = new TextDecoder().decode(readFileOrThrow(proofPath, 'proof'));
    // An audit file (zkml audit) is checked as audit-verify checks it.
    if (isAuditFile(text)) {
      if (expected.length) throw new InvalidArgumentError('--commitment checks a model proof; an audit is checked against its dataset with audit-verify --dataset');
      return (await import('./audit.ts')).auditVerifyCommand.run({ positionals, options });
    }
    const t = performance.now();
    const verified = await verify(text, readFileOrThrow(vkPath, 'verifying key'), { proof: proofPath, vk: vkPath });
    // A valid proof about other commitments than the expected ones proves nothing the caller asked about.
    let result = verified;
    for (const { path, file } of expected) {
      if (!result.valid) break;
      const reason = compareCommitments!(result.public ?? [], file, path);
      if (reason) result = { ...result, valid: false, reason };
    }
    const ms = +(performance.now() - t).toFixed(1);
    const proven = result.public?.map((p) => ({ name: p.name, kind: p.kind, shape: p.shape, values: p.dequantized, ...(p.commitment ? { commitment: p.commitment } : {}) }));
    if (options.json) console.log(JSON.stringify({ verified: result.valid, reason: result.valid ? undefined : result.reason, verify_ms: ms, public: proven }));
    else {
      const weightsName = proven?.some((p) => p.commitment) ? (await commitApi()).WEIGHTS_COMMITMENT_NAME : undefined;
      console.log(result.valid ? `verified (${ms} ms)` : `INVALID: ${result.reason}`);
      // What the proof establishes, decoded through the verifying key's layout (not the file's labels).
      for (const p of proven ?? [])
        if (p.commitment) console.log(p.name === weightsName ? `  commitment to the weights: ${p.commitment}` : `  commitment to input ${p.name}: ${p.commitment}`);
        else console.log(`  ${p.kind} ${p.name} [${p.shape.join('×')}]: [${p.values.map((v) => +v.toFixed(4)).join(', ')}]`);
    }
    return result.valid ? 0 : 1;
  },
};

function isAuditFile(text: string): boolean {
  try {
    return (JSON.parse(text) as { format?: unknown } | null)?.format === 'zkml-audit';
  } catch {
    return false;
  }
}
