/**
 * Typed errors of the model front end. Each names what the user must look at: the file, the node, the
 * tensor, the value.
 */
import { ZkmlError } from '../errors.ts';

/** One or more ops the system cannot prove; lists every one with its node name. */
export class UnsupportedOpError extends ZkmlError {
  constructor(readonly unsupported: { op: string; node: string }[], file = 'model') {
    const byOp = new Map<string, string[]>();
    for (const u of unsupported) byOp.set(u.op, [...(byOp.get(u.op) ?? []), u.node]);
    const list = [...byOp].map(([op, nodes]) => `${op} (${nodes.slice(0, 5).join(', ')}${nodes.length > 5 ? `, +${nodes.length - 5} more` : ''})`);
    super(`${file}: unsupported op${unsupported.length > 1 ? 's' : ''}: ${list.join('; ')}`);
  }
}

/** An ONNX tensor whose data lives in an external file (not supported: models must be self-contained). */
export class ExternalDataError extends ZkmlError {
  constructor(readonly file: string, readonly tensor: string) {
    super(`${file}: tensor '${tensor}' stores its data in an external file; re-save the model with all tensors inline (onnx.save(model, path, save_as_external_data=False))`);
  }
}

/** A model whose structure is invalid (shapes that do not match, missing attributes, dangling names). */
export class ModelError extends ZkmlError {
  constructor(readonly node: string, message: string) {
    super(`node '${node}': ${message}`);
  }
}

/** An input value file that does not match the model (shape, length, NaN/Inf, far out of range). */
export class InputError extends ZkmlError {
  constructor(readonly tensor: string, message: string) {
    super(`input '${tensor}': ${message}`);
  }
}

/** A value outside the domain of a lookup table (the circuit could not prove it). */
export class TableDomainError extends ZkmlError {
  constructor(readonly op: string, readonly node: string, readonly tensor: string, readonly value: number, readonly lo: number, readonly hi: number, scaleBits: number) {
    const f = (v: number): string => (v / 2 ** scaleBits).toPrecision(4);
    super(`${op} node '${node}': input '${tensor}' has value ${value} (≈${f(value)}) outside the table domain [${lo}, ${hi}] (≈[${f(lo)}, ${f(hi)}]); recalibrate with inputs covering this range`);
  }
}

/** An integer that left the exactly representable range (|v| ≥ 2^52) during integer evaluation. */
export class IntegerOverflowError extends ZkmlError {
  constructor(readonly node: string, readonly value: number) {
    super(`node '${node}': integer value ${value} exceeds 2^52; lower the scale (--scale-bits) or the input range`);
  }
}

/** Division by a tensor element equal to zero during integer evaluation. */
export class DivisionByZeroError extends ZkmlError {
  constructor(readonly node: string, readonly tensor: string) {
    super(`Div node '${node}': divisor '${tensor}' has a zero element at the model scale; the quotient is undefined`);
  }
}
