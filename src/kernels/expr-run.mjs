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
 * Instructions are 4 int32 each in `plan.code` (a typed array: a plan posted to a worker is cloned as one
 * buffer, not as an object per instruction): [op, dst, a, b] with
 *   LOAD: dst ← leaf a read at shift b;  ADD / SUB / MUL: dst ← reg a ∘ reg b;
 *   SCALE / ADD_SCALAR: dst ← reg a ∘ scalar b;  SV_SUB: dst ← scalar b − reg a;
 *   FOLD: accumulator += reg a · scalar b (dst unused).
 */
export const OP = { LOAD: 0, ADD: 1, SUB: 2, MUL: 3, SCALE: 4, ADD_SCALAR: 5, SV_SUB: 6, FOLD: 7 };
const VV = ['', 'k_add', 'k_sub', 'k_mul'];

/**
 * Runs `plan` with the kernel `x` on `memory`, using [base, base + planBytes(plan)) as scratch.
 * plan: { rows, numRegs, scalars: Uint8Array (32-byte Montgomery values), leaves: Uint8Array[],
 *         code: Int32Array (see OP), minusOne, sumSlot }.
 */
export function runPlan(x, memory, base, plan) {
  const { rows, code, leaves } = plan;
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
    for (let i = 0; i < code.length; i += 4) {
      const op = code[i];
      const dst = code[i + 1];
      const a = code[i + 2];
      const b = code[i + 3];
      switch (op) {
        case OP.LOAD: {
          // Rows start..start+len of the shifted leaf, wrapping at the end of the vector.
          const vec = leaves[a];
          const from = (start + b) % rows;
          const first = Math.min(len, rows - from);
          m.set(vec.subarray(from * N8, (from + first) * N8), R(dst));
          if (first < len) m.set(vec.subarray(0, (len - first) * N8), R(dst) + first * N8);
          break;
        }
        case OP.ADD:
        case OP.SUB:
        case OP.MUL:
          x[VV[op]](R(a), R(b), R(dst), len);
          break;
        case OP.SCALE:
          x.k_scale(R(a), sc(b), R(dst), len);
          break;
        case OP.ADD_SCALAR:
          x.k_addScalar(R(a), sc(b), R(dst), len);
          break;
        case OP.SV_SUB:
          x.k_scale(R(a), sc(plan.minusOne), R(dst), len);
          x.k_addScalar(R(dst), sc(b), R(dst), len);
          break;
        case OP.FOLD:
          x.k_mulAddScaled(acc, R(a), sc(b), len);
          break;
        default:
          throw new Error(`expression program: unknown op ${op}`);
      }
    }
    x.k_addScalar(acc, sc(plan.sumSlot), acc, len);
    out.set(m.subarray(acc, acc + len * N8), start * N8);
  }
  return out;
}
