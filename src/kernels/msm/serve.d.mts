// Types for serve.mjs (plain JS, shared by Node's worker entry and the browser's kernel worker).
import type { KernelPort } from '../thread.ts';
export declare function serveMsm(port: KernelPort, data: any): void; // eslint-disable-line @typescript-eslint/no-explicit-any
