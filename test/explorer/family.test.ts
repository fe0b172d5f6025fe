// Why these tests? checkFamily claims that, per variant, it answers what a separate breadth-first
// search of that variant would: the same violations with counterexamples of the same (shortest)
// length, each a path of that variant, the same terminal states and witnesses. Random families of
// random graphs check the claim against `check`, variant by variant.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, atQuiescence, check, checkFamily, guardedModel, pathOfActions, sometimes, CheckOptionError, type GuardedModel, type Property } from '../../explorer/index.js';
import { counters } from '../fixtures/models.js';

interface Node {
  readonly at: number;
  readonly steps: number;
}
interface Edge {
  readonly from: number;
  readonly to: number;
  readonly id: number;
}
interface Family {
  readonly nodes: number;
  readonly edges: readonly Edge[];
  /** per edge, the variants that allow it (bitset of up to 31 variants) */
  readonly allow: readonly number[];
  readonly variants: number;
  readonly bad: readonly number[];
  readonly badEdge: number;
  readonly stuckBad: readonly number[];
  readonly final: readonly number[];
  readonly witness: number;
}

const props = (f: Family): Property<Node, Edge>[] => [
  always('not bad', (s: Node) => (f.bad.includes(s.at) ? `at ${s.at}` : true)),
  { kind: 'step', name: 'no bad edge', holds: (_s: Node, a: Edge) => a.id !== f.badEdge },
  atQuiescence('not stuck badly', (s: Node) => !f.stuckBad.includes(s.at)),
  sometimes('reaches the witness node', (s: Node) => s.at === f.witness, { witnessFor: ['not bad'] }),
];

/** The graph as a guarded model whose edges are those `keep` allows. A step counter (capped) makes states differ by path length too. */
const graph = (f: Family, keep: (e: Edge) => boolean): GuardedModel<Node, Edge> =>
  guardedModel<Node, Edge>({
    initStates: () => [{ at: 0, steps: 0 }],
    actions: () => f.edges.filter(keep),
    rule: () => ({
      guard: (s, a) => (s.at === a.from ? true : 'elsewhere'),
      effect: (d, a) => {
        d.at = a.to;
        d.steps = Math.min(d.steps + 1, 3);
      },
    }),
    properties: props(f),
    isFinal: (s) => f.final.includes(s.at),
  });

const families = fc
  .record({ nodes: fc.integer({ min: 2, max: 7 }), variants: fc.integer({ min: 1, max: 5 }) })
  .chain(({ nodes, variants }) =>
    fc.record({
      nodes: fc.constant(nodes),
      variants: fc.constant(variants),
      edges: fc.uniqueArray(fc.tuple(fc.nat(nodes - 1), fc.nat(nodes - 1)), { maxLength: 14, selector: ([a, b]) => `${a}-${b}` }).map((es) => es.map(([from, to], id) => ({ from, to, id }))),
      allowSeed: fc.array(fc.nat((1 << variants) - 1), { minLength: 14, maxLength: 14 }),
      bad: fc.subarray([...Array(nodes).keys()].slice(1), { maxLength: Math.min(2, nodes - 1) }),
      badEdge: fc.nat(13),
      stuckBad: fc.subarray([...Array(nodes).keys()], { maxLength: 2 }),
      final: fc.subarray([...Array(nodes).keys()], { maxLength: 2 }),
      witness: fc.nat(nodes - 1),
    }),
  )
  .map((r): Family => ({ ...r, allow: r.allowSeed }));

describe('checkFamily', () => {
  it('answers, per variant, what check of that variant alone answers (random families)', () => {
    fc.assert(
      fc.property(families, (f) => {
        const all = graph(f, () => true);
        const res = checkFamily(all, { variants: f.variants, allows: (_s, a) => Uint32Array.of(f.allow[a.id]!) });
        expect(res.exhaustive).toBe(true);
        for (let v = 0; v < f.variants; v++) {
          const variant = graph(f, (e) => (f.allow[e.id]! & (1 << v)) !== 0);
          const one = check(variant);
          const mine = res.violations.filter((x) => x.variants.includes(v));
          // the same properties fail, each once per variant, with the same shortest length
          expect(mine.map((x) => x.property).sort()).toEqual(one.violations.map((x) => x.property).sort());
          for (const x of mine) {
            expect(x.length, `${x.property} in variant ${v}`).toBe(one.violations.find((y) => y.property === x.property)!.length);
            // and the trace is a path of this variant
            const acts = x.trace.slice(1).map((st) => st.action!);
            expect(pathOfActions(variant, 0, acts).actions).toHaveLength(x.length);
          }
          const w = res.witnesses.find((x) => x.name === 'reaches the witness node')!;
          expect(w.variants.includes(v)).toBe(one.witnesses[0]!.reached);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('shares what the variants share: identical variants cost one search', () => {
    const f: Family = { nodes: 4, edges: [0, 1, 2, 3].flatMap((a) => [0, 1, 2, 3].map((b) => ({ from: a, to: b, id: a * 4 + b }))), allow: Array(16).fill(0b111), variants: 3, bad: [], badEdge: 99, stuckBad: [], final: [], witness: 3 };
    const res = checkFamily(graph(f, () => true), { variants: 3, allows: () => undefined });
    const alone = check(graph(f, () => true));
    expect(res.stats.distinctStates).toBe(alone.stats.distinctStates);
    expect(res.stats.expansions).toBe(alone.stats.distinctStates);
  });

  it('a bound makes the search not exhaustive, and says which', () => {
    const f: Family = { nodes: 4, edges: [0, 1, 2, 3].map((a) => ({ from: a, to: (a + 1) % 4, id: a })), allow: [1, 1, 1, 1], variants: 1, bad: [], badEdge: 99, stuckBad: [], final: [], witness: 3 };
    const byDepth = checkFamily(graph(f, () => true), { variants: 1, allows: () => undefined, maxDepth: 2 });
    expect(byDepth.exhaustive).toBe(false);
    expect(byDepth.boundHit?.bound).toBe('maxDepth');
    const byStates = checkFamily(graph(f, () => true), { variants: 1, allows: () => undefined, maxStates: 3 });
    expect(byStates.exhaustive).toBe(false);
    expect(byStates.stats.distinctStates).toBe(3);
    expect(byStates.bounds).toEqual({ maxStates: 3 });
  });

  it('refuses what it cannot run, in one sentence', () => {
    expect(() => checkFamily(counters(2, 2), { variants: 2, allows: () => undefined })).toThrow(CheckOptionError);
    const f: Family = { nodes: 2, edges: [{ from: 0, to: 1, id: 0 }], allow: [1], variants: 1, bad: [], badEdge: 99, stuckBad: [], final: [], witness: 1 };
    expect(() => checkFamily(graph(f, () => true), { variants: 0, allows: () => undefined })).toThrow(/variants must be a positive integer/);
    expect(() => checkFamily(graph(f, () => true), { variants: 1, allows: () => undefined, properties: ['nope'] })).toThrow(/unknown property 'nope'/);
  });
});
