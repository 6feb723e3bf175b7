// Expression-program kernel thread (plain JS: Node workers do not inherit tsx; the browser's kernel worker
// imports it too). Instantiates its own copy of the Fr kernel module on its own memory (the module's scratch
// is static, so threads never share an instance) and runs each posted plan with runPlan, answering with the
// result vector (its buffer transferred). `port`: Node's parentPort or a browser worker's scope.
import { planBytes, runPlan } from './expr-run.mjs';

export function serveExpr(port, data) {
  const { module, pages } = data;
  const memory = new WebAssembly.Memory({ initial: pages });
  const x = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const base = pages * 65536; // arena past the kernel's own buffers
  port.on('message', ({ id, plan }) => {
    try {
      const need = base + planBytes(plan) - memory.buffer.byteLength;
      if (need > 0) memory.grow(Math.ceil(need / 65536));
      const out = runPlan(x, memory, base, plan);
      port.postMessage({ id, out }, [out.buffer]);
    } catch (e) {
      port.postMessage({ id, error: String(e && e.stack ? e.stack : e) });
    }
  });
}
