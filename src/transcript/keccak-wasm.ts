/**
 * Keccak-256 (the original padding, as Ethereum's keccak256 opcode), its permutation in a WASM module
 * emitted here. Why not only @noble/hashes: a process hashes a few kilobytes (a verifying key's digest, a
 * transcript's squeezes) once, long before a JIT compiles a JavaScript keccak, and uninterpreted it costs
 * 15–30 ms there (a cold 9 KB digest: 17 ms); the WASM permutation runs at full speed from its first call,
 * and the module, ~1.5 KB, compiles synchronously in a browser's main thread too.
 *
 * Layout: the state's 25 lanes at bytes 0..199 (lane x + 5y little-endian at 8·(x + 5y)), the round
 * constants at 200..391, the message from 512. absorb(ptr, blocks) XORs each 136-byte block into the
 * first 17 lanes and permutes (24 rounds of θ, ρ, π, χ, ι with the lanes in locals).
 */

const RATE = 136;
const STATE_BYTES = 200;
const RC_AT = 200;
const DATA_AT = 512;

const ROUND_CONSTANTS = [
  0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n, 0x000000000000808bn, 0x0000000080000001n,
  0x8000000080008081n, 0x8000000000008009n, 0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
  0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n, 0x8000000000008002n, 0x8000000000000080n,
  0x000000000000800an, 0x800000008000000an, 0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
];
/** ρ offsets by [x][y]. */
const RHO = [
  [0, 36, 3, 41, 18],
  [1, 44, 10, 45, 2],
  [62, 6, 43, 15, 61],
  [28, 55, 25, 21, 56],
  [27, 20, 39, 8, 14],
];

const u32leb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
/** Signed LEB128 of a 32-bit integer (i32.const immediates). */
const s32leb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return (out.push(b), out);
    out.push(b | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...u32leb(body.length), ...body];
const str = (s: string): number[] => [...u32leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** The module's bytes: one function absorb(ptr: i32, blocks: i32), one exported memory of one page. */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  // locals: 0 ptr, 1 blocks, 2 round (i32); 3..27 a, 28..52 b, 53..57 c, 58 d (i64)
  const a = (i: number) => 3 + i;
  const b = (i: number) => 28 + i;
  const c = (i: number) => 53 + i;
  const D = 58;
  const code: number[] = [];
  const get = (l: number) => code.push(0x20, ...u32leb(l));
  const set = (l: number) => code.push(0x21, ...u32leb(l));
  const i32c = (v: number) => code.push(0x41, ...s32leb(v));
  const load64 = (offset: number) => code.push(0x29, 3, ...u32leb(offset));
  const store64 = (offset: number) => code.push(0x37, 3, ...u32leb(offset));
  const xor = () => code.push(0x85);
  const and = () => code.push(0x83);
  const rotl = (n: number) => (n === 0 ? undefined : code.push(0x42, n, 0x89)); // i64.const n (0 < n < 64: one SLEB byte); i64.rotl
  const not = () => code.push(0x42, 0x7f, 0x85); // xor with −1

  for (let i = 0; i < 25; i++) (i32c(0), load64(8 * i), set(a(i)));
  code.push(0x02, 0x40); // block
  code.push(0x03, 0x40); // loop over blocks
  get(1), code.push(0x45), code.push(0x0d, 1); // blocks == 0 → leave
  for (let i = 0; i < RATE / 8; i++) (get(a(i)), get(0), load64(8 * i), xor(), set(a(i)));
  i32c(0), set(2);
  code.push(0x03, 0x40); // loop over rounds
  for (let x = 0; x < 5; x++) {
    get(a(x));
    for (let y = 1; y < 5; y++) (get(a(x + 5 * y)), xor());
    set(c(x));
  }
  for (let x = 0; x < 5; x++) {
    get(c((x + 4) % 5)), get(c((x + 1) % 5)), rotl(1), xor(), set(D);
    for (let y = 0; y < 5; y++) (get(a(x + 5 * y)), get(D), xor(), set(a(x + 5 * y)));
  }
  for (let x = 0; x < 5; x++) for (let y = 0; y < 5; y++) (get(a(x + 5 * y)), rotl(RHO[x]![y]!), set(b(y + 5 * ((2 * x + 3 * y) % 5))));
  for (let y = 0; y < 5; y++)
    for (let x = 0; x < 5; x++) (get(b(x + 5 * y)), get(b(((x + 1) % 5) + 5 * y)), not(), get(b(((x + 2) % 5) + 5 * y)), and(), xor(), set(a(x + 5 * y)));
  get(a(0)), get(2), i32c(3), code.push(0x74), load64(RC_AT), xor(), set(a(0)); // a0 ^= RC[round]  (i32.shl)
  get(2), i32c(1), code.push(0x6a), code.push(0x22, ...u32leb(2)); // round += 1 (tee)
  i32c(24), code.push(0x49), code.push(0x0d, 0); // round < 24 → again (i32.lt_u; br_if 0)
  code.push(0x0b); // end rounds
  get(0), i32c(RATE), code.push(0x6a), set(0); // ptr += 136
  get(1), i32c(1), code.push(0x6b), set(1); // blocks −= 1
  code.push(0x0c, 0); // br to the loop over blocks
  code.push(0x0b, 0x0b); // end loop, end block
  for (let i = 0; i < 25; i++) (i32c(0), get(a(i)), store64(8 * i));
  code.push(0x0b); // end function

  const locals = [2, ...u32leb(1), 0x7f, ...u32leb(56), 0x7e];
  const body = [...locals, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 2, 0x7f, 0x7f, 0]), // type: (i32, i32) → ()
    ...section(3, [1, 0]), // function 0 of type 0
    ...section(5, [1, 0, 1]), // memory: min 1 page
    ...section(7, [2, ...str('absorb'), 0, 0, ...str('memory'), 2, 0]),
    ...section(10, [1, ...u32leb(body.length), ...body]),
  ]);
}

interface Engine {
  absorb: (ptr: number, blocks: number) => void;
  memory: WebAssembly.Memory;
}
let engine: Engine | null = null;

function getEngine(): Engine {
  if (engine) return engine;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const view = new DataView(memory.buffer);
  ROUND_CONSTANTS.forEach((rc, i) => view.setBigUint64(RC_AT + 8 * i, rc, true));
  engine = { absorb: instance.exports.absorb as Engine['absorb'], memory };
  return engine;
}

/** keccak256(data): 32 bytes. */
export function keccak256(data: Uint8Array): Uint8Array {
  const e = getEngine();
  const blocks = Math.floor(data.length / RATE) + 1;
  const need = DATA_AT + blocks * RATE;
  if (e.memory.buffer.byteLength < need) e.memory.grow(Math.ceil((need - e.memory.buffer.byteLength) / 65536));
  const mem = new Uint8Array(e.memory.buffer);
  mem.fill(0, 0, STATE_BYTES);
  mem.set(data, DATA_AT);
  mem.fill(0, DATA_AT + data.length, need);
  mem[DATA_AT + data.length] = 0x01;
  mem[need - 1]! |= 0x80;
  e.absorb(DATA_AT, blocks);
  return mem.slice(0, 32);
}
