// NTT worker (plain JS: workers do not inherit tsx). Instantiates the shared NTT module on the shared memory
// and, per message P (a pass parameter record), runs blocks until the pass counter is exhausted.
import { parentPort, workerData } from 'node:worker_threads';

const { module, memory, scr, counterField, nBlocksField } = workerData;
const { ntt_block } = new WebAssembly.Instance(module, { env: { memory } }).exports;

parentPort.on('message', (P) => {
  try {
    const m = new Int32Array(memory.buffer); // fresh view: the memory may have grown
    const ci = (P >> 2) + counterField;
    const nb = m[(P >> 2) + nBlocksField];
    let b;
    while ((b = Atomics.add(m, ci, 1)) < nb) ntt_block(P, b, scr);
    parentPort.postMessage(null);
  } catch (e) {
    parentPort.postMessage(String(e && e.stack ? e.stack : e));
  }
});
parentPort.postMessage('ready');
