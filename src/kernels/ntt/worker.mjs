// Node entry of an NTT kernel thread (the work is in serve.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { serveNtt } from './serve.mjs';

serveNtt(parentPort, workerData);
