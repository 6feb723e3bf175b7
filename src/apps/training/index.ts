/**
 * Proof of training: a chain of proofs that committed weights were trained by SGD on a committed dataset.
 *
 * - reference.ts: the integer SGD step (the semantics, every rounding stated);
 * - circuit.ts: one step as a circuit with committed weights before/after and a committed batch;
 * - files.ts: weights, dataset, opening and training-file formats;
 * - setup.ts, prove.ts, verify.ts: keys, the chained proofs, the verifier.
 */
export {
  checkConfig,
  DEFAULT_TRAIN_CONFIG,
  flattenWeights,
  sgdStep,
  TrainingRangeError,
  type IntBatch,
  type IntWeights,
  type StepTrace,
  type TrainConfig,
} from './reference.ts';
export { stepCircuit, type StepWitness } from './circuit.ts';
export {
  batchOf,
  parseStartWeights,
  parseTrainingDataset,
  parseTrainingFile,
  parseTrainingOpening,
  TRAINING_FORMAT,
  TRAINING_OPENING_FORMAT,
  type TrainingDataset,
  type TrainingFile,
  type TrainingOpening,
} from './files.ts';
export { checkTrainingKey, trainKeys, trainSetup, trainingConfigOf } from './setup.ts';
export { proveTraining, trainingConfigOfPk, type TrainProveOptions, type TrainTimings } from './prove.ts';
export { verifyTraining, type TrainVerifyResult } from './verify.ts';
