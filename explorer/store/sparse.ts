/**
 * A compact form of fixed-width records that are mostly zero bytes (a laid-out state keeps unused
 * list room and absent values as zeros: 300 of the 368 bytes of a typical grant-model state), for
 * the frontier. Two levels of bitmaps: one bit per 8-byte group says whether the group has a
 * non-zero byte; each such group has a mask byte (which of its bytes are non-zero) followed by
 * those bytes. A 368-byte state takes about 90. Records at 4-byte-aligned places are scanned a
 * 32-bit word at a time (most groups are two zero words).
 */

/** The most bytes the compact form of a `width`-byte record can take. */
export function sparseBound(width: number): number {
  const groups = (width + 7) >>> 3;
  return ((groups + 7) >>> 3) + groups + width;
}

/** 32-bit views of the buffers last seen (records are read and written in place). */
let wordsOf: ArrayBufferLike | undefined;
let words: Int32Array = new Int32Array(0);

function wordView(b: Uint8Array): Int32Array {
  if (b.buffer !== wordsOf || words.length !== b.buffer.byteLength >>> 2) {
    wordsOf = b.buffer;
    words = new Int32Array(b.buffer, 0, b.buffer.byteLength >>> 2);
  }
  return words;
}

/** Writes the compact form of `src[off .. off + width)` at `out[at ..]`; returns its length. */
export function sparseEncode(src: Uint8Array, off: number, width: number, out: Uint8Array, at: number): number {
  const groups = (width + 7) >>> 3;
  const top = (groups + 7) >>> 3;
  let p = at + top;
  for (let i = 0; i < top; i++) out[at + i] = 0;
  const base0 = src.byteOffset + off;
  const aligned = (base0 & 3) === 0 && (width & 7) === 0;
  const w32 = aligned ? wordView(src) : undefined;
  for (let g = 0; g < groups; g++) {
    const base = off + (g << 3);
    if (w32 !== undefined) {
      const wi = (base0 >>> 2) + (g << 1);
      if (w32[wi] === 0 && w32[wi + 1] === 0) continue;
    }
    const end = Math.min(8, width - (g << 3));
    let mask = 0;
    for (let k = 0; k < end; k++) if (src[base + k] !== 0) mask |= 1 << k;
    if (mask === 0) continue;
    out[at + (g >>> 3)]! |= 1 << (g & 7);
    out[p++] = mask;
    for (let k = 0; k < end; k++) if (mask & (1 << k)) out[p++] = src[base + k]!;
  }
  return p - at;
}

/** Restores a `width`-byte record from its compact form at `src[off ..]` into `out[0 .. width)`. */
export function sparseDecode(src: Uint8Array, off: number, width: number, out: Uint8Array): void {
  const groups = (width + 7) >>> 3;
  const top = (groups + 7) >>> 3;
  out.fill(0, 0, width);
  let p = off + top;
  for (let t = 0; t < top; t++) {
    const bits = src[off + t]!;
    if (bits === 0) continue;
    for (let j = 0; j < 8; j++) {
      if ((bits & (1 << j)) === 0) continue;
      const g = (t << 3) + j;
      const mask = src[p++]!;
      const base = g << 3;
      for (let k = 0; k < 8; k++) if (mask & (1 << k)) out[base + k] = src[p++]!;
    }
  }
}
