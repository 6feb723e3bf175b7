// Node entry of an MSM kernel thread (the work is in serve.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { serveMsm } from './serve.mjs';

serveMsm(parentPort, workerData);
