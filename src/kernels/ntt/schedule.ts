/**
 * Pass schedule of the NTT: how a transform of size 2^k is cut into `ntt_block` calls.
 *
 * Small sizes (2^k ≤ 2^LMAX): one block, one in-cache sequence. Larger: four-step, n = n1·n2 with
 * n1 = 2^⌊k/2⌋ (column length) and n2 = 2^⌈k/2⌉ (row length), input index j = j1·n2 + j2:
 *   pass 1 — for each column j2: DFT_n1 over j1, then multiply element k1 by ω^(j2·k1) (written back in place);
 *   pass 2 — for each row k1: DFT_n2 over j2, written transposed to X[k1 + n1·k2].
 * Each pass is a list of independent blocks of `cnt` adjacent columns / rows, grabbed by the threads from an
 * atomic counter, so a slow (shared) core just takes fewer blocks. Coset and 1/n factors are folded into
 * the per-column twiddle start/step where they depend on one index only (see index.ts).
 */
import { LMAX, N8, PARAM } from './wasm.ts';

/** Elements of one thread's block buffer: blocks hold cnt·L ≤ SCRATCH_ELEMS elements. */
export const SCRATCH_ELEMS = 1 << 14;
/** Bytes of one thread's scratch: twiddle accumulator (a 64-byte slot, keeps the buffer aligned), block buffer. */
export const SCRATCH_BYTES = 2 * N8 + SCRATCH_ELEMS * N8;
/** Largest transform: both four-step factors must fit the twiddle / bit-reversal tables. */
export const MAX_LOG = 2 * LMAX;

export interface Pass {
  src: number;
  eS: number;
  sS: number;
  logL: number;
  /** Number of sequences in the whole pass. */
  nSeq: number;
  gs: number;
  st: number;
  stS: number;
  steps: number;
  dst: number;
  oeS: number;
  osS: number;
  ss: number;
  tw: number;
  br: number;
}

/** Sequences per block: up to 16 (16·32 = 512 contiguous bytes per strided access), bounded by scratch. */
export function seqsPerBlock(nSeq: number, logL: number): number {
  return Math.max(1, Math.min(16, nSeq, SCRATCH_ELEMS >> logL));
}

/** Writes pass p's parameter record at byte P; returns the number of blocks. */
export function writePass(m32: Int32Array, P: number, p: Pass): number {
  const cnt = seqsPerBlock(p.nSeq, p.logL);
  const nBlocks = p.nSeq / cnt;
  const o = P >> 2;
  m32.fill(0, o, o + PARAM.SIZE);
  m32[o + PARAM.src] = p.src;
  m32[o + PARAM.eS] = p.eS;
  m32[o + PARAM.sS] = p.sS;
  m32[o + PARAM.logL] = p.logL;
  m32[o + PARAM.cnt] = cnt;
  m32[o + PARAM.gs] = p.gs;
  m32[o + PARAM.st] = p.st;
  m32[o + PARAM.stS] = p.stS;
  m32[o + PARAM.steps] = p.steps;
  m32[o + PARAM.dst] = p.dst;
  m32[o + PARAM.oeS] = p.oeS;
  m32[o + PARAM.osS] = p.osS;
  m32[o + PARAM.ss] = p.ss;
  m32[o + PARAM.tw] = p.tw;
  m32[o + PARAM.br] = p.br;
  m32[o + PARAM.brSh] = LMAX - p.logL;
  m32[o + PARAM.counter] = 0;
  m32[o + PARAM.nBlocks] = nBlocks;
  return nBlocks;
}

/** Four-step factors (log n1, log n2), n1 ≤ n2. */
export function fourStepSplit(k: number): [number, number] {
  const k1 = k >> 1;
  return [k1, k - k1];
}

/** Runs the blocks of pass P that the counter hands to this thread. */
export function drainPass(block: (P: number, b: number, scr: number) => void, m32: Int32Array, P: number, scr: number): void {
  const ci = (P >> 2) + PARAM.counter;
  const nb = m32[(P >> 2) + PARAM.nBlocks]!;
  let b: number;
  while ((b = Atomics.add(m32, ci, 1)) < nb) block(P, b, scr);
}
