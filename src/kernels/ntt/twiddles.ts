/**
 * Twiddle and bit-reversal tables in the shared NTT memory, written once at engine start.
 *
 * Stage tables: for half-length m = 1, 2, 4, …, 2^(LMAX−1) the m entries ω_{2m}^j (j < m) start at element
 * offset m − 1, so one table of 2^LMAX − 1 elements serves every sequence length ≤ 2^LMAX and each DIT stage
 * reads its twiddles contiguously. One table for ω (forward), one for ω^−1 (inverse). ω_{2m} =
 * rootOfUnity(log2 2m), so the roots agree with src/field/fr.ts at every size. Entries are constant operands
 * of the 2^261-Montgomery multiplier (mont29.ts).
 */
import { frInv, rootOfUnity } from '../../scalar/fr.ts';
import { frToMontBytes } from '../../scalar/mont.ts';
import { SIMD_CONST_BYTES, toMul29 } from './mont29.ts';
import { LMAX, R_MOD, type NttExports } from './wasm.ts';

/** Bytes of one stage table. */
export const STAGE_TABLE_BYTES = ((1 << LMAX) - 1) * SIMD_CONST_BYTES;
/** Bytes of the bit-reversal table (2^LMAX u32). */
export const BITREV_BYTES = (1 << LMAX) * 4;

/**
 * Writes the stage table for ω (inverse: ω^−1) at `at`, in the pair form of mont29.ts; `acc`, `base` are 32-byte
 * scratch slots, `tmp` room for 2^(LMAX−1) packed elements.
 */
export function writeStageTable(ex: NttExports, mem: Uint8Array, at: number, inverse: boolean, acc: number, base: number, tmp: number): void {
  for (let lg = 1; lg <= LMAX; lg++) {
    const m = 1 << (lg - 1);
    const w = rootOfUnity(lg);
    frToMontBytes(toMul29(1n, R_MOD), mem, acc);
    frToMontBytes(toMul29(inverse ? frInv(w) : w, R_MOD), mem, base);
    ex.ntt_powers(acc, base, tmp, m);
    ex.ntt_unpack(tmp, at + (m - 1) * SIMD_CONST_BYTES, m);
  }
}

/** br[i] = i with its LMAX low bits reversed; a length-2^l sequence uses br[i] >> (LMAX − l). */
export function writeBitrev(mem: Uint8Array, at: number): void {
  const br = new Uint32Array(mem.buffer, at, 1 << LMAX);
  for (let i = 0; i < 1 << LMAX; i++) {
    let x = i;
    let r = 0;
    for (let b = 0; b < LMAX; b++) {
      r = (r << 1) | (x & 1);
      x >>= 1;
    }
    br[i] = r;
  }
}
