/**
 * Child process of prove-memory.test.ts: proves the wide circuit with a key read from pk.bin (as `zkml
 * prove` does) under a memory budget of `allowance` bytes beyond what the process holds once the key and
 * the circuit are loaded, and prints that budget, the process's peak RSS and whether the proof verifies.
 * Usage: node --import tsx prove-memory-child.ts <pk.bin> <k> <allowance bytes | none>
 */
import { readFileSync } from 'node:fs';
import { parsePkFile } from '../../src/api/pk-file.ts';
import { checkCircuitDigest, provingKeyFromForms } from '../../src/plonk/keygen.ts';
import { prove } from '../../src/plonk/prover.ts';
import { verify } from '../../src/plonk/verifier.ts';
import { wideCircuit } from './wide-circuit.ts';

const [pkPath, k, allowance] = process.argv.slice(2);
const ex = wideCircuit(Number(k));
const file = await parsePkFile(readFileSync(pkPath!), pkPath!);
// As zkml prove does: the key keeps the Lagrange forms the prover reads, the circuit's columns go.
const pk = provingKeyFromForms(file.vk, checkCircuitDigest(ex.circuit, file.circuitDigest), file.srs, file.forms);
const held = process.memoryUsage().rss;
const budget = allowance === 'none' ? undefined : held + Number(allowance);
const proof = await prove(pk, ex.instances, ex.witness, budget === undefined ? {} : { maxMemoryBytes: budget });
const { valid } = await verify(pk.vk, ex.instances, proof);
console.log(JSON.stringify({ held, budget: budget ?? null, maxRss: process.resourceUsage().maxRSS * 1024, valid }));
process.exit(0);
