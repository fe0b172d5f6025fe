/**
 * A compact form of fixed-width records that are mostly zero bytes (a laid-out state keeps unused
 * list room and absent values as zeros: 300 of the 368 bytes of a typical grant-model state), for
 * the frontier. Two levels of bitmaps: one bit per 8-byte group says whether the group has a
 * non-zero byte; each such group has a mask byte (which of its bytes are non-zero) followed by
 * those bytes. A 368-byte state takes about 90.
 */

/** The most bytes the compact form of a `width`-byte record can take. */
export function sparseBound(width: number): number {
  const groups = (width + 7) >>> 3;
  return ((groups + 7) >>> 3) + groups + width;
}

/** Writes the compact form of `src[off .. off + width)` at `out[at ..]`; returns its length. */
export function sparseEncode(src: Uint8Array, off: number, width: number, out: Uint8Array, at: number): number {
  const groups = (width + 7) >>> 3;
  const top = (groups + 7) >>> 3;
  let p = at + top;
  for (let i = 0; i < top; i++) out[at + i] = 0;
  for (let g = 0; g < groups; g++) {
    const base = off + (g << 3);
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
  for (let g = 0; g < groups; g++) {
    if ((src[off + (g >>> 3)]! & (1 << (g & 7))) === 0) continue;
    const mask = src[p++]!;
    const base = g << 3;
    for (let k = 0; k < 8; k++) if (mask & (1 << k)) out[base + k] = src[p++]!;
  }
}
