// Test fixture for src/kernels/workers.ts: echoes, exits or throws on command.
import { parentPort, workerData } from 'node:worker_threads';

parentPort.on('message', (m) => {
  if (m.cmd === 'echo') parentPort.postMessage({ tag: workerData.tag, v: m.v });
  else if (m.cmd === 'exit') process.exit(3);
  else if (m.cmd === 'throw') throw new Error('fixture failure');
});
if (workerData.ready) parentPort.postMessage('ready');
