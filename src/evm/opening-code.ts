/**
 * The opening check of the generated verifier (PROTOCOL §4f, §5 step 7), mirroring
 * commit/shplonk/verifier.ts: claims grouped by point set with the same `groupByPointSet` (run on the
 * stand-in points ω^ρ: grouping depends only on which rotations a polynomial is opened at), then
 *   E + z_s·W′ = Σ_i μ^i Z_{T∖S_i}(z_s)(Σ_j ν^j C_{i,j}) − (Σ_i μ^i Z_{T∖S_i}(z_s) R_i(z_s))·[1]
 *                − Z_T(z_s)·W + z_s·W′
 * as one multi-scalar product (ecMul 0x07 + ecAdd 0x06 per term, H′ = Σ x^{ni}[h_i] folded in), and
 *   e(E + z_s·W′, [1]₂) · e(−W′, [τ]₂) = 1   by the pairing precompile (0x08).
 */
import { FQ_MODULUS, frInv, frMul, frSub } from '../scalar/fr.ts';
import { g2ToBytesEvm } from '../curve/index.ts';
import { groupByPointSet } from '../commit/shplonk/sets.ts';
import type { VerifyingKey } from '../plonk/keys.ts';
import { openingSchedule, type OpenedPoly } from '../plonk/openings.ts';
import { hex, type Memory, type ProofLayout } from './layout.ts';
import { yulLiteral } from './yul-algebra.ts';

interface PointSetGroup {
  readonly rotations: readonly number[];
  readonly members: readonly { poly: OpenedPoly | 'h'; rotations: readonly number[] }[];
}

/** The TS verifier's claim groups, as rotations. */
export function openingGroups(vk: VerifyingKey, omega: (rotation: number) => bigint): PointSetGroup[] {
  const rotationOf = new Map<bigint, number>();
  const claims = openingSchedule(vk.cs, vk.shape).map(({ poly, rotations }) => ({
    poly,
    points: rotations.map((rot) => {
      rotationOf.set(omega(rot), rot);
      return omega(rot);
    }),
    values: rotations.map((rot) => BigInt(rot)),
  }));
  return groupByPointSet(claims).map((g) => ({
    rotations: g.points.map((p) => rotationOf.get(p)!),
    members: g.members.map((m) => ({ poly: m.claim.poly, rotations: m.values.map(Number) })),
  }));
}

/**
 * Yul of the opening check. Reads slots x, xn, xInv, nu, mu, zs, hBar; `pointAt(ρ)` is the Yul of x·ω^ρ.
 * Ends by returning the pairing result.
 */
export function openingCode(
  vk: VerifyingKey,
  layout: ProofLayout,
  mem: Memory,
  omega: (rotation: number) => bigint,
  pointAt: (rotation: number) => string,
): string[] {
  const out: string[] = [];
  const line = (s: string) => out.push(s);
  const S = (name: string) => `mload(${mem.slot(name)})`;
  const lit = yulLiteral;
  const groups = openingGroups(vk, omega);
  const allRotations = [...new Set(groups.flatMap((g) => g.rotations))];
  const dSlot = new Map(allRotations.map((rot) => [rot, mem.slot(`z_s − x·ω^${rot}`)]));
  const d = (rot: number) => `mload(${dSlot.get(rot)!})`;
  const product = (xs: string[]) => (xs.length === 0 ? '1' : xs.reduce((acc, v) => `mulmod(${acc}, ${v}, r)`));

  // z_s ∉ T (else reject, as shplonkVerify), the differences z_s − p and Z_T(z_s).
  line(`{ let zs := ${S('zs')} let zt := 1`);
  for (const rot of allRotations) line(`  { let d := addmod(zs, sub(r, ${pointAt(rot)}), r) mstore(${dSlot.get(rot)!}, d) zt := mulmod(zt, d, r) }`);
  line(`  if iszero(zt) { fail() } mstore(${mem.slot('ZT')}, zt) }`);
  line(`mstore(0x40, 0) mstore(0x60, 0) // accumulator = identity`);
  line(`{ let nu := ${S('nu')} let mu := ${S('mu')} let muPow := 1 let ct := 0`);
  groups.forEach((g, gi) => {
    const others = allRotations.filter((rot) => !g.rotations.includes(rot));
    const setName = g.rotations.map((rot) => (rot === 0 ? 'x' : `ω^${rot}·x`)).join(', ');
    line(`  { // point set {${setName}}: ${g.members.length} polynomials; sc = μ^i·Z_{T∖S_i}(z_s)·ν^j`);
    line(`    let sc := ${gi === 0 ? product(others.map(d)) : `mulmod(muPow, ${product(others.map(d))}, r)`}`);
    g.rotations.forEach((_, t) => line(`    let v${t} := 0`));
    g.members.forEach((m, j) => {
      if (m.poly === 'h') {
        // H′ = Σ_k x^{nk}[h_k]: one term per piece.
        line(`    { let s := sc`);
        for (let piece = 0; piece < vk.shape.d - 1; piece++) {
          const off = layout.point(layout.first.h + piece);
          line(`      ecAcc(calldataload(${hex(off)}), calldataload(${hex(off + 32)}), s)`);
          if (piece < vk.shape.d - 2) line(`      s := mulmod(s, ${S('xn')}, r)`);
        }
        line(`    }`);
      } else {
        const c = layout.commitment(m.poly);
        if ('calldata' in c) line(`    ecAcc(calldataload(${hex(c.calldata)}), calldataload(${hex(c.calldata + 32)}), sc) // ${m.poly}`);
        else if (c.constant) line(`    ecAcc(${hex(c.constant[0])}, ${hex(c.constant[1])}, sc) // ${m.poly}`);
        else line(`    // ${m.poly}: the identity, no term`);
      }
      m.rotations.forEach((rot, t) => {
        const value = m.poly === 'h' ? S('hBar') : layout.evalAt(m.poly, rot);
        line(`    v${t} := addmod(v${t}, mulmod(sc, ${value}, r), r)`);
      });
      if (j < g.members.length - 1) line(`    sc := mulmod(sc, nu, r)`);
    });
    // R_i(z_s) = Σ_t v_t·Π_{s≠t}(z_s − p_s)/Π_{s≠t}(p_t − p_s), with p_t − p_s = x·(ω^ρt − ω^ρs).
    const m = g.rotations.length;
    if (m === 1) line(`    ct := addmod(ct, v0, r)`);
    else {
      line(`    let xi := ${product(Array(m - 1).fill(S('xInv')))}`);
      g.rotations.forEach((rt, t) => {
        const rest = g.rotations.filter((_, s) => s !== t);
        const den = rest.reduce((acc, rs) => frMul(acc, frSub(omega(rt), omega(rs))), 1n);
        line(`    ct := addmod(ct, mulmod(mulmod(v${t}, ${product(rest.map(d))}, r), mulmod(xi, ${lit(frInv(den))}, r), r), r)`);
      });
    }
    if (gi < groups.length - 1) line(`    muPow := mulmod(muPow, mu, r)`);
    line(`  }`);
  });
  line(`  mstore(${mem.slot('ct')}, ct) }`);
  const W = layout.wOffset;
  line(`ecAcc(1, 2, sub(r, ${S('ct')})) // −R·[1]`);
  line(`ecAcc(calldataload(${hex(W)}), calldataload(${hex(W + 32)}), sub(r, ${S('ZT')})) // −Z_T(z_s)·W`);
  line(`ecAcc(calldataload(${hex(W + 64)}), calldataload(${hex(W + 96)}), ${S('zs')}) // z_s·W′`);

  const words = (p: Uint8Array) => Array.from({ length: 4 }, (_, i) => `0x${Buffer.from(g2ToBytesEvm(p).subarray(32 * i, 32 * i + 32)).toString('hex')}`);
  const [g0, g1, g2, g3] = words(vk.g2Gen);
  const [t0, t1, t2, t3] = words(vk.g2Tau);
  const Q = hex(FQ_MODULUS);
  line(`// e(E + z_s·W′, [1]₂)·e(−W′, [τ]₂) = 1; −(x, y) = (x, q − y), the identity stays (0, 0).`);
  line(`mstore(0x80, mload(0x40)) mstore(0xa0, mload(0x60))`);
  line(`mstore(0xc0, ${g0}) mstore(0xe0, ${g1}) mstore(0x100, ${g2}) mstore(0x120, ${g3})`);
  line(`mstore(0x140, calldataload(${hex(W + 64)})) mstore(0x160, mod(sub(${Q}, calldataload(${hex(W + 96)})), ${Q}))`);
  line(`mstore(0x180, ${t0}) mstore(0x1a0, ${t1}) mstore(0x1c0, ${t2}) mstore(0x1e0, ${t3})`);
  line(`if iszero(staticcall(gas(), 0x08, 0x80, 0x180, 0x00, 0x20)) { fail() }`);
  line(`mstore(0x00, eq(mload(0x00), 1)) return(0x00, 0x20)`);
  return out;
}
