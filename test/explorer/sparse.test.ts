// Why this test? Laid-out states wait in the frontier in a compact form (store/sparse.ts); a record
// must come back byte for byte, whatever its width and contents, and mostly-zero records must
// shrink.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sparseBound, sparseDecode, sparseEncode } from '../../explorer/store/sparse.js';

describe('the compact form of mostly-zero records', () => {
  it('gives every record back exactly, within its bound', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }).chain((w) => fc.tuple(fc.constant(w), fc.uint8Array({ minLength: w, maxLength: w }), fc.double({ min: 0, max: 1, noNaN: true }))), ([w, raw, density]) => {
        const rec = raw.map((b, i) => ((i * 7919) % 1000) / 1000 < density ? b : 0);
        const out = new Uint8Array(sparseBound(w) + 3);
        const n = sparseEncode(rec, 0, w, out, 3);
        expect(n).toBeLessThanOrEqual(sparseBound(w));
        const back = new Uint8Array(w).fill(7);
        sparseDecode(out, 3, w, back);
        expect(back).toEqual(rec);
      }),
    );
  });

  it('keeps a 368-byte record with 60 scattered non-zero bytes under 100 bytes', () => {
    const rec = new Uint8Array(368);
    for (let i = 0; i < 60; i++) rec[(i * 37) % 368] = 1 + i;
    expect(sparseEncode(rec, 0, 368, new Uint8Array(sparseBound(368)), 0)).toBeLessThan(100 + 60);
  });
});
