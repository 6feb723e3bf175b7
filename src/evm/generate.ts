/**
 * Solidity verifier generator: one contract per verifying key, the key baked in as constants. The
 * contract replays PROTOCOL §5 in the order of plonk/verifier.ts:
 *   1. exact calldata size; every scalar < r (checked as it is absorbed); every point is validated by the
 *      ecMul precompile it passes through (coordinates < q, on y² = x³ + 3, or (0, 0)) — EIP-196;
 *   2. the Keccak transcript (§3) over the calldata, squeezing every challenge where the TS verifier does;
 *   3. x^n ≠ 1, Z_H(x), and every inverse (Lagrange denominators, 1/Z_H(x), 1/x) by one batch inversion
 *      with a single modexp (precompile 0x05);
 *   4. l_0, l_last, l_blind and the instance polynomials I_c(x·ω^ρ);
 *   5. every constraint, generated from `emitConstraints` (constraint-code.ts), folded into Φ(x);
 *      h̄ = Φ(x)/Z_H(x);
 *   6. the SHPLONK opening check and the pairing (opening-code.ts).
 * A proof that does not verify makes the call return false (only calldata too short for the ABI types
 * reverts, in Solidity's decoder). The body is Yul in one function; values live in memory slots the
 * generator assigns, so the stack stays shallow however long the constraint list is.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { InvalidArgumentError } from '../errors.ts';
import { FR_MODULUS } from '../scalar/fr.ts';
import { Domain } from '../poly/index.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import { adviceCommitOrder } from '../plonk/proof.ts';
import { TRANSCRIPT_DOMAIN } from '../transcript/keccak.ts';
import { verifierSignature, type CalldataShape } from './calldata.ts';
import { constraintChallengeNames, constraintCode, type ConstraintEmitter } from './constraint-code.ts';
import { Memory, ProofLayout, hex } from './layout.ts';
import { openingCode } from './opening-code.ts';
import { yulHelpers } from './yul-helpers.ts';
import { yulLiteral as lit } from './yul-algebra.ts';

export interface GeneratedVerifier {
  /** Solidity source of the contract. */
  readonly source: string;
  readonly contractName: string;
  /** `verifyProof(uint256[P],uint256[I])` (calldata.ts). */
  readonly signature: string;
  readonly shape: CalldataShape;
  /** Yul statements of the constraint evaluation (the part generated from emitConstraints). */
  readonly constraintStatements: number;
  /** Commitments of the key the contract opens (fixed and σ columns): one ecMul, ~6k gas, each. */
  readonly keyCommitments: number;
}

export interface GenerateOptions {
  contractName?: string;
  /** Replaces emitConstraints (tests of the generator's own guards). */
  emitter?: ConstraintEmitter;
}

const bigOf = (b: Uint8Array): bigint => b.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);

export function generateVerifier(vk: VerifyingKey, opts: GenerateOptions = {}): GeneratedVerifier {
  const { cs, shape } = vk;
  const { n, u, k } = shape;
  const contractName = opts.contractName ?? 'ZkmlVerifier';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(contractName)) throw new InvalidArgumentError(`contract name '${contractName}' is not a Solidity identifier`);
  const domain = new Domain(k);
  const omega = (rot: number) => domain.element(rot);
  const layout = new ProofLayout(vk);
  const mem = new Memory();
  const S = (name: string) => mem.slot(name);
  const stateSlot = S('transcript state');
  for (const name of [...constraintChallengeNames(vk), 'y', 'x', 'nu', 'mu', 'zs', 'xn', 'zh', 'l0', 'llast', 'lblind', 'zhInv', 'xInv', 'hBar']) S(name);
  const constraints = constraintCode(vk, layout, mem, opts.emitter);

  const body: string[] = [];
  const line = (s: string) => body.push(s);
  // The transcript is unrolled: every item's place in the buffer is known here. `T(i)` stands for the
  // address of byte i of the items (the buffer goes after every slot, so its address is known last).
  const T = (i: number) => `T[${i}]`;
  let pos = 0;

  line(`// 1. Exact calldata size (scalars are checked as they are absorbed, points by ecMul).`);
  line(`if iszero(eq(calldatasize(), ${hex(layout.calldataSize)})) { fail() }`);

  line(`// 2. Transcript (PROTOCOL §3), unrolled in the order of plonk/verifier.ts.`);
  line(`mstore(${stateSlot}, 0x${Buffer.from(keccak_256(new TextEncoder().encode(TRANSCRIPT_DOMAIN))).toString('hex')})`);
  line(`let canonical := 1`);
  const absorbConstant = (tag: number, value: string) => {
    line(`mstore8(${T(pos)}, ${tag}) mstore(${T(pos + 1)}, ${value})`);
    pos += 33;
  };
  const absorbScalars = (cd: number, count: number) => {
    for (let i = 0; i < count; i++, pos += 33)
      line(`{ let v := calldataload(${hex(cd + 32 * i)}) canonical := and(canonical, lt(v, r)) mstore8(${T(pos)}, 2) mstore(${T(pos + 1)}, v) }`);
  };
  const absorbPoints = (first: number, count: number) => {
    for (let i = 0; i < count; i++, pos += 65) line(`mstore8(${T(pos)}, 1) calldatacopy(${T(pos + 1)}, ${hex(layout.point(first + i))}, 0x40)`);
  };
  let ctr = 0;
  const squeeze = (name: string) => {
    line(`mstore(${S(name)}, squeeze(${hex(37 + pos)}, ${ctr++})) // ${name}`);
    pos = 0;
  };
  absorbConstant(3, 'VK_DIGEST');
  vk.instanceLengths.forEach((m, c) => {
    absorbConstant(2, String(m));
    absorbScalars(layout.instanceColumnOffsets[c]!, m);
  });
  const adviceOrder = adviceCommitOrder(cs.advicePhases);
  let next = 0;
  for (let phase = 0; phase < shape.numPhases; phase++) {
    const start = next;
    while (next < adviceOrder.length && cs.advicePhases[adviceOrder[next]!] === phase) next++;
    absorbPoints(start, next - start);
    cs.challengePhases.forEach((ph, i) => {
      if (ph === phase) squeeze(`circuit:${i}`);
    });
  }
  squeeze('theta');
  absorbPoints(layout.first.m, layout.first.z - layout.first.m);
  squeeze('betaL');
  squeeze('beta');
  squeeze('gamma');
  absorbPoints(layout.first.z, layout.first.h - layout.first.z); // z, φ, r
  squeeze('y');
  absorbPoints(layout.first.h, shape.d - 1);
  squeeze('x');
  absorbScalars(layout.evaluation(0), layout.scalars);
  squeeze('nu');
  squeeze('mu');
  line(`mstore8(${T(pos)}, 1) calldatacopy(${T(pos + 1)}, ${hex(layout.wOffset)}, 0x40)`);
  pos += 65;
  squeeze('zs');
  line(`if iszero(canonical) { fail() } // a scalar ≥ r`);

  // Batch-inversion entries: rows 0, u, the blinding rows, each instance query's rows, Z_H(x), x.
  const b = n - u - 1;
  let entries = 2 + b;
  const instanceEntry = constraints.instanceQueries.map((q) => {
    const first = entries;
    entries += vk.instanceLengths[q.column]!;
    return first;
  });
  const ZH_ENTRY = entries++;
  const X_ENTRY = entries++;
  const INV = mem.take(entries);
  const INV_TMP = mem.take(entries);
  const inv = (i: number) => hex(INV + 32 * i);
  const N = lit(BigInt(n));
  const OMEGA = lit(domain.omega);
  const pointAt = (rot: number) => (rot === 0 ? 'x' : `mulmod(x, ${lit(omega(rot))}, r)`);

  line(`// 3. x^n ≠ 1, Z_H(x), and every inverse by one batch inversion.`);
  line(`let x := mload(${S('x')})`);
  line(`{ let xn := x for { let i := 0 } lt(i, ${k}) { i := add(i, 1) } { xn := mulmod(xn, xn, r) }`);
  line(`  if eq(xn, 1) { fail() } mstore(${S('xn')}, xn) mstore(${S('zh')}, addmod(xn, sub(r, 1), r)) }`);
  line(`mstore(${inv(0)}, mulmod(${N}, addmod(x, sub(r, 1), r), r))`);
  line(`mstore(${inv(1)}, mulmod(${N}, addmod(x, sub(r, ${lit(omega(u))}), r), r))`);
  /** n·(pt − ω^i) for rows firstRow, firstRow+1, … at `count` consecutive entries. */
  const denominators = (entry: number, count: number, firstRow: number, pt: string) => {
    line(`{ let w := ${lit(omega(firstRow))} let pt := ${pt}`);
    line(`  for { let a := ${inv(entry)} } lt(a, ${inv(entry + count)}) { a := add(a, 0x20) } { mstore(a, mulmod(${N}, addmod(pt, sub(r, w), r), r)) w := mulmod(w, ${OMEGA}, r) } }`);
  };
  if (b > 0) denominators(2, b, u + 1, 'x');
  constraints.instanceQueries.forEach((q, i) => denominators(instanceEntry[i]!, vk.instanceLengths[q.column]!, 0, pointAt(q.rotation)));
  line(`mstore(${inv(ZH_ENTRY)}, mload(${S('zh')}))`);
  line(`mstore(${inv(X_ENTRY)}, x)`);
  line(`batchInvert(${inv(0)}, ${entries}, ${hex(INV_TMP)})`);
  line(`mstore(${S('zhInv')}, mload(${inv(ZH_ENTRY)})) mstore(${S('xInv')}, mload(${inv(X_ENTRY)}))`);

  line(`// 4. l_0, l_last, l_blind, I_c(x·ω^ρ): L_i(p) = ω^i·(x^n − 1)/(n·(p − ω^i)) ((x·ω^ρ)^n = x^n).`);
  line(`let zh := mload(${S('zh')})`);
  line(`mstore(${S('l0')}, mulmod(zh, mload(${inv(0)}), r))`);
  line(`mstore(${S('llast')}, mulmod(mulmod(zh, ${lit(omega(u))}, r), mload(${inv(1)}), r))`);
  /** Z_H(x)·Σ_i v_i·ω^(firstRow+i)·inv_i over `count` entries (v_i = 1, or public values from calldata). */
  const lagrangeSum = (slot: string, entry: number, count: number, firstRow: number, values: number | null) => {
    line(`{ let w := ${lit(omega(firstRow))} let s := 0${values !== null ? ` let c := ${hex(values)}` : ''}`);
    const term = values !== null ? `mulmod(mulmod(calldataload(c), w, r), mload(a), r)` : `mulmod(w, mload(a), r)`;
    const step = values !== null ? ' c := add(c, 0x20)' : '';
    line(`  for { let a := ${inv(entry)} } lt(a, ${inv(entry + count)}) { a := add(a, 0x20) } { s := addmod(s, ${term}, r) w := mulmod(w, ${OMEGA}, r)${step} }`);
    line(`  mstore(${slot}, mulmod(zh, s, r)) }`);
  };
  if (b > 0) lagrangeSum(S('lblind'), 2, b, u + 1, null);
  else line(`mstore(${S('lblind')}, 0)`);
  constraints.instanceQueries.forEach((q, i) =>
    lagrangeSum(q.slot, instanceEntry[i]!, vk.instanceLengths[q.column]!, 0, layout.instanceColumnOffsets[q.column]!),
  );

  line(`// 5. Constraints (generated from plonk/constraints.ts), Horner in y; h̄ = Φ(x)/Z_H(x).`);
  line(`{ let y := mload(${S('y')}) let phi := 0`);
  for (const l of constraints.lines) line(`  ${l}`);
  line(`  mstore(${S('hBar')}, mulmod(phi, mload(${S('zhInv')}), r)) }`);

  line(`// 6. SHPLONK: E + z_s·W′ as one multi-scalar product, then the pairing.`);
  for (const l of openingCode(vk, layout, mem, omega, pointAt)) line(l);

  const tbuf = mem.end;
  const indent = (s: string, pad: string) => s.split('\n').map((l) => (l ? pad + l : l)).join('\n');
  const { proofWords, instanceWords } = layout.shape;
  const params = instanceWords > 0 ? `uint256[${proofWords}] calldata, uint256[${instanceWords}] calldata` : `uint256[${proofWords}] calldata`;
  const digest = `0x${Buffer.from(vk.digest).toString('hex')}`;
  const source = `// SPDX-License-Identifier: MIT
// Generated by zkml-ts (src/evm/generate.ts); do not edit. Verifier for one circuit: the verifying key
// with D_vk = ${digest}
// (k = ${k}, ${cs.advicePhases.length} advice, ${cs.numFixed} fixed, ${cs.equality.length} equality columns, ${cs.lookups.length} lookups, ${vk.instanceLengths.reduce((a, c) => a + c, 0)} public values).
// PLONKish + logUp + SHPLONK/KZG on BN254 with a Keccak-256 transcript (PROTOCOL.md); the calldata is
// the proof without its 8-byte header, as words, then the public values (src/evm/calldata.ts).
pragma solidity ^0.8.20;

contract ${contractName} {
    /// D_vk: keccak256 of the verifying key this contract checks proofs for.
    bytes32 public constant VK_DIGEST = ${digest};

    /// True iff the proof (${layout.leadingPoints + 2} points and ${layout.scalars} scalars, as words) is valid for the public values.
    function verifyProof(${params}) external view returns (bool) {
        assembly {${indent(yulHelpers(tbuf, stateSlot), '            ')}
            let r := ${hex(FR_MODULUS)}
${body.map((l) => `            ${l.replace(/T\[(\d+)\]/g, (_, i: string) => hex(tbuf + 37 + Number(i)))}`).join('\n')}
        }
    }
}
`;
  return {
    source,
    contractName,
    signature: verifierSignature(layout.shape),
    shape: layout.shape,
    constraintStatements: constraints.lines.length,
    keyCommitments: vk.fixedCommitments.length + vk.sigmaCommitments.length,
  };
}
