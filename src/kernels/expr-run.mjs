// The expression-program interpreter shared by the main thread (kernels/expr-eval.ts) and its worker threads
// (kernels/host.mjs through expr-serve.mjs); plain JS so that workers can load it without tsx. A program is a list of
// register instructions over the Fr kernel's loop functions (k_add, k_mul, ...), run chunk by chunk of rows.

const N8 = 32;
/** Rows per evaluation chunk (registers are CHUNK_ROWS × 32 bytes). */
export const CHUNK_ROWS = 2048;

/** Bytes of kernel memory a plan needs: scalars, the accumulator and its registers. */
export function planBytes(plan) {
  const chunk = Math.min(CHUNK_ROWS, plan.rows);
  return scalarBytes(plan) + (plan.numRegs + 1) * chunk * N8;
}
function scalarBytes(plan) {
  return Math.ceil(plan.scalars.length / 64) * 64;
}

/**
 * Runs `plan` with the kernel `x` on `memory`, using [base, base + planBytes(plan)) as scratch.
 * plan: { rows, numRegs, scalars: Uint8Array (32-byte Montgomery values), leaves: Uint8Array[],
 *         instrs: [op, dst|acc, a, b|c, leaf/shift...] (see expr-eval.ts), minusOne, sumSlot }.
 */
export function runPlan(x, memory, base, plan) {
  const { rows, instrs, leaves } = plan;
  const chunk = Math.min(CHUNK_ROWS, rows);
  const regBytes = chunk * N8;
  const sBytes = scalarBytes(plan);
  let m = new Uint8Array(memory.buffer);
  m.set(plan.scalars, base);
  const sc = (i) => base + i * N8;
  const acc = base + sBytes;
  const R = (r) => acc + (r + 1) * regBytes;
  const out = new Uint8Array(rows * N8);
  for (let start = 0; start < rows; start += chunk) {
    const len = Math.min(chunk, rows - start);
    m.fill(0, acc, acc + len * N8);
    for (const ins of instrs) {
      switch (ins.op) {
        case 'load': {
          // Rows start..start+len of the shifted leaf, wrapping at the end of the vector.
          const vec = leaves[ins.leaf];
          const from = (start + ins.shift) % rows;
          const first = Math.min(len, rows - from);
          m.set(vec.subarray(from * N8, (from + first) * N8), R(ins.dst));
          if (first < len) m.set(vec.subarray(0, (len - first) * N8), R(ins.dst) + first * N8);
          break;
        }
        case 'vv':
          x[ins.fn](R(ins.a), R(ins.b), R(ins.dst), len);
          break;
        case 'vs':
          x[ins.fn](R(ins.a), sc(ins.c), R(ins.dst), len);
          break;
        case 'sv-sub':
          x.k_scale(R(ins.a), sc(plan.minusOne), R(ins.dst), len);
          x.k_addScalar(R(ins.dst), sc(ins.c), R(ins.dst), len);
          break;
        case 'fold':
          x.k_mulAddScaled(acc, R(ins.a), sc(ins.c), len);
          break;
        default:
          throw new Error(`expression program: unknown op ${ins.op}`);
      }
    }
    x.k_addScalar(acc, sc(plan.sumSlot), acc, len);
    out.set(m.subarray(acc, acc + len * N8), start * N8);
  }
  return out;
}
