/** Errors of the compiler. */
import { CircuitError } from '../errors.ts';

/** An op (or an operand form) the compiler cannot lower; names the node and the op. */
export class LoweringError extends CircuitError {
  constructor(
    readonly node: string,
    readonly op: string,
    reason: string,
  ) {
    super(`cannot lower node '${node}' (${op}) to a circuit: ${reason}`);
  }
}
