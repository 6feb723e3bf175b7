// Expression-program worker (plain JS: workers do not inherit tsx). Instantiates its own copy of the Fr
// kernel module on its own memory (the module's scratch is static, so threads never share an instance) and
// runs each posted plan with runPlan, answering with the result vector (its buffer transferred).
import { parentPort, workerData } from 'node:worker_threads';
import { planBytes, runPlan } from './expr-run.mjs';

const { module, pages } = workerData;
const memory = new WebAssembly.Memory({ initial: pages });
const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
const base = pages * 65536; // arena past the kernel's own buffers

parentPort.on('message', ({ id, plan }) => {
  try {
    const need = base + planBytes(plan) - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    const out = runPlan(x, memory, base, plan);
    parentPort.postMessage({ id, out }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.stack ? e.stack : e) });
  }
});
