// Pippenger bucket engine on one instance of the MSM module (build.ts) with its own memory. Plain JS so that
// worker threads (which do not inherit tsx) and the main thread share it. One engine per thread.
//
// A task is (point range, window range): signed c-bit digits of every scalar, each nonzero digit d of window w
// becoming "bucket (w, |d|) += ±P". Windows are accumulated one at a time; additions are queued and run
// through msm_batchAdd in batches of K with distinct buckets. A digit whose bucket is already in the batch
// waits for a later one (past K waiting, it goes to the bucket's Jacobian overflow accumulator). Windows with
// few possible buckets for their digits (the top window, small scalars) are summed pairwise per bucket
// instead. Buckets are then reduced by running sums, batch-affine too, and the window sums combined. The
// per-digit work — recoding (msm_digits) and the scheduler (msm_window, msm_flush) — is in the module too:
// in a short proof V8's optimizer is off, and as JavaScript it was ~40 % of a task.

const BASE_BYTES = 64; // affine point as given (ffjavascript layout)
const PT = 80; // affine point inside the module (f29 or f51 layout: x‖y, 40 bytes each)
const JAC_BYTES = 96; // g1m Jacobian (window sums)
const JB = 120; // g29 Jacobian (overflow buckets, see g29.ts)
const STAGE = 4096; // points converted per msm_toAff call
const SEG_CHAINS = 4096; // reduction chains per batch
const TK = 2048; // additions per batch in the pairwise (dense-window) summation
const DENSE = 48; // a window is dense when it has ≥ DENSE digits per possible bucket
const FB_BATCH = 4096; // additions per batch in fixedBase (all destinations distinct)

function pow2AtLeast(x) {
  let p = 1 << 16;
  while (p < x) p *= 2;
  return p;
}

/** Runs k queued additions (if any); returns 0, the new queue length. */
function runOps(x, ops, k, scr) {
  if (k > 0) x.msm_batchAdd(ops, k, scr);
  return 0;
}

/** Is the affine point at p the identity (y = 0, all 40 bytes zero in both layouts)? */
function yZero(m32, p) {
  const o = (p + 40) >>> 2;
  for (let t = 0; t < 10; t++) if (m32[o + t] !== 0) return false;
  return true;
}

export class MsmEngine {
  constructor(module, layout) {
    this.memory = new WebAssembly.Memory({ initial: layout.pages });
    this.x = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports;
    this.top = layout.heap;
    this.opScratch = layout.opScratch;
    /** Loaded base sets: key → { version, ptr, cap, bytes, ident }. */
    this.slots = new Map();
    this.work = { ptr: 0, cap: 0 };
    this.stage = 0;
  }

  /** Bump allocation (64-byte aligned); grows the memory. Regions are never freed, only outgrown. */
  alloc(bytes) {
    const p = (this.top + 63) & ~63;
    this.top = p + bytes;
    const have = this.memory.buffer.byteLength;
    if (this.top > have) this.memory.grow(Math.ceil((this.top - have) / 65536));
    return p;
  }

  /**
   * Makes base set `key` (version `version`) resident: copies `src` (n×64 bytes) into this memory unless
   * that version is already here. Returns the slot.
   */
  loadBases(key, version, src) {
    let s = this.slots.get(key);
    if (s && s.version === version) return s;
    const bytes = src.length;
    const n = bytes / BASE_BYTES;
    if (!s || s.cap < n * PT) {
      const cap = pow2AtLeast(n * PT);
      s = { version: -1, ptr: this.alloc(cap), cap, bytes: 0, ident: null };
      this.slots.set(key, s);
    }
    if (!this.stage) this.stage = this.alloc(STAGE * BASE_BYTES);
    // Identity bases (64 zero bytes) never enter a bucket.
    const ident = new Uint8Array(n);
    for (let i = 0; i < n; i += STAGE) {
      const m = Math.min(STAGE, n - i);
      new Uint8Array(this.memory.buffer).set(src.subarray(i * BASE_BYTES, (i + m) * BASE_BYTES), this.stage);
      const w = new Int32Array(this.memory.buffer, this.stage, m * 16);
      for (let k = 0, o = 0; k < m; k++, o += 16) {
        let z = 0;
        for (let j = 0; j < 16; j++) z |= w[o + j];
        ident[i + k] = z === 0 ? 1 : 0;
      }
      this.x.msm_toAff(this.stage, s.ptr + i * PT, m);
    }
    s.ident = ident;
    s.bytes = bytes;
    s.version = version;
    return s;
  }

  /**
   * Rows 0..W−1 of the shifted-base table of `slot`'s points [p0, p1) for window width c: row w holds
   * 2^(c·w)·P_i. Written in this module's point layout (PT bytes each) into `out` (a view of N·W·PT bytes,
   * point i of row w at (w·N + i)·PT), so that workers can each fill their share of the points. Each row is
   * the previous one doubled c times in place, batch-affine (msm_batchAdd with dst = src doubles; identity
   * points stay zeros): c·(W − 1) doublings per point, about as many as 10 plain MSMs' additions.
   */
  buildShifted(slot, c, W, N, p0, p1, out) {
    const x = this.x;
    const np = p1 - p0;
    if (np <= 0) return;
    const K = FB_BATCH;
    const OS = this.opScratch;
    const area = this.workArea(np * PT + K * 8 + (K + 1) * OS + 256);
    const ops = area + np * PT;
    const scr = ops + K * 8;
    let u8 = new Uint8Array(this.memory.buffer);
    u8.copyWithin(area, slot.ptr + p0 * PT, slot.ptr + p1 * PT);
    const ops32 = new Uint32Array(this.memory.buffer, ops, 2 * K);
    for (let w = 0; w < W; w++) {
      if (w > 0) {
        for (let d = 0; d < c; d++) {
          for (let i = 0; i < np; i += K) {
            const k = Math.min(K, np - i);
            for (let j = 0; j < k; j++) {
              const p = area + (i + j) * PT;
              ops32[2 * j] = p;
              ops32[2 * j + 1] = p;
            }
            x.msm_batchAdd(ops, k, scr);
          }
        }
      }
      u8 = new Uint8Array(this.memory.buffer);
      out.set(u8.subarray(area, area + np * PT), (w * N + p0) * PT);
    }
  }

  /**
   * Makes a shifted-base table (`src`: N·W points in this module's layout, from buildShifted) resident as
   * slot `key`, version `version`; its `ident` marks the identity points of row 0 (a point's multiples are
   * the identity exactly when it is: G1 has prime order).
   */
  loadTable(key, version, src, N) {
    let s = this.slots.get(key);
    if (s && s.version === version) return s;
    const bytes = src.length;
    if (!s || s.cap < bytes) {
      const cap = pow2AtLeast(bytes);
      s = { version: -1, ptr: this.alloc(cap), cap, bytes: 0, ident: null };
      this.slots.set(key, s);
    }
    new Uint8Array(this.memory.buffer).set(src, s.ptr);
    const m32 = new Uint32Array(this.memory.buffer);
    const ident = new Uint8Array(N);
    for (let i = 0; i < N; i++) ident[i] = yZero(m32, s.ptr + i * PT) ? 1 : 0;
    s.ident = ident;
    s.bytes = bytes;
    s.version = version;
    return s;
  }

  workArea(bytes) {
    if (this.work.cap < bytes) {
      const cap = pow2AtLeast(bytes);
      this.work = { ptr: this.alloc(cap), cap };
    }
    return this.work.ptr;
  }

  /**
   * Per-window bucket sums Σ_d d·(points with digit d) for windows [w0, w1) over points [p0, p1), as
   * (w1 − w0) Jacobian points (96 bytes each, Montgomery) in a fresh Uint8Array.
   * scalars: standard LE, `width` bytes each (point i at i·width); signs: optional per-point 0/1 (negate).
   *
   * Digits are computed once (window-major), then windows are accumulated one after the other so that the
   * buckets being hit (2^(c−1) × 80 bytes) stay in cache while the bases stream through sequentially.
   *
   * `stride` > 0: `slot` is a shifted-base table (buildShifted: 2^(c·r)·P_i at index r·stride + i), window
   * w0 + j reads row row0 + j, and every window's digits go into ONE bucket set —
   * Σ_j 2^(c·(w0+j))·Σ_i d_ij·P_i = 2^(c·(w0−row0))·Σ_j Σ_i d_ij·(2^(c·(row0+j))·P_i) — so the result is a
   * single Jacobian sum (to be weighted by 2^(c·(w0 − row0)) by the caller) after a single bucket reduction
   * instead of one per window.
   */
  run(slot, scalars, width, signs, c, p0, p1, w0, w1, K, stride = 0, row0 = 0) {
    const x = this.x;
    const half = 1 << (c - 1);
    const full = 1 << c;
    const mask = full - 1;
    const Wt = w1 - w0;
    const Wr = stride > 0 ? 1 : Wt; // bucket sets (and reductions)
    const np = p1 - p0;
    const affBytes = half * PT;
    const jacBytes = half * JB;
    // Reduction chains: G segments per window, as many as make batches of about SEG_CHAINS additions.
    let G = 1;
    while (G * 2 <= half && Wr * G * 2 <= SEG_CHAINS) G *= 2;
    const L = half / G;
    const nc = Wr * G;
    const tmpSlots = (np + 1) >>> 1; // dense-window tree summation: one slot per pair
    const OS = this.opScratch; // msm_batchAdd scratch per op (k + 1 ops' worth per call)
    const al8 = (v) => (v + 7) & ~7;
    const nbAll = Wr * half;
    // msm_digits' inputs and outputs, and the scheduler's state (busy i32, touched i32 and jflag byte per
    // bucket; K waiting pairs; 4 i32 of counters)
    const wasmIoBytes = np * Wt * 4 + 8 * Wt + al8(np * width + 8) + 2 * al8(np) + nbAll * 9 + 8 * K + 16 + 64;
    const base = this.workArea(
      Wr * (affBytes + jacBytes) + K * 8 + (K + 1) * OS + Wr * JAC_BYTES + 2 * nc * PT + nc * 8 + (nc + 1) * OS + JB + tmpSlots * PT + TK * 8 + (TK + 1) * OS + wasmIoBytes + 256,
    );
    const aff = base;
    const jac = aff + Wr * affBytes;
    const ops = jac + Wr * jacBytes;
    const scr = ops + K * 8;
    const out = scr + (K + 1) * OS;
    const segS = out + Wr * JAC_BYTES;
    const segT = segS + nc * PT;
    const sops = segT + nc * PT;
    const sscr = sops + nc * 8;
    const acc = sscr + (nc + 1) * OS;
    const tmp = acc + JB;
    const tops = tmp + tmpSlots * PT;
    const tscr = tops + TK * 8;
    const digOut = al8(tscr + (TK + 1) * OS);
    const statsOut = digOut + np * Wt * 4;
    const scIn = al8(statsOut + 8 * Wt);
    const negIn = scIn + al8(np * width + 8);
    const identIn = negIn + al8(np);
    const busy = identIn + al8(np);
    const pend = busy + nbAll * 4;
    const touchedList = pend + 8 * K;
    const st = touchedList + nbAll * 4;
    const jflag = st + 16;
    const mem = this.memory.buffer; // no growth below this point
    new Uint8Array(mem, aff, Wr * affBytes).fill(0); // (overflow accumulators are cleared on first use)
    new Uint8Array(mem, segS, 2 * nc * PT).fill(0);

    // Signed digits, sign of the scalar folded in; identity bases get digit 0 (msm_digits, build.ts): the
    // scalars, signs and identity flags of the task's points are copied in, digits and per-window counts
    // come out.
    const u8m = new Uint8Array(mem);
    u8m.set(scalars.subarray(p0 * width, p1 * width), scIn);
    u8m.fill(0, scIn + np * width, scIn + np * width + 8);
    if (signs !== null) u8m.set(signs.subarray(p0, p1), negIn);
    u8m.set(slot.ident.subarray(p0, p1), identIn);
    x.msm_digits(scIn, width, np, c, w0, w1, signs !== null ? negIn : 0, identIn, digOut, statsOut);
    const dig = new Int32Array(mem, digOut, np * Wt);
    const nz = new Int32Array(mem, statsOut, Wt); // nonzero digits per window
    const mx = new Int32Array(mem, statsOut + 4 * Wt, Wt); // largest |digit| per window

    // Bucket b of window wi has index wi·half + b. The scheduler (msm_window / msm_flush, build.ts) keeps
    // its state in memory: a busy stamp per bucket (cleared per run), the additions waiting for a later
    // batch (`pend`, at most PMAX; past that, the bucket's Jacobian overflow accumulator takes them), and
    // the overflow accumulators used (rare: their buckets' multiples are added at the end).
    const nb = Wr * half;
    const PMAX = K;
    u8m.fill(0, busy, busy + nb * 4);
    u8m.fill(0, jflag, jflag + nb);
    new Int32Array(mem, st, 4).set([0, 0, 1, 0]); // k, waiting, stamp, touched
    const bases = slot.ptr;
    for (let wi = 0; wi < Wt; wi++) {
      const dOff = wi * np;
      const bOff = stride > 0 ? -1 : wi * half - 1;
      const wBases = bases + (stride > 0 ? (row0 + wi) * stride + p0 : p0) * PT;
      if (nz[wi] >= DENSE * mx[wi]) {
        // Few buckets for many digits (the top window; small scalars): batches of distinct buckets would be
        // tiny, so sum each bucket's points pairwise instead, all buckets' pairs in the same batches. (With a
        // shared bucket set the survivors are added into buckets that may hold points already: batchAdd's
        // ordinary add; queued ops of the main loop run in later calls, so nothing is lost.)
        this.treeWindow(dig, dOff, np, wBases, aff + (stride > 0 ? 0 : wi * affBytes), mx[wi], nz[wi], tmp, tops, tscr);
        continue;
      }
      x.msm_window(digOut + dOff * 4, np, bOff, wBases, aff, busy, pend, PMAX, ops, K, scr, jac, jflag, touchedList, st);
    }
    x.msm_flush(aff, busy, pend, ops, K, scr, jac, jflag, touchedList, st);
    const touched = Array.from(new Int32Array(mem, touchedList, new Int32Array(mem, st, 4)[3]));

    // Bucket reduction Σ_d d·B_d per window, by running sums — also batch-affine: G chains per window walk
    // their segment of L buckets from the top (S += B, T += S), all chains of all windows in one batch.
    const m32 = new Uint32Array(mem);
    const sops32 = new Uint32Array(mem, sops, nc * 2);
    for (let j = L - 1; j >= 0; j--) {
      let k1 = 0;
      for (let wi = 0; wi < Wr; wi++) {
        for (let g = 0; g < G; g++) {
          const b = aff + (wi * half + g * L + j) * PT;
          if (yZero(m32, b)) continue;
          sops32[2 * k1] = segS + (wi * G + g) * PT;
          sops32[2 * k1 + 1] = b;
          k1++;
        }
      }
      if (k1 > 0) x.msm_batchAdd(sops, k1, sscr);
      let k2 = 0;
      for (let ch = 0; ch < nc; ch++) {
        const sp = segS + ch * PT;
        if (yZero(m32, sp)) continue;
        sops32[2 * k2] = segT + ch * PT;
        sops32[2 * k2 + 1] = sp;
        k2++;
      }
      if (k2 > 0) x.msm_batchAdd(sops, k2, sscr);
    }
    const logL = 31 - Math.clz32(L);
    let ti = 0;
    touched.sort((a, b) => a - b);
    for (let wi = 0; wi < Wr; wi++) {
      x.msm_segCombine(segS + wi * G * PT, segT + wi * G * PT, G, logL, acc);
      for (; ti < touched.length && touched[ti] < (wi + 1) * half; ti++) {
        const bi = touched[ti];
        x.msm_addScaled(acc, jac + bi * JB, bi - wi * half + 1);
      }
      x.msm_jacOut(acc, out + wi * JAC_BYTES);
    }
    return new Uint8Array(mem, out, Wr * JAC_BYTES).slice();
  }

  /**
   * Window accumulation by pairwise sums: digits dig[dOff + li] (|d| ≤ maxD, nzCount nonzero) of points
   * basePtr + li·PT into the (empty) buckets at wAff. Round 0 copies the first point of each pair into a tmp
   * slot and adds the second; later rounds add slot pairs; the survivor of each bucket goes into the bucket.
   * Every round is a handful of batchAdd calls with thousands of distinct destinations.
   */
  treeWindow(dig, dOff, np, basePtr, wAff, maxD, nzCount, tmp, tops, tscr) {
    const x = this.x;
    const m32 = new Uint32Array(this.memory.buffer);
    const tops32 = new Uint32Array(this.memory.buffer, tops, TK * 2);
    // counting sort of the signed point pointers by bucket
    const cnt = new Int32Array(maxD + 1);
    for (let li = 0; li < np; li++) {
      const d = dig[dOff + li];
      if (d !== 0) cnt[(d < 0 ? -d : d) - 1]++;
    }
    const gStart = new Int32Array(maxD + 1);
    for (let b = 0; b < maxD; b++) gStart[b + 1] = gStart[b] + cnt[b];
    const gLen = new Int32Array(maxD);
    const lst = new Int32Array(nzCount);
    for (let li = 0; li < np; li++) {
      const d = dig[dOff + li];
      if (d === 0) continue;
      const b = (d < 0 ? -d : d) - 1;
      lst[gStart[b] + gLen[b]++] = (basePtr + li * PT) | (d < 0 ? 1 : 0);
    }
    new Uint8Array(this.memory.buffer, tmp, ((nzCount + 1) >>> 1) * PT).fill(0);
    // round 0: slot ← first (copy), then slot += second
    let nSlots = 0;
    let k = 0;
    for (let pass = 0; pass < 2; pass++) {
      nSlots = 0;
      for (let b = 0; b < maxD; b++) {
        const s0 = gStart[b];
        const len = gLen[b];
        for (let t = 0; t + 1 < len; t += 2) {
          tops32[2 * k] = tmp + nSlots * PT;
          tops32[2 * k + 1] = lst[s0 + t + pass];
          nSlots++;
          if (++k === TK) k = runOps(x, tops, k, tscr);
        }
      }
      k = runOps(x, tops, k, tscr);
    }
    // lists become [slots..., odd leftover]
    nSlots = 0;
    for (let b = 0; b < maxD; b++) {
      const s0 = gStart[b];
      const len = gLen[b];
      const odd = len & 1 ? lst[s0 + len - 1] : 0;
      let n = 0;
      for (let t = 0; t + 1 < len; t += 2) lst[s0 + n++] = tmp + nSlots++ * PT;
      if (odd !== 0) lst[s0 + n++] = odd;
      gLen[b] = n;
    }
    // later rounds: pairs of (slot, slot or leftover); empty slots (P + (−P)) drop out first
    for (;;) {
      let more = false;
      for (let b = 0; b < maxD; b++) {
        const s0 = gStart[b];
        let n = 0;
        for (let t = 0; t < gLen[b]; t++) {
          const e = lst[s0 + t];
          if ((e & 1) === 0 && yZero(m32, e)) continue;
          lst[s0 + n++] = e;
        }
        gLen[b] = n;
        if (n < 2) continue;
        more = true;
        for (let t = 0; t + 1 < n; t += 2) {
          tops32[2 * k] = lst[s0 + t];
          tops32[2 * k + 1] = lst[s0 + t + 1];
          if (++k === TK) k = runOps(x, tops, k, tscr);
        }
        let h = 0;
        for (let t = 0; t < n; t += 2) lst[s0 + h++] = lst[s0 + t];
        gLen[b] = h;
      }
      k = runOps(x, tops, k, tscr);
      if (!more) break;
    }
    for (let b = 0; b < maxD; b++) {
      if (gLen[b] === 0) continue;
      tops32[2 * k] = wAff + b * PT;
      tops32[2 * k + 1] = lst[gStart[b]];
      if (++k === TK) k = runOps(x, tops, k, tscr);
    }
    runOps(x, tops, k, tscr);
  }

  /**
   * Fixed-base batch: s_i·G for points i in [p0, p1), from a table slot holding m·2^(8w)·G at index
   * w·128 + m − 1 (w < 32, m = 1..128; see src/curve/fixed-base.ts). Scalars: 32-byte standard LE, < 2^254.
   * Signed 8-bit digits (d > 128 ⇒ d − 256, carry 1; the top byte of a scalar < 2^254 plus a carry stays
   * ≤ 64, so 32 windows suffice); every output slot starts empty and gets one table point per nonzero
   * digit, window by window — all slots distinct, so the batches are full. Returns (p1 − p0) × 64 bytes
   * (ffjavascript affine layout, identity = zeros).
   */
  fixedBase(slot, scalars, p0, p1) {
    const x = this.x;
    const n = p1 - p0;
    const K = FB_BATCH;
    const OS = this.opScratch;
    const res = this.workArea(n * PT + K * 8 + (K + 1) * OS + n * BASE_BYTES + 256);
    const ops = res + n * PT;
    const scr = ops + K * 8;
    const out = scr + (K + 1) * OS;
    const mem = this.memory.buffer;
    new Uint8Array(mem, res, n * PT).fill(0);
    const ops32 = new Uint32Array(mem, ops, K * 2);
    const carry = new Uint8Array(n);
    const tbl = slot.ptr;
    let k = 0;
    for (let w = 0; w < 32; w++) {
      const row = tbl + (w * 128 - 1) * PT;
      for (let li = 0; li < n; li++) {
        let d = scalars[(p0 + li) * 32 + w] + carry[li];
        if (d > 128) {
          d -= 256;
          carry[li] = 1;
        } else carry[li] = 0;
        if (d === 0) continue;
        ops32[2 * k] = res + li * PT;
        ops32[2 * k + 1] = d < 0 ? (row - d * PT) | 1 : row + d * PT;
        if (++k === K) {
          x.msm_batchAdd(ops, k, scr);
          k = 0;
        }
      }
      // (a slot may appear only once per batch: flush before the next window)
      if (k > 0) {
        x.msm_batchAdd(ops, k, scr);
        k = 0;
      }
    }
    x.msm_fromAff(res, out, n);
    return new Uint8Array(mem, out, n * BASE_BYTES).slice();
  }

  /**
   * Σ_w 2^{c·w}·S_w where S_w is the sum over `parts` ({ w0, sums }) of their window-w sums; returns the
   * affine result (64 bytes, identity = zeros).
   */
  combine(parts, W, c) {
    const x = this.x;
    const sums = this.workArea((W + 2) * JAC_BYTES);
    const tmp = sums + W * JAC_BYTES;
    const acc = tmp + JAC_BYTES;
    let u8 = new Uint8Array(this.memory.buffer);
    u8.fill(0, sums, sums + (W + 2) * JAC_BYTES);
    for (const { w0, sums: s } of parts) {
      const Wt = s.length / JAC_BYTES;
      for (let wi = 0; wi < Wt; wi++) {
        u8.set(s.subarray(wi * JAC_BYTES, (wi + 1) * JAC_BYTES), tmp);
        const dst = sums + (w0 + wi) * JAC_BYTES;
        x.g1m_add(dst, tmp, dst);
      }
    }
    for (let w = W - 1; w >= 0; w--) {
      if (w !== W - 1) x.msm_doubleN(acc, c);
      x.g1m_add(acc, sums + w * JAC_BYTES, acc);
    }
    x.g1m_toAffine(acc, tmp);
    u8 = new Uint8Array(this.memory.buffer);
    return u8.slice(tmp, tmp + BASE_BYTES);
  }
}
