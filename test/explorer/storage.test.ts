import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet, ParentLinks, fingerprint } from '../../explorer/index.js';
import { decodePath, encodePath, PathError } from '../../explorer/path.js';

/** Plain-data values of the kinds states are made of. */
const valueArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer(),
    fc.double({ noNaN: false }),
    fc.string({ maxLength: 6 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Rebuilds a value with every object's keys in reverse insertion order. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).reverse()) o[k] = reorder((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Changes one leaf (or one key) somewhere in the value; undefined when there is nothing to change. */
function mutate(v: unknown, pick: number): unknown {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 0;
    const w = v === 0 ? 1 : Number.isInteger(v) && Math.abs(v) < 2 ** 52 ? v + 1 : v * 2;
    return Object.is(w, v) ? 0.5 : w;
  }
  if (typeof v === 'string') return v + 'x';
  if (typeof v === 'boolean') return !v;
  if (v === null) return 0;
  if (Array.isArray(v)) {
    if (v.length === 0) return [0];
    const i = pick % v.length;
    return v.map((x, j) => (j === i ? mutate(x, pick >> 2) : x));
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 0) return { k: 0 };
  const k = keys[pick % keys.length]!;
  return { ...o, [k]: mutate(o[k], pick >> 2) };
}

describe('fingerprint', () => {
  it('gives equal fingerprints to equal values, whatever the key order', () => {
    fc.assert(
      fc.property(valueArb, (v) => {
        expect(fingerprint(reorder(v))).toBe(fingerprint(structuredClone(v)));
      }),
      { numRuns: 500 },
    );
  });

  it('gives a different fingerprint when any value changes', () => {
    fc.assert(
      fc.property(valueArb, fc.nat(), (v, pick) => {
        const w = mutate(v, pick);
        expect(fingerprint(w)).not.toBe(fingerprint(v));
      }),
      { numRuns: 1000 },
    );
  });

  it('tells apart values that print alike', () => {
    const distinct = [0, '0', [0], { 0: 0 }, [[]], [], {}, null, undefined, false, '', [null], [undefined], { a: undefined }, 0.5, 'ab', ['a', 'b'], [1, 2], [2, 1], { a: [1] }, { a: 1, b: 2 }];
    const fps = distinct.map(fingerprint);
    expect(new Set(fps).size).toBe(distinct.length);
    expect(fingerprint(-0)).toBe(fingerprint(0));
    expect(fingerprint(new Uint8Array([1, 2, 3]))).not.toBe(fingerprint([1, 2, 3]));
  });

  it('has no collision among a million structured states', () => {
    const seen = new Set<string>();
    for (let a = 0; a < 100; a++) for (let b = 0; b < 100; b++) for (let c = 0; c < 100; c++) seen.add(fingerprint({ x: [a, b], y: { c } }));
    expect(seen.size).toBe(1_000_000);
  });

  it('refuses values that are not plain data, naming what it found', () => {
    expect(() => fingerprint(new Map())).toThrow(/plain data.*a Map/);
    expect(() => fingerprint({ s: new Set([1]) })).toThrow(/a Set/);
    expect(() => fingerprint(() => 1)).toThrow(/function/);
  });
});

describe('FingerprintSet', () => {
  it('agrees with a JS Set on membership, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { maxLength: 3000 }), (pairs) => {
        const s = new FingerprintSet({ shardBits: 2, initialShardSlots: 16 });
        const ref = new Set<string>();
        for (const [hi, lo] of pairs) {
          // spread the small ints over the whole word so shards and slots are exercised
          const h = Math.imul(hi, 0x9e3779b1) >>> 0;
          const l = Math.imul(lo, 0x85ebca6b) >>> 0;
          const key = `${h}:${l === 0 && h === 0 ? 1 : l}`;
          expect(s.add(h, l)).toBe(!ref.has(key));
          ref.add(key);
          expect(s.has(h, l)).toBe(true);
        }
        expect(s.size).toBe(ref.size);
      }),
      { numRuns: 100 },
    );
  });
});

describe('ParentLinks', () => {
  it('returns what was pushed, for any non-decreasing parents and any actions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.nat(70000)), { maxLength: 2000 }), (steps) => {
        const links = new ParentLinks();
        let parent = 0;
        const want: [number, number][] = [];
        for (const [delta, action] of steps) {
          parent += delta;
          links.push(parent, action);
          want.push([parent, action]);
        }
        const out = [0, 0];
        want.forEach(([p, a], i) => {
          links.get(i, out);
          expect(out).toEqual([p, a]);
        });
      }),
      { numRuns: 50 },
    );
  });

  it('refuses a decreasing parent', () => {
    const links = new ParentLinks();
    links.push(5, 0);
    expect(() => links.push(4, 0)).toThrow(/BFS order/);
  });
});

describe('paths', () => {
  it('round-trip through their text form', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.nat(), { maxLength: 20 }), (init, actions) => {
        expect(decodePath(encodePath({ init, actions }))).toEqual({ init, actions });
      }),
    );
  });

  it('a malformed path names the bad segment', () => {
    expect(() => decodePath('0/x/1')).toThrow(PathError);
    expect(() => decodePath('0/x/1')).toThrow(/segment 2 \('x'\)/);
  });
});
