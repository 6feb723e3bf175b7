// Node entry of an expression-program kernel thread (the work is in expr-serve.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { serveExpr } from './expr-serve.mjs';

serveExpr(parentPort, workerData);
