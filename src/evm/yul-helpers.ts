/**
 * Yul functions every generated verifier carries: failure, the transcript squeeze (PROTOCOL §3, byte for
 * byte as transcript/keccak.ts; the caller writes the items, unrolled), batch inversion by one modexp, and
 * the MSM step.
 * Yul functions cannot see the caller's variables, so the moduli and buffer addresses are literals.
 */
import { FR_MODULUS } from '../scalar/fr.ts';
import { hex } from './layout.ts';

/**
 * The transcript buffer at `tbuf`: S (32 bytes) ‖ 0x00 ‖ ctr (4 bytes BE) ‖ items, items from tbuf + 37
 * (a point: 0x01 ‖ x ‖ y; a scalar: 0x02 ‖ v; bytes32: 0x03 ‖ D).
 * The state S lives in `stateSlot` between squeezes.
 */
export function yulHelpers(tbuf: number, stateSlot: string): string {
  const R = hex(FR_MODULUS);
  return `
function fail() { mstore(0x00, 0) return(0x00, 0x20) }
// D = keccak256(S ‖ 0x00 ‖ ctr ‖ items), len bytes in all; S ← D; challenge = D mod r.
function squeeze(len, ctr) -> c {
    mstore(${hex(tbuf + 5)}, ctr)
    mstore(${hex(tbuf)}, mload(${stateSlot}))
    let h := keccak256(${hex(tbuf)}, len)
    mstore(${stateSlot}, h)
    c := mod(h, ${R})
}
// Inverts cnt words at base in place (prefix products at tmp, one modexp by 0x05); fails on a zero.
function batchInvert(base, cnt, tmp) {
    let acc := 1
    for { let i := 0 } lt(i, cnt) { i := add(i, 1) } {
        mstore(add(tmp, shl(5, i)), acc)
        acc := mulmod(acc, mload(add(base, shl(5, i))), ${R})
    }
    if iszero(acc) { fail() }
    mstore(0x00, 0x20) mstore(0x20, 0x20) mstore(0x40, 0x20)
    mstore(0x60, acc) mstore(0x80, sub(${R}, 2)) mstore(0xa0, ${R})
    if iszero(staticcall(gas(), 0x05, 0x00, 0xc0, 0x00, 0x20)) { fail() }
    let v := mload(0x00)
    for { let i := cnt } gt(i, 0) {} {
        i := sub(i, 1)
        let a := add(base, shl(5, i))
        let w := mload(a)
        mstore(a, mulmod(v, mload(add(tmp, shl(5, i))), ${R}))
        v := mulmod(v, w, ${R})
    }
}
// Accumulator (0x40, 0x60) += s·(x, y). ecMul fails on coordinates ≥ q or a point off the curve (EIP-196).
function ecAcc(x, y, s) {
    mstore(0x80, x) mstore(0xa0, y) mstore(0xc0, s)
    if iszero(staticcall(gas(), 0x07, 0x80, 0x60, 0x80, 0x40)) { fail() }
    if iszero(staticcall(gas(), 0x06, 0x40, 0x80, 0x40, 0x40)) { fail() }
}`;
}
