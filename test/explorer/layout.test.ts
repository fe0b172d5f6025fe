// Why this test? A declared layout keeps states as bytes and runs the model's immer recipes on
// views of them. The views must mean what immer's drafts mean, whatever a recipe does (pushes,
// splices, element replacement, a reference kept across a splice, spreads, assignments of whole
// records and arrays), the bytes must be the state's identity (equal values, equal bytes), and
// every write the layout does not allow must be a ModelError naming the field.
import fc from 'fast-check';
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../explorer/errors.js';
import { compileLayout } from '../../explorer/layout/compile.js';
import { bool, int, list, misfit, oneOf, optional, record, tuple } from '../../explorer/layout/schema.js';
import { createViewSet, draftOf } from '../../explorer/layout/views.js';

interface Tag {
  readonly x: number;
}
interface Item {
  readonly a: number;
  readonly b: boolean;
  readonly kind: 'p' | 'q' | 'r';
  readonly tag?: Tag;
  readonly at?: number;
}
interface Pair {
  readonly p: number;
  readonly q: readonly number[];
}
interface S {
  readonly items: readonly Item[];
  readonly nums: readonly number[];
  readonly fixed: readonly Item[];
  readonly pair: Pair;
  readonly maybe?: Pair;
  readonly flag: boolean;
}

const CAP = 4;
const item = record<Item>({ a: int(-1, 300), b: bool(), kind: oneOf('p', 'q', 'r'), tag: optional(record<Tag>({ x: int(0, 9) })), at: optional(int(0, 3)) });
const pair = record<Pair>({ p: int(0, 9), q: list(int(0, 9), 3) });
const layout = record<S>({ items: list(item, CAP), nums: list(int(0, 70000), CAP), fixed: tuple(item, 2), pair, maybe: optional(pair), flag: bool() });
const compiled = compileLayout<S>(layout);

const itemArb: fc.Arbitrary<Item> = fc.record(
  { a: fc.integer({ min: -1, max: 300 }), b: fc.boolean(), kind: fc.constantFrom('p' as const, 'q' as const, 'r' as const), tag: fc.record({ x: fc.integer({ min: 0, max: 9 }) }), at: fc.integer({ min: 0, max: 3 }) },
  { requiredKeys: ['a', 'b', 'kind'] },
);
const pairArb: fc.Arbitrary<Pair> = fc.record({ p: fc.integer({ min: 0, max: 9 }), q: fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }) });
const stateArb: fc.Arbitrary<S> = fc.record(
  {
    items: fc.array(itemArb, { maxLength: CAP }),
    nums: fc.array(fc.integer({ min: 0, max: 70000 }), { maxLength: CAP }),
    fixed: fc.tuple(itemArb, itemArb),
    pair: pairArb,
    maybe: pairArb,
    flag: fc.boolean(),
  },
  { requiredKeys: ['items', 'nums', 'fixed', 'pair', 'flag'] },
);

/** One step of a recipe; every step is a no-op where it would leave the layout's bounds. */
type Op =
  | { readonly k: 'push'; readonly v: Item }
  | { readonly k: 'pushCopyOf'; readonly i: number }
  | { readonly k: 'pushSpread'; readonly i: number }
  | { readonly k: 'splice'; readonly i: number; readonly n: number }
  | { readonly k: 'insert'; readonly i: number; readonly v: Item }
  | { readonly k: 'setA'; readonly i: number; readonly a: number }
  | { readonly k: 'replace'; readonly i: number; readonly v: Item }
  | { readonly k: 'hold'; readonly i: number }
  | { readonly k: 'writeHeld'; readonly a: number }
  | { readonly k: 'filter'; readonly odd: boolean }
  | { readonly k: 'sort' }
  | { readonly k: 'reverse' }
  | { readonly k: 'setTag'; readonly i: number; readonly x: number | undefined }
  | { readonly k: 'writeTag'; readonly i: number; readonly x: number }
  | { readonly k: 'numsPush'; readonly n: number }
  | { readonly k: 'numsSet'; readonly i: number; readonly n: number }
  | { readonly k: 'numsClear' }
  | { readonly k: 'pairAssign'; readonly v: Pair }
  | { readonly k: 'pairQPush'; readonly n: number }
  | { readonly k: 'maybeAssign'; readonly v: Pair | undefined }
  | { readonly k: 'maybeFromPair' }
  | { readonly k: 'fixedSwap' }
  | { readonly k: 'fixedReplace'; readonly v: Item }
  | { readonly k: 'flag' };

const idx = fc.integer({ min: 0, max: CAP - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('push' as const), v: itemArb }),
  fc.record({ k: fc.constant('pushCopyOf' as const), i: idx }),
  fc.record({ k: fc.constant('pushSpread' as const), i: idx }),
  fc.record({ k: fc.constant('splice' as const), i: idx, n: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ k: fc.constant('insert' as const), i: idx, v: itemArb }),
  fc.record({ k: fc.constant('setA' as const), i: idx, a: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ k: fc.constant('replace' as const), i: idx, v: itemArb }),
  fc.record({ k: fc.constant('hold' as const), i: idx }),
  fc.record({ k: fc.constant('writeHeld' as const), a: fc.integer({ min: 0, max: 300 }) }),
  fc.record({ k: fc.constant('filter' as const), odd: fc.boolean() }),
  fc.record({ k: fc.constant('sort' as const) }),
  fc.record({ k: fc.constant('reverse' as const) }),
  fc.record({ k: fc.constant('setTag' as const), i: idx, x: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }) }),
  fc.record({ k: fc.constant('writeTag' as const), i: idx, x: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ k: fc.constant('numsPush' as const), n: fc.integer({ min: 0, max: 70000 }) }),
  fc.record({ k: fc.constant('numsSet' as const), i: idx, n: fc.integer({ min: 0, max: 70000 }) }),
  fc.record({ k: fc.constant('numsClear' as const) }),
  fc.record({ k: fc.constant('pairAssign' as const), v: pairArb }),
  fc.record({ k: fc.constant('pairQPush' as const), n: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ k: fc.constant('maybeAssign' as const), v: fc.option(pairArb, { nil: undefined }) }),
  fc.record({ k: fc.constant('maybeFromPair' as const) }),
  fc.record({ k: fc.constant('fixedSwap' as const) }),
  fc.record({ k: fc.constant('fixedReplace' as const), v: itemArb }),
  fc.record({ k: fc.constant('flag' as const) }),
);

type M<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? M<E>[] : T[K] extends object | undefined ? M<NonNullable<T[K]>> | Extract<T[K], undefined> : T[K] };

/** A fresh copy of an item: a value put into the state is the state's (a shared one would be changed through it). */
const fresh = (v: Item): Item => ({ ...v, ...(v.tag ? { tag: { ...v.tag } } : {}) });

/** The recipe: the same code runs on an immer draft and on a view. */
function run(d: M<S>, ops: readonly Op[]): void {
  let held: M<Item> | undefined;
  for (const op of ops) {
    const items = d.items;
    switch (op.k) {
      case 'push':
        if (items.length < CAP) items.push(fresh(op.v));
        break;
      case 'pushCopyOf':
        if (items.length < CAP && items[op.i]) items.push(items[op.i]!);
        break;
      case 'pushSpread':
        if (items.length < CAP && items[op.i]) items.push({ ...items[op.i]! });
        break;
      case 'splice':
        items.splice(op.i, op.n);
        break;
      case 'insert':
        if (items.length < CAP && op.i <= items.length) items.splice(op.i, 0, fresh(op.v));
        break;
      case 'setA':
        if (items[op.i]) items[op.i]!.a = op.a;
        break;
      case 'replace':
        if (op.i < items.length) items[op.i] = fresh(op.v);
        break;
      case 'hold':
        held = items[op.i];
        break;
      case 'writeHeld':
        if (held) held.a = op.a;
        break;
      case 'filter':
        d.items = items.filter((_, j) => j % 2 === (op.odd ? 1 : 0));
        break;
      case 'sort':
        items.sort((x, y) => x.a - y.a);
        break;
      case 'reverse':
        items.reverse();
        break;
      case 'setTag':
        if (items[op.i]) items[op.i]!.tag = op.x === undefined ? undefined : { x: op.x };
        break;
      case 'writeTag': {
        const t = items[op.i]?.tag;
        if (t) t.x = op.x;
        break;
      }
      case 'numsPush':
        if (d.nums.length < CAP) d.nums.push(op.n);
        break;
      case 'numsSet':
        if (op.i < d.nums.length) d.nums[op.i] = op.n;
        break;
      case 'numsClear':
        d.nums.length = 0;
        break;
      case 'pairAssign':
        d.pair = { p: op.v.p, q: [...op.v.q] };
        break;
      case 'pairQPush':
        if (d.pair.q.length < 3) d.pair.q.push(op.n);
        break;
      case 'maybeAssign':
        d.maybe = op.v === undefined ? undefined : { p: op.v.p, q: [...op.v.q] };
        break;
      case 'maybeFromPair':
        d.maybe = d.pair;
        break;
      case 'fixedSwap': {
        const [a, b] = d.fixed;
        d.fixed[0] = b!;
        d.fixed[1] = a!;
        break;
      }
      case 'fixedReplace':
        d.fixed[1] = fresh(op.v);
        break;
      case 'flag':
        d.flag = !d.flag;
        break;
    }
  }
}

/** The state the views give after `ops`, decoded. */
function viaViews(s: S, ops: readonly Op[]): S {
  const set = createViewSet(compiled, true);
  compiled.encode(s, set.buf);
  set.begin();
  run(set.root as unknown as M<S>, ops);
  const out = new Uint8Array(compiled.size);
  set.finish(out, 0);
  return compiled.decode(out);
}

/** The plain value as the layout reads it (absent optional fields and undefined ones are the same). */
function normal(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v)) as unknown;
}

describe('a compiled layout', () => {
  it('round-trips every value that fits, and equal values have equal bytes', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        expect(misfit(layout, s)).toBeUndefined();
        const a = new Uint8Array(compiled.size);
        compiled.encode(s, a);
        expect(normal(compiled.decode(a))).toEqual(normal(s));
        const b = new Uint8Array(compiled.size);
        compiled.encode(normal(s) as S, b);
        expect(b).toEqual(a);
      }),
    );
  });

  it('refuses what does not fit, naming the field', () => {
    const ok: S = { items: [], nums: [], fixed: [{ a: 0, b: false, kind: 'p' }, { a: 0, b: false, kind: 'p' }], pair: { p: 0, q: [] }, flag: false };
    const buf = new Uint8Array(compiled.size);
    const refuse = (s: unknown, what: RegExp) => expect(() => compiled.encode(s as S, buf)).toThrow(what);
    refuse({ ...ok, flag: 1 }, /state\.flag is 1, not a boolean/);
    refuse({ ...ok, pair: { p: 10, q: [] } }, /state\.pair\.p is 10, outside the layout's range 0\.\.9/);
    refuse({ ...ok, items: [{ a: 0, b: false, kind: 's' }] }, /state\.items\[0\]\.kind is "s", not one of/);
    refuse({ ...ok, items: [{ a: 0, kind: 'p' }] }, /state\.items\[0\]\.b is missing/);
    refuse({ ...ok, items: [{ a: 0, b: false, kind: 'p', extra: 1 }] }, /state\.items\[0\]\.extra is not a field of the layout/);
    refuse({ ...ok, nums: [1, 2, 3, 4, 5] }, /state\.nums has 5 elements, more than the layout's capacity 4/);
    refuse({ ...ok, fixed: [] }, /state\.fixed has 0 elements, the layout says exactly 2/);
    refuse({ ...ok, nums: [1.5] }, /state\.nums\[0\] is 1\.5, not a whole number/);
    expect(() => compiled.encode({ ...ok, flag: 1 } as unknown as S, buf)).toThrow(ModelError);
  });
});

describe('views', () => {
  it('give what immer gives, whatever the recipe does', () => {
    fc.assert(
      fc.property(stateArb, fc.array(opArb, { maxLength: 12 }), (s, ops) => {
        const expected = produce(s, (d) => {
          run(d as unknown as M<S>, ops);
        });
        expect(normal(viaViews(s, ops))).toEqual(normal(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it('read every field as a plain value would: spread, keys, JSON', () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const set = createViewSet(compiled, false);
        compiled.encode(s, set.buf);
        set.begin();
        const v = set.root;
        expect(normal(v)).toEqual(normal(s));
        expect(normal(v.items.map((x) => ({ ...x })))).toEqual(normal(s.items));
        expect(Object.keys(v)).toEqual(['items', 'nums', 'fixed', 'pair', 'maybe', 'flag']);
      }),
    );
  });

  it('refuse writes the layout does not allow, naming the field', () => {
    const s: S = { items: [{ a: 1, b: true, kind: 'q' }], nums: [], fixed: [{ a: 0, b: false, kind: 'p' }, { a: 0, b: false, kind: 'p' }], pair: { p: 0, q: [] }, flag: false };
    const recipe = (f: (d: M<S>) => void) => () => {
      const set = createViewSet(compiled, true);
      compiled.encode(s, set.buf);
      set.begin();
      f(set.root as unknown as M<S>);
      set.finish(new Uint8Array(compiled.size), 0);
    };
    expect(recipe((d) => (d.items[0]!.a = 301))).toThrow(/state\.items\[0\]\.a is 301, outside the layout's range -1\.\.300/);
    expect(recipe((d) => ((d.items[0] as { kind: string }).kind = 'z'))).toThrow(/state\.items\[0\]\.kind is "z"/);
    expect(recipe((d) => d.items.push(s.items[0]!, s.items[0]!, s.items[0]!, s.items[0]!))).toThrow(/state\.items has 5 elements, more than the layout's capacity 4/);
    expect(recipe((d) => ((d as unknown as Record<string, unknown>).extra = 1))).toThrow(TypeError);
    expect(recipe((d) => (d.fixed as Item[]).push(s.items[0]!))).toThrow(TypeError);
  });

  it('of a state being read refuse writes and report mutated arrays', () => {
    const s: S = { items: [{ a: 1, b: true, kind: 'q' }], nums: [3], fixed: [{ a: 0, b: false, kind: 'p' }, { a: 0, b: false, kind: 'p' }], pair: { p: 0, q: [] }, flag: false };
    const set = createViewSet(compiled, false);
    compiled.encode(s, set.buf);
    set.begin();
    const v = set.root as unknown as M<S>;
    expect(() => (v.flag = true)).toThrow(/wrote to state\.flag of a state it may only read/);
    expect(() => (v.pair = { p: 1, q: [] })).toThrow(/wrote to state\.pair of a state it may only read/);
    expect(set.changed()).toBeUndefined();
    v.nums.push(4);
    expect(set.changed()).toBe('state.nums');
  });

  it('refuse loudly to change a frozen value put into an array (immer would have copied it)', () => {
    const s: S = { items: [], nums: [], fixed: [{ a: 0, b: false, kind: 'p' }, { a: 0, b: false, kind: 'p' }], pair: { p: 0, q: [] }, flag: false };
    const shared: Item = Object.freeze({ a: 1, b: false, kind: 'p' });
    const set = createViewSet(compiled, true);
    compiled.encode(s, set.buf);
    set.begin();
    const d = set.root as unknown as M<S>;
    d.items.push(shared as M<Item>);
    expect(() => (d.items[0]!.a = 2)).toThrow(TypeError);
  });

  it('give a writable copy of a read-only state (draftOf), leaving it unchanged', () => {
    const s: S = { items: [], nums: [1], fixed: [{ a: 0, b: false, kind: 'p' }, { a: 0, b: false, kind: 'p' }], pair: { p: 0, q: [] }, flag: false };
    const set = createViewSet(compiled, false);
    compiled.encode(s, set.buf);
    set.begin();
    const copy = draftOf(set.root as unknown as M<S>)!;
    copy.flag = true;
    copy.nums.push(2);
    expect(set.root.flag).toBe(false);
    expect(normal(set.root.nums)).toEqual([1]);
    expect(draftOf({ plain: true })).toBeUndefined();
  });
});
