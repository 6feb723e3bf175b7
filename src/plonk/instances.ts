/** Public instance values: validated against the VK and absorbed (PROTOCOL §3 step 2) by both sides. */
import { InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS, type Fr } from '../scalar/fr.ts';
import type { KeccakTranscript } from '../transcript/keccak.ts';
import type { VerifyingKey } from './keys.ts';

/** Throws when the instance shape or any value is not what the VK fixes (values must be canonical, < r). */
export function checkInstances(vk: VerifyingKey, instances: readonly (readonly Fr[])[]): void {
  if (instances.length !== vk.instanceLengths.length)
    throw new InvalidArgumentError(`expected ${vk.instanceLengths.length} instance columns, got ${instances.length}`);
  instances.forEach((col, c) => {
    if (col.length !== vk.instanceLengths[c])
      throw new InvalidArgumentError(`instance column ${c} has ${col.length} values, the key fixes ${vk.instanceLengths[c]}`);
    col.forEach((v, i) => {
      if (typeof v !== 'bigint' || v < 0n || v >= FR_MODULUS)
        throw new InvalidArgumentError(`instance column ${c} value ${i} is not a canonical field element`);
    });
  });
}

export function absorbInstances(t: KeccakTranscript, vk: VerifyingKey, instances: readonly (readonly Fr[])[]): void {
  checkInstances(vk, instances);
  for (const col of instances) {
    t.absorbScalar(BigInt(col.length));
    for (const v of col) t.absorbScalar(v);
  }
}
