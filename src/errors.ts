/**
 * Typed errors. Every error a user can cause carries what they need to fix it; the CLI prints the message
 * (never a stack) and maps the class to an exit code.
 */
export class ZkmlError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A file or byte string that cannot be parsed (truncated, wrong magic, out-of-range values). */
export class FormatError extends ZkmlError {
  constructor(readonly what: string, message: string) {
    super(`${what}: ${message}`);
  }
}

/** A caller passed arguments that cannot work (sizes, shapes, options). */
export class InvalidArgumentError extends ZkmlError {}

/** A circuit or constraint system that violates a structural rule (keygen rejects it). */
export class CircuitError extends ZkmlError {}

/** A proof that does not verify. Exit code 1: the input was readable but the statement is not proven. */
export class VerificationError extends ZkmlError {
  override readonly exitCode = 1;
}
