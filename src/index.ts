/**
 * zkml: zero-knowledge proofs that a neural network produced a given output on a given input.
 *
 * The model-level API, the same operations as the `zkml` command:
 * ```ts
 * import { compile, setup, prove, verify, devSrs } from 'zkml';
 * const { compiled } = compile('model.onnx', { calibrationFile: 'samples.json' });
 * const { pkBytes, vkBytes } = await setup(compiled, await devSrs(compiled.k)); // or loadSrs({ srsPath }, k)
 * const { proofFile } = await prove(compiled, pkBytes, inputJsonText);
 * const result = await verify(JSON.stringify(proofFile), vkBytes); // { valid, public } or { valid: false, reason }
 * ```
 * Every user-caused failure is a {@link ZkmlError} subclass naming the file, op, tensor or value.
 * The proof system itself (constraint systems as data, keygen / prove / verify over them) is exported under
 * `plonk`, the model front end (import, quantize, reference evaluation) under `model`.
 *
 * @packageDocumentation
 */

// ---- model-level API (compile → setup → prove → verify) ----
export {
  /** Quantizes a model file (ONNX or zkml msgpack) and lays it out as a circuit; returns the compiled model and its cost. */
  compile,
  /** Keygen for a compiled model: pk.bin and vk.bin bytes. */
  setup,
  /** Proves one inference of a compiled model; returns the proof file (JSON object) and timings. */
  prove,
  /** Runs the MockProver on one inference: every failing constraint with its row, cells and region. */
  mockProveModel as mockProve,
  /** An SRS from a `.ptau` file (`srsPath`) or the insecure dev SRS (`dev: true`). */
  loadSrs,
  /** A compiled model to and from its `.zkc` text. */
  serializeZkc,
  parseZkc,
  readZkc,
  type CompileOptions,
  type CompiledModel,
  type ProveTimings,
  type WidthChoice,
} from './api/index.ts';
export {
  /** Verifies a proof file against a verifying key, and every readable field of the file against the key. */
  verify,
  /** Parses a proof file for a verifying key (FormatError on anything malformed). */
  parseProofFile,
  /** Reads vk.bin. */
  readVk,
  type ModelVerifyResult,
  type ProofFile,
} from './api/verify.ts';
export { decodePublicValues, type PublicValue } from './api/public-values.ts';
export {
  /** Commits to an input for a model compiled with committed inputs (salted Poseidon): commitment.json and the owner's opening. */
  commitInputs,
  /** Commits to the weights of a model compiled with committed weights: commitment.json and the owner's opening (salt). */
  commitWeights,
  /** Commitment and opening files: parsing (validated), comparison with a proof's commitments, writing. */
  parseCommitmentFile,
  parseOpeningFile,
  parseWeightsOpeningFile,
  parseAnyOpeningFile,
  compareCommitments,
  writeCommitmentFiles,
} from './api/commit.ts';
export {
  /** Ops, parameters, support, and float / quantized / onnxruntime agreement of a model file. */
  inspectModel as inspect,
  type InspectOptions,
  type InspectReport,
} from './model/inspect.ts';
export {
  /** An insecure SRS from a random secret, for tests and demos only (it says so). */
  devSrs,
  /** A snarkjs / Perpetual Powers of Tau `.ptau` file, checked with pairings. */
  loadPtau,
  type Srs,
} from './commit/index.ts';
export { describe as describeFailure, type Failure, type MockProveResult } from './circuit/mock-prover.ts';

// ---- applications ----
/**
 * Trustless audit: auditSetup, proveAudit (one chained proof per sample of a committed, labelled dataset),
 * verifyAudit (the metric, the dataset and labels commitments; nothing of any sample).
 */
export * as audit from './apps/audit/index.ts';
/**
 * Proof of training: trainSetup, proveTraining (one proof per SGD step of a small MLP, weights before and
 * after and the batch committed, chained by the weights commitments), verifyTraining; sgdStep is the
 * integer semantics.
 */
export * as training from './apps/training/index.ts';

// ---- errors: every one a user can cause ----
export { ZkmlError, FormatError, InvalidArgumentError, CircuitError, VerificationError } from './errors.ts';
export { UnsupportedOpError, ExternalDataError, ModelError, InputError, TableDomainError, IntegerOverflowError, DivisionByZeroError } from './graph/errors.ts';
export { ProverError } from './plonk/prover.ts';
export { ProofShapeError } from './plonk/verifier.ts';

// ---- lower layers, for circuits written by hand and for tools ----
/** The proof system: constraint systems as data, keygen, prove, verify, proof and key encodings. */
export * as plonk from './plonk/index.ts';
/** Versioned byte encodings of proofs and verifying keys (validated on read). */
export { serializeProof, deserializeProof } from './plonk/encoding/proof.ts';
export { serializeVk, deserializeVk } from './plonk/encoding/vk.ts';
/** The model front end: ONNX / msgpack import, quantization, float and integer reference evaluation. */
export * as model from './model/index.ts';
