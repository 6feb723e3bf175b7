/** Byte writer/reader for versioned binary formats. Every read is bounds-checked and names what it reads. */
import { FormatError } from '../errors.ts';
import { FR_MODULUS, frFromBytesBE, frToBytesBE, type Fr } from '../scalar/fr.ts';

export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private len = 0;
  bytes(b: Uint8Array): this {
    this.chunks.push(b.slice());
    this.len += b.length;
    return this;
  }
  u8(v: number): this {
    return this.bytes(Uint8Array.of(v));
  }
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v);
    return this.bytes(b);
  }
  i32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v);
    return this.bytes(b);
  }
  scalar(v: Fr): this {
    return this.bytes(frToBytesBE(v));
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.len);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

export class ByteReader {
  private off = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}
  get offset(): number {
    return this.off;
  }
  get remaining(): number {
    return this.buf.length - this.off;
  }
  take(n: number, field: string): Uint8Array {
    if (this.off + n > this.buf.length)
      throw new FormatError(this.what, `truncated: ${field} needs ${n} bytes at offset ${this.off}, only ${this.remaining} left`);
    const out = this.buf.subarray(this.off, this.off + n);
    this.off += n;
    return out;
  }
  u8(field: string): number {
    return this.take(1, field)[0]!;
  }
  u32(field: string, max = 0xffffffff): number {
    const b = this.take(4, field);
    const v = new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
    if (v > max) throw new FormatError(this.what, `${field} = ${v} exceeds ${max}`);
    return v;
  }
  i32(field: string): number {
    const b = this.take(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getInt32(0);
  }
  scalar(field: string): Fr {
    const v = frFromBytesBE(this.take(32, field));
    if (v === null) throw new FormatError(this.what, `${field} is not a canonical scalar (≥ r = ${FR_MODULUS})`);
    return v;
  }
  end(): void {
    if (this.remaining !== 0) throw new FormatError(this.what, `${this.remaining} unexpected trailing bytes`);
  }
}
