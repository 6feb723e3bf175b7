/**
 * Open-addressing hash index from field elements (32-byte Montgomery slices) to the first table row
 * holding them. Montgomery bytes are pseudo-random, so their low word is a good hash.
 */
export class TableIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly words: Uint32Array;

  constructor(table: Uint8Array, rows: number) {
    let cap = 1;
    while (cap < rows * 2) cap <<= 1;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.words = new Uint32Array(table.buffer, table.byteOffset, table.byteLength >> 2);
    for (let r = 0; r < rows; r++) {
      let h = this.words[r * 8]! & this.mask;
      for (;;) {
        const s = this.slots[h]!;
        if (s < 0) {
          this.slots[h] = r;
          break;
        }
        if (equalAt(this.words, s, this.words, r)) break; // duplicate tuple: keep the first row
        h = (h + 1) & this.mask;
      }
    }
  }

  /** Row of the first table entry equal to v[row], or −1. */
  find(v: Uint8Array, row: number): number {
    const w = new Uint32Array(v.buffer, v.byteOffset, v.byteLength >> 2);
    let h = w[row * 8]! & this.mask;
    for (;;) {
      const s = this.slots[h]!;
      if (s < 0) return -1;
      if (equalAt(this.words, s, w, row)) return s;
      h = (h + 1) & this.mask;
    }
  }

  isZero(v: Uint8Array, row: number): boolean {
    for (let i = row * 32; i < row * 32 + 32; i++) if (v[i] !== 0) return false;
    return true;
  }
}

function equalAt(a: Uint32Array, ra: number, b: Uint32Array, rb: number): boolean {
  for (let i = 0; i < 8; i++) if (a[ra * 8 + i] !== b[rb * 8 + i]) return false;
  return true;
}
