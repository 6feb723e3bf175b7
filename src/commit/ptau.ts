/**
 * snarkjs / Perpetual Powers of Tau `.ptau` reader (PROTOCOL §6). Reads only the sections and points it
 * needs (2^k + 1 G1 powers, [1]₂, [τ]₂) and checks them: section table, sizes, q, generators, coordinates
 * < q, on curve, G2 subgroup, [τ]₁ ∉ {O, ±[1]₁}, and a randomized pairing check that the powers are
 * consecutive powers of the τ in [τ]₂. Any problem is a FormatError naming the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { FormatError, InvalidArgumentError } from '../errors.ts';
import { FQ_MODULUS } from '../scalar/fr.ts';
import { getFfjsCurve } from '../kernels/ffjs.ts';
import { frVecRandom } from '../field/frvec.ts';
import {
  G1_BYTES,
  G2_BYTES,
  g1Eq,
  g1GeneratorSync,
  g1IsIdentity,
  g1Msm,
  g1MsmStandard,
  g1NegSync,
  g2Eq,
  g2Generator,
  g2Validate,
  pairingCheck,
} from '../curve/index.ts';
import { makeSrs, type Srs } from './srs.ts';

interface Section {
  offset: number;
  size: number;
}

const Q_LIMBS = (() => {
  const out = new Uint32Array(8);
  let v = FQ_MODULUS;
  for (let i = 0; i < 8; i++) {
    out[i] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
  return out;
})();

async function readAt(fh: FileHandle, pos: number, len: number, fileSize: number, file: string, what: string): Promise<Uint8Array> {
  if (pos + len > fileSize) throw new FormatError(file, `truncated: ${what} needs bytes ${pos}..${pos + len}, file has ${fileSize}`);
  const buf = new Uint8Array(len);
  let done = 0;
  while (done < len) {
    const { bytesRead } = await fh.read(buf, done, len - done, pos + done);
    if (bytesRead === 0) throw new FormatError(file, `truncated while reading ${what}`);
    done += bytesRead;
  }
  return buf;
}

/** Reads the header and section table (ids → offset/size), rejecting duplicates and overruns. */
async function readSections(fh: FileHandle, fileSize: number, file: string): Promise<Map<number, Section>> {
  const head = await readAt(fh, 0, 12, fileSize, file, 'header');
  const dv = new DataView(head.buffer);
  if (String.fromCharCode(head[0]!, head[1]!, head[2]!, head[3]!) !== 'ptau') throw new FormatError(file, 'not a .ptau file (magic is not "ptau")');
  const version = dv.getUint32(4, true);
  if (version !== 1) throw new FormatError(file, `unsupported .ptau version ${version} (expected 1)`);
  const nSections = dv.getUint32(8, true);
  const sections = new Map<number, Section>();
  let pos = 12;
  for (let i = 0; i < nSections; i++) {
    const sh = await readAt(fh, pos, 12, fileSize, file, `section header ${i}`);
    const sdv = new DataView(sh.buffer);
    const id = sdv.getUint32(0, true);
    const size = Number(sdv.getBigUint64(4, true));
    const offset = pos + 12;
    if (!Number.isSafeInteger(size) || offset + size > fileSize)
      throw new FormatError(file, `truncated: section ${id} declares ${size} bytes at ${offset}, file has ${fileSize}`);
    if (sections.has(id)) throw new FormatError(file, `duplicate section ${id}`);
    sections.set(id, { offset, size });
    pos = offset + size;
  }
  if (pos !== fileSize) throw new FormatError(file, `${fileSize - pos} trailing bytes after the last section`);
  return sections;
}

/** Coordinates < q (as stored Montgomery values) and on the curve, for `count` affine points. */
async function validateG1Points(points: Uint8Array, file: string, what: string): Promise<void> {
  const n = points.length / G1_BYTES;
  const w = new Uint32Array(points.buffer, points.byteOffset, points.length >>> 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      const o = i * 16 + c * 8;
      for (let j = 7; j >= 0; j--) {
        const a = w[o + j]!;
        const b = Q_LIMBS[j]!;
        if (a < b) break;
        if (a > b || j === 0) throw new FormatError(file, `${what} point ${i}: coordinate is not below q`);
      }
    }
  }
  const curve = await getFfjsCurve();
  const tm = curve.tm;
  const CHUNK = 1024;
  tm.startSyncOp();
  try {
    const ptr = tm.alloc(CHUNK * G1_BYTES);
    const inCurve = tm.instance.exports.g1m_inCurveAffine as (p: number) => number;
    for (let start = 0; start < n; start += CHUNK) {
      const m = Math.min(CHUNK, n - start);
      tm.setBuff(ptr, points.subarray(start * G1_BYTES, (start + m) * G1_BYTES));
      for (let i = 0; i < m; i++) {
        const p = points.subarray((start + i) * G1_BYTES, (start + i + 1) * G1_BYTES);
        if (g1IsIdentity(p)) continue;
        if (!inCurve(ptr + i * G1_BYTES)) throw new FormatError(file, `${what} point ${start + i} is not on the curve`);
      }
    }
  } finally {
    tm.endSyncOp();
  }
}

/** Random scalars below 2^252 (standard LE, 32 bytes each) for the batched pairing check. */
function randomRhos(n: number): Uint8Array {
  const b = new Uint8Array(randomBytes(n * 32));
  for (let i = 0; i < n; i++) b[i * 32 + 31]! &= 0x0f;
  return b;
}

/**
 * Loads [τ^i]₁ (i ≤ 2^k), [1]₂ and [τ]₂ from a snarkjs .ptau file of power P ≥ k, with every check of
 * PROTOCOL §6. The returned Srs has maxK = k and insecure = false.
 */
export async function loadPtau(path: string, k: number): Promise<Srs> {
  if (!Number.isInteger(k) || k < 0 || k > 28) throw new InvalidArgumentError(`SRS size 2^${k} out of range (0..28)`);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new FormatError(path, `cannot open: ${(e as Error).message}`);
  }
  try {
    const fileSize = (await fh.stat()).size;
    const sections = await readSections(fh, fileSize, path);
    for (const id of [1, 2, 3]) if (!sections.has(id)) throw new FormatError(path, `missing section ${id}`);

    const s1 = sections.get(1)!;
    if (s1.size !== 44) throw new FormatError(path, `header section has ${s1.size} bytes, expected 44`);
    const h = await readAt(fh, s1.offset, 44, fileSize, path, 'header section');
    const hdv = new DataView(h.buffer);
    const n8 = hdv.getUint32(0, true);
    if (n8 !== 32) throw new FormatError(path, `field element size ${n8}, expected 32 (BN254)`);
    let qFile = 0n;
    for (let i = 35; i >= 4; i--) qFile = (qFile << 8n) | BigInt(h[i]!);
    if (qFile !== FQ_MODULUS) throw new FormatError(path, 'base field modulus is not BN254 q (wrong curve?)');
    const power = hdv.getUint32(36, true);
    if (power < 1 || power > 28) throw new FormatError(path, `power ${power} out of range`);
    if (power < k) throw new FormatError(path, `holds 2^${power} powers, circuit needs 2^${k}: use a larger .ptau`);

    const expect: [number, number][] = [
      [2, (2 ** (power + 1) - 1) * G1_BYTES],
      [3, 2 ** power * G2_BYTES],
      [4, 2 ** power * G1_BYTES],
      [5, 2 ** power * G1_BYTES],
      [6, G2_BYTES],
    ];
    for (const [id, size] of expect) {
      const s = sections.get(id);
      if (s && s.size !== size) throw new FormatError(path, `section ${id} has ${s.size} bytes, expected ${size} for power ${power}`);
    }

    const count = 2 ** k + 1;
    const powers = await readAt(fh, sections.get(2)!.offset, count * G1_BYTES, fileSize, path, 'tauG1');
    const g2s = await readAt(fh, sections.get(3)!.offset, 2 * G2_BYTES, fileSize, path, 'tauG2');
    const g2Gen = g2s.slice(0, G2_BYTES);
    const g2Tau = g2s.slice(G2_BYTES);

    await validateG1Points(powers, path, 'tauG1');
    const g1 = g1GeneratorSync();
    const p0 = powers.subarray(0, G1_BYTES);
    const p1 = powers.slice(G1_BYTES, 2 * G1_BYTES);
    if (!g1Eq(p0, g1)) throw new FormatError(path, 'tauG1[0] is not the generator (1, 2)');
    if (g1IsIdentity(p1) || g1Eq(p1, g1) || g1Eq(p1, g1NegSync(g1))) throw new FormatError(path, '[τ]₁ is O or ±[1]₁ (degenerate τ)');
    if (!g2Eq(g2Gen, await g2Generator())) throw new FormatError(path, 'tauG2[0] is not the standard G2 generator');
    await g2Validate(g2Tau, `${path}: [τ]₂`);

    // Randomized check that P_{i+1} = τ·P_i for all i < D−1, with τ the exponent of [τ]₂.
    const rho = randomRhos(count - 1);
    const a = await g1MsmStandard(powers.subarray(0, (count - 1) * G1_BYTES), rho);
    const b = await g1MsmStandard(powers.subarray(G1_BYTES, count * G1_BYTES), rho);
    const ok = await pairingCheck([
      [a, g2Tau],
      [g1NegSync(b), g2Gen],
    ]);
    if (!ok) throw new FormatError(path, 'powers of τ are inconsistent (pairing check failed): the file is corrupt or tampered');
    const s12 = sections.get(12);
    let compute: ((kk: number) => Promise<Uint8Array>) | undefined;
    if (s12) {
      if (s12.size !== (2 ** (power + 2) - 1) * G1_BYTES)
        throw new FormatError(path, `section 12 has ${s12.size} bytes, expected ${(2 ** (power + 2) - 1) * G1_BYTES} for power ${power}`);
      compute = (kk) => preparedLagrange(path, s12.offset, kk, powers);
    }
    return makeSrs(k, powers, g2Gen, g2Tau, false, undefined, compute);
  } finally {
    await fh.close();
  }
}

/**
 * Lagrange key for 2^k from a prepared file's §12 block p = k (2^k points at point offset 2^k − 1), checked
 * per PROTOCOL §6: coordinates, on curve, and Σ f(ω^i)[L_i] = Σ c_j[τ^j] for fresh random c (f(ω^i) by
 * scalar FFT), which catches another ω, another order, or any bad entry. Much cheaper than a G1 iFFT.
 */
async function preparedLagrange(path: string, s12Offset: number, k: number, powers: Uint8Array): Promise<Uint8Array> {
  const n = 2 ** k;
  const fh = await open(path, 'r').catch((e: Error) => {
    throw new FormatError(path, `cannot reopen for the Lagrange section: ${e.message}`);
  });
  let block: Uint8Array;
  try {
    const size = (await fh.stat()).size;
    block = await readAt(fh, s12Offset + (n - 1) * G1_BYTES, n * G1_BYTES, size, path, `Lagrange block 2^${k}`);
  } finally {
    await fh.close();
  }
  await validateG1Points(block, path, `Lagrange 2^${k}`);
  const curve = await getFfjsCurve();
  const c = frVecRandom(n);
  const evals: Uint8Array = n === 1 ? c : await curve.Fr.fft(c);
  const lhs = await g1Msm(block, evals);
  const rhs = await g1Msm(powers.subarray(0, n * G1_BYTES), c);
  if (!g1Eq(lhs, rhs)) throw new FormatError(path, `Lagrange section (12) block 2^${k} does not match the powers of τ (another root or corrupt)`);
  return block;
}
