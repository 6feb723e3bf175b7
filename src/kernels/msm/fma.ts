/**
 * Is a fused multiply-add usable from WASM here? The f51 multiplier (f51.ts) needs relaxed SIMD's
 * f64x2.relaxed_madd to round once. Node 20 (V8 11.3) ships relaxed SIMD behind a flag, which V8 reads when
 * a module is compiled, so the flag is switched on (process-wide, workers included; a browser decides for itself) if a probe module does
 * not compile without it. Then the probe runs: x·y + z with x = y = 2^52 + 1, z = −(2^104 + 2^53) is 1 when
 * fused and 0 when the product is rounded first (hardware without FMA may do that). ZKML_MSM_FMA=0 turns
 * the FMA path off (the 29-bit integer multiplier is used instead).
 */
import { envVar, setEngineFlag } from '../platform.ts';

// (func (param f64 f64 f64) (result f64) f64x2.splat ×3, f64x2.relaxed_madd, f64x2.extract_lane 0)
const body = [0x00, 0x20, 0, 0xfd, 0x14, 0x20, 1, 0xfd, 0x14, 0x20, 2, 0xfd, 0x14, 0xfd, 0x87, 0x02, 0xfd, 0x21, 0, 0x0b];
const PROBE = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
  1, 8, 1, 0x60, 3, 0x7c, 0x7c, 0x7c, 1, 0x7c,
  3, 2, 1, 0,
  7, 5, 1, 1, 0x66, 0, 0,
  10, body.length + 2, 1, body.length, ...body,
]);

let cached: boolean | null = null;

function compile(): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(PROBE);
  } catch {
    return null;
  }
}

export function fmaAvailable(): boolean {
  if (cached !== null) return cached;
  if (envVar('ZKML_MSM_FMA') === '0') return (cached = false);
  let mod = compile();
  if (!mod) {
    setEngineFlag('--experimental-wasm-relaxed-simd');
    mod = compile();
  }
  if (!mod) return (cached = false);
  const fma = new WebAssembly.Instance(mod).exports.f as (x: number, y: number, z: number) => number;
  const x = 2 ** 52 + 1;
  const C1 = 2 ** 103;
  // fused: exact; also the hi/lo split f51.ts relies on, on one product near the top of its range
  const a = 2 ** 51 - 1;
  const hi = fma(a, a, C1);
  const lo = fma(a, a, C1 + 3 * 2 ** 51 - hi);
  const exact = BigInt(a) * BigInt(a) === BigInt(hi - C1) + BigInt(lo - 3 * 2 ** 51);
  return (cached = fma(x, x, -(2 ** 104 + 2 ** 53)) === 1 && exact);
}
