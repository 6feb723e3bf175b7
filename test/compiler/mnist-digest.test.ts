/**
 * The bundled MNIST CNN compiles to one fixed circuit: its circuit digest (what keygen derives the proving
 * key from: k, the constraint system, fixed columns, the copy permutation) is pinned, so a refactor of the
 * compiler, the chips or the builder that changes the circuit — and with it every stored pk.bin / vk.bin
 * of this model — fails here. Change the constant only for an intended change of the circuit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelFile } from '../../src/model/load.ts';
import { quantizeModel } from '../../src/model/quantize.ts';
import { parseInputs } from '../../src/model/inputs.ts';
import { buildModelCircuit, layoutInputs } from '../../src/compiler/index.ts';
import { circuitDigest } from '../../src/plonk/circuit-digest.ts';
import { csShape } from '../../src/plonk/cs.ts';
import { buildSigmas } from '../../src/plonk/permutation/keygen.ts';
import { Domain } from '../../src/poly/index.ts';
import { frVecAlloc } from '../../src/field/frvec.ts';
import { MNIST_DIR } from '../../examples/mnist/test-split.ts';

/** sha256 circuit digest of MNIST compiled with default options, calibrated on samples digit-0 … digit-7. */
const MNIST_CIRCUIT_DIGEST = '7c35e09354f4bbab219775db1a45c918dba9c6c6d9fddf4815615669c7cbe4be';

test('MNIST compiles to the recorded circuit (circuit digest pinned)', () => {
  const g = loadModelFile(join(MNIST_DIR, 'model.onnx'));
  const sample = (k: number) => parseInputs(g, readFileSync(join(MNIST_DIR, 'samples', `digit-${k}.json`), 'utf8'))[0]!;
  const model = quantizeModel(g, Array.from({ length: 8 }, (_, k) => sample(k)));
  const c = buildModelCircuit(model, layoutInputs(model));
  // The digest as keygen computes it (fixed columns padded to 2^k, σ from the copies), without the
  // commitments, which need an SRS and most of keygen's time.
  const { n, u } = csShape(c.cs, c.k);
  const fixed = c.circuit.fixed.map((col) => {
    const v = frVecAlloc(n);
    v.set(col);
    return v;
  });
  const sigmas = buildSigmas(c.cs.equality, c.circuit.copies, n, u, new Domain(c.k).omega);
  const digest = Buffer.from(circuitDigest(c.k, c.cs, c.circuit.instanceLengths, fixed, sigmas)).toString('hex');
  assert.equal(digest, MNIST_CIRCUIT_DIGEST);
});
