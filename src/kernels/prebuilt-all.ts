/** Every kernel module the build writes under dist/kernels/wasm/ (see prebuilt.ts), by file name. */
import type { ModuleCode } from './prebuilt.ts';
import { frCode } from './fr-wasm.ts';
import { msmCode } from './msm/build.ts';
import { nttCode } from './ntt/wasm.ts';

export const KERNEL_MODULES: Record<string, () => ModuleCode<unknown>> = {
  fr: frCode,
  'msm-f51': () => msmCode('f51'),
  'msm-f29': () => msmCode('f29'),
  'ntt-shared': () => nttCode(true),
  'ntt-unshared': () => nttCode(false),
};
