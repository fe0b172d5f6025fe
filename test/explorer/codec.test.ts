// Why this test? The fast path identifies states by the hash of their encoding, so the encoding
// must be canonical (equal values, equal bytes, whatever the key order or the order in which the
// codec learned shapes) and injective (different values, different bytes), and decoding must give
// the value back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../explorer/index.js';
import { StateCodec, type ByteWriter } from '../../explorer/expand/codec.js';

const valueArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.integer({ min: -3, max: 3 }),
    fc.double({ noNaN: false }),
    fc.constantFrom('none', 'granted', 'user', ''),
    fc.string({ maxLength: 5 }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 5 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'kind', 'p', 'x'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v instanceof Uint8Array) return v.slice();
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) o[k] = reorder((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

function enc(c: StateCodec, v: unknown): string {
  const w: ByteWriter = { buf: new Uint8Array(8), pos: 0 };
  c.encode(v, w);
  return Buffer.from(w.buf.subarray(0, w.pos)).toString('hex');
}

describe('StateCodec', () => {
  it('decodes what it encoded (equal fingerprints), including after the schema grew', () => {
    const c = new StateCodec();
    fc.assert(
      fc.property(valueArb, (v) => {
        const w: ByteWriter = { buf: new Uint8Array(4), pos: 0 };
        c.encode(v, w);
        expect(fingerprint(c.decode(w.buf, 0))).toBe(fingerprint(v));
      }),
      { numRuns: 800 },
    );
  });

  it('is canonical: equal values give equal bytes whatever the key order and the learning order', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 1, maxLength: 6 }), (vs) => {
        const c = new StateCodec();
        const first = vs.map((v) => enc(c, v));
        const again = vs.map((v) => enc(c, reorder(v)));
        expect(again).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('is injective: values with different fingerprints get different bytes', () => {
    const c = new StateCodec();
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(valueArb, (v) => {
        const bytes = enc(c, v);
        const f = fingerprint(v);
        const prev = seen.get(bytes);
        if (prev !== undefined) expect(prev).toBe(f);
        seen.set(bytes, f);
      }),
      { numRuns: 2000 },
    );
    expect(enc(c, { a: 1 })).not.toBe(enc(c, { a: 1, b: undefined }));
    expect(enc(c, -0)).toBe(enc(c, 0));
    expect(enc(c, Number.NaN)).toBe(enc(c, 0 / 0));
  });

  it('decodes into fresh mutable values, objects with their first-seen key order', () => {
    const c = new StateCodec();
    const w: ByteWriter = { buf: new Uint8Array(64), pos: 0 };
    const v = Object.freeze({ z: 1, a: Object.freeze([1, 2]) });
    c.encode(v, w);
    const d = c.decode(w.buf, 0) as { z: number; a: number[] };
    expect(Object.keys(d)).toEqual(['z', 'a']);
    d.a.push(3);
    d.z = 5;
    expect(c.decode(w.buf, 0)).toEqual({ z: 1, a: [1, 2] });
  });

  it('refuses values that are not plain data, naming what it found', () => {
    const c = new StateCodec();
    expect(() => enc(c, { m: new Map() })).toThrow(/plain data.*a Map/);
    expect(() => enc(c, [() => 1])).toThrow(/function/);
  });

  it('encodes a position with more shapes than it compiles, still canonically', () => {
    const c = new StateCodec();
    const many = Array.from({ length: 60 }, (_, i) => ({ [`k${i}`]: i, [`j${i % 7}`]: 'x' }));
    const a = many.map((v) => enc(c, [v]));
    const b = many.map((v) => enc(c, [reorder(v)]));
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(many.length);
  });
});
