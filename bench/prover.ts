/**
 * Prover benchmark (`npm run bench -- prover --k K`): a synthetic circuit with 8 advice columns of small
 * values, a degree-3 gate on every usable row, one logUp lookup into a 2^(K−1) table and a chain of copy
 * constraints. Reports keygen, prove and verify medians, proof size and peak memory.
 */
import { devSrs } from '../src/commit/index.ts';
import { frVecFromInts } from '../src/field/frvec.ts';
import { add, advice, fixed, mul, sub } from '../src/plonk/expression.ts';
import type { ConstraintSystem } from '../src/plonk/cs.ts';
import { csShape } from '../src/plonk/cs.ts';
import { keygen } from '../src/plonk/keygen.ts';
import { prove } from '../src/plonk/prover.ts';
import { verify } from '../src/plonk/verifier.ts';
import { serializeProof } from '../src/plonk/encoding/proof.ts';
import { median } from './median.ts';

export async function run(opts: Record<string, string | true>): Promise<Record<string, unknown>> {
  const k = Number(opts.k ?? 12);
  const repeats = Number(opts.repeats ?? 3);
  if (!(k >= 10 && k <= 20)) throw new Error('--k must be between 10 and 20');
  const cs: ConstraintSystem = {
    numFixed: 3,
    numInstance: 0,
    advicePhases: new Array(8).fill(0),
    challengePhases: [],
    // q·(a0·a1 + a4·a5 − a2): degree 3.
    gates: [{ name: 'mul-add', polys: [mul(fixed(0), sub(add(mul(advice(0), advice(1)), mul(advice(4), advice(5))), advice(2)))] }],
    lookupTables: [{ name: 'range', columns: [fixed(2)] }],
    lookups: [{ name: 'a3 in range', table: 0, selector: fixed(1), inputs: [advice(3)] }],
    equality: [{ type: 'advice', index: 2 }, { type: 'advice', index: 6 }],
  };
  const { u } = csShape(cs, k);
  const tableSize = 2 ** (k - 1);
  const rnd = (bound: number) => Math.floor(Math.random() * bound) - (bound >> 1);
  const cols = Array.from({ length: 8 }, () => new Float64Array(u));
  for (let i = 0; i < u; i++) {
    for (const c of [0, 1, 4, 5, 7]) cols[c]![i] = rnd(1 << 12);
    cols[2]![i] = cols[0]![i]! * cols[1]![i]! + cols[4]![i]! * cols[5]![i]!;
    cols[3]![i] = Math.floor(Math.random() * tableSize);
  }
  const copies = [];
  for (let i = 0; i + 1 < u; i += 2) {
    cols[6]![i + 1] = cols[2]![i]!;
    copies.push({ a: { column: { type: 'advice', index: 2 } as const, row: i }, b: { column: { type: 'advice', index: 6 } as const, row: i + 1 } });
  }
  const fixedCols = [frVecFromInts(new Float64Array(u).fill(1)), frVecFromInts(new Float64Array(u).fill(1)), frVecFromInts(new Float64Array(tableSize).map((_, i) => i))];
  const srsStart = performance.now();
  const srs = await devSrs(k);
  const srsMs = performance.now() - srsStart;
  const circuit = { cs, k, fixed: fixedCols, copies, instanceLengths: [] };
  const keygenTimes: number[] = [];
  let pk = null as Awaited<ReturnType<typeof keygen>> | null;
  for (let r = 0; r < Math.min(repeats, 2); r++) {
    const t = performance.now();
    pk = await keygen(srs, circuit);
    keygenTimes.push(performance.now() - t);
  }
  const witness = { advice: () => cols.map((c) => frVecFromInts(c)) };
  const proveTimes: number[] = [];
  const verifyTimes: number[] = [];
  let proofBytes = 0;
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    let last = performance.now();
    const stages: string[] = [];
    const proof = await prove(pk!, [], witness, { onProgress: opts.stages ? (s) => { const now = performance.now(); stages.push(`${s}:${Math.round(now - last)}`); last = now; } : undefined });
    if (opts.stages) console.error(stages.join(' '));
    proveTimes.push(performance.now() - t);
    proofBytes = serializeProof(proof).length;
    const tv = performance.now();
    const res = await verify(pk!.vk, [], proof);
    verifyTimes.push(performance.now() - tv);
    if (!res.valid) throw new Error(`benchmark proof did not verify: ${res.reason}`);
  }
  return {
    k,
    advice_columns: 8,
    rows_used: u,
    table_rows: tableSize,
    repeats,
    dev_srs_ms: Math.round(srsMs),
    keygen_ms: Math.round(median(keygenTimes)),
    prove_ms: Math.round(median(proveTimes)),
    verify_ms: +median(verifyTimes).toFixed(2),
    proof_bytes: proofBytes,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
