// NTT kernel thread (plain JS: Node workers do not inherit tsx; the browser's kernel worker imports it too).
// Instantiates the shared NTT module on the shared memory and, per message P (a pass parameter record), runs
// blocks until the pass counter is exhausted. `port`: Node's parentPort or a browser worker's scope.
export function serveNtt(port, data) {
  const { module, memory, scr, counterField, nBlocksField } = data;
  const { ntt_block } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  port.on('message', (P) => {
    try {
      const m = new Int32Array(memory.buffer); // fresh view: the memory may have grown
      const ci = (P >> 2) + counterField;
      const nb = m[(P >> 2) + nBlocksField];
      let b;
      while ((b = Atomics.add(m, ci, 1)) < nb) ntt_block(P, b, scr);
      port.postMessage(null);
    } catch (e) {
      port.postMessage(String(e && e.stack ? e.stack : e));
    }
  });
  port.postMessage('ready');
}
