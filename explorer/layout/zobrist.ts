/**
 * State identity for laid-out states: a 64-bit Zobrist fingerprint of the bytes. Each (position,
 * byte value) pair has two fixed random 32-bit words; a state's fingerprint is the XOR of the words
 * of its non-zero bytes. A successor differs from its parent in a few bytes, so its fingerprint is
 * the parent's with the words of the changed bytes swapped: the cost follows what a recipe changed,
 * not the state's size. The table comes from a fixed seed: the same layout gives the same
 * fingerprints in every run and in every worker.
 */

/** The fingerprint function of states `width` bytes wide (a multiple of 4). */
export class ZobristHash {
  private readonly a: Int32Array;
  private readonly b: Int32Array;
  constructor(readonly width: number) {
    if (width % 4 !== 0) throw new RangeError(`ZobristHash: width ${width} is not a multiple of 4`);
    this.a = new Int32Array(width * 256);
    this.b = new Int32Array(width * 256);
    // splitmix32 from a fixed seed; value 0 keeps word 0 (absent bytes contribute nothing)
    let x = 0x9e3779b9;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return z ^ (z >>> 16);
    };
    for (let i = 0; i < width; i++) {
      for (let v = 1; v < 256; v++) {
        this.a[i * 256 + v] = next();
        this.b[i * 256 + v] = next();
      }
    }
  }

  /** The fingerprint of `buf[off .. off + width)` into out[0], out[1]. */
  full(buf: Uint8Array, off: number, out: Uint32Array): void {
    const A = this.a;
    const B = this.b;
    let ha = 0;
    let hb = 0;
    for (let i = 0; i < this.width; i++) {
      const v = buf[off + i]!;
      if (v !== 0) {
        const k = (i << 8) | v;
        ha ^= A[k]!;
        hb ^= B[k]!;
      }
    }
    out[0] = ha;
    out[1] = hb;
  }

  /**
   * The fingerprint of `child` (at word offset `childWord` of `childWords`) from its parent's
   * (`pa`, `pb`) and bytes: only the words that differ are looked at.
   */
  delta(pa: number, pb: number, parent: Uint8Array, parentWords: Int32Array, child: Uint8Array, childWords: Int32Array, childWord: number, out: Uint32Array): void {
    const A = this.a;
    const B = this.b;
    let ha = pa;
    let hb = pb;
    const n = this.width >>> 2;
    const base = childWord << 2;
    for (let w = 0; w < n; w++) {
      if (parentWords[w] === childWords[childWord + w]) continue;
      for (let j = w << 2, e = j + 4; j < e; j++) {
        const o = parent[j]!;
        const c = child[base + j]!;
        if (o === c) continue;
        const k = j << 8;
        ha ^= A[k | o]! ^ A[k | c]!;
        hb ^= B[k | o]! ^ B[k | c]!;
      }
    }
    out[0] = ha;
    out[1] = hb;
  }
}
