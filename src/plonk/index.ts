/**
 * The proof system as a library: describe a constraint system as data (columns, gates as expression trees
 * with rotations, logUp lookups, copy constraints), then `keygen(srs, circuit)`, `prove(pk, instances,
 * witness)`, `verify(vk, instances, proof)`. Byte encodings of proofs and keys are in serde/.
 */
export { add, advice, challenge, constant, fixed, instance, mul, neg, query, sub, degree, type Column, type ColumnType, type Expr } from './expression.ts';
export { csShape, requiredDegree, type ConstraintSystem, type CsShape, type Gate, type Lookup, type LookupTable } from './cs.ts';
export {
  keygen,
  circuitColumns,
  checkCircuitDigest,
  keyForms,
  provingKeyFromForms,
  CircuitMismatchError,
  type CircuitColumns,
  type CircuitDescription,
  type KeyForms,
  type KeygenOptions,
} from './keygen.ts';
export type { ProvingKey, VerifyingKey } from './keys.ts';
export type { Proof } from './proof.ts';
export { prove, ProverError, type ProveOptions, type Witness } from './prover.ts';
export { verify, ProofShapeError, type VerifyResult } from './verifier.ts';
