/**
 * onnxruntime-node for the browser bundle of the prover: a native Node library, loaded by model/ort.ts
 * only for float cross-checks (inspect, tests), which the page never runs. Importing it here fails with a
 * clear error.
 */
import { ZkmlError } from '../../errors.ts';

throw new ZkmlError('onnxruntime-node is a native Node library: float cross-checks against onnxruntime run in Node only');
