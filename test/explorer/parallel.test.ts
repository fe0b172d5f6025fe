// Why this test? The parallel search must be the sequential search run faster: same distinct and
// generated counts, same depth, same violations with the same shortest traces, same witnesses,
// deadlocks and coverage, on any model. Workers run the built files (dist/): `npm test` builds first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, ModelError, type CheckResult, type PackedModel } from '../../explorer/index.js';
import { mutexProcesses, packedCounters, packedGraph, type Graph } from '../fixtures/models.js';

/** Everything but the clock, the engine, memory, and the byte arrays' identity. */
function comparable<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, engine: _e, store: _st, visitedBytes: _v, workers: _w, ...stats } = r.stats;
  const bytes = (t: readonly { action?: A; state: S }[] | undefined) => t?.map((s) => ({ action: s.action, state: [...(s.state as Uint8Array)] }));
  return {
    ...r,
    stats,
    violations: r.violations.map((v) => ({ ...v, trace: bytes(v.trace) })),
    witnesses: r.witnesses.map((w) => ({ ...w, trace: bytes(w.trace) })),
    deadlocks: r.deadlocks.map((d) => ({ ...d, trace: bytes(d.trace) })),
  };
}

const graphArb = fc
  .integer({ min: 2, max: 200 })
  .chain((n) =>
    fc.record({
      init: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
      edges: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
      bad: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }),
      final: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }),
    }),
  );

describe('the parallel search gives the sequential search\'s results', () => {
  it('on counters, with a planted bad state', () => {
    const seq = check(packedCounters(4, 5, { bad: [3, 2, 1, 0] }));
    const par = check(packedCounters(4, 5, { bad: [3, 2, 1, 0] }), { workers: 2 });
    expect(par.stats.engine).toBe('workers');
    expect(par.stats.workers).toBe(2);
    expect(comparable(par)).toEqual(comparable(seq));
  });

  it('when the shared table grows in the middle of levels (390,625 states: the table doubles from 2^16 slots three times)', () => {
    // the workers pause between two states, copy the table into a larger one and go on; the
    // numbering, the deep counterexample and the coverage must not notice
    const seq = check(packedCounters(8, 4, { bad: [4, 4, 4, 4, 4, 4, 3, 4] }));
    const par = check(packedCounters(8, 4, { bad: [4, 4, 4, 4, 4, 4, 3, 4] }), { workers: 2, sharedTableSlots: 2 ** 16 });
    expect(seq.stats.distinctStates).toBe(390_625);
    expect(par.violations[0]!.trace.length).toBe(32);
    expect(par.stats.visitedBytes).toBe(12 * 2 ** 19);
    expect(comparable(par)).toEqual(comparable(seq));
  });

  it('on random graphs: violations, step properties, quiescence, deadlocks, witnesses, coverage', () => {
    fc.assert(
      fc.property(graphArb, fc.nat(), (g: Graph, pick) => {
        const from = pick % g.edges.length;
        const to = g.edges[from]![0] ?? 0;
        const model = () => packedGraph(g, { forbidden: [from, to] });
        expect(comparable(check(model(), { workers: 2 }))).toEqual(comparable(check(model())));
        expect(comparable(check(model(), { workers: 3, maxDepth: 3 }))).toEqual(comparable(check(model(), { maxDepth: 3 })));
      }),
      { numRuns: 12 },
    );
  });

  it('counts every transition to an unseen state at the depth bound, repeats included', () => {
    // node 3 has two edges to node 4, which lies beyond the bound: two unexplored transitions
    const g: Graph = { init: [0], edges: [[1], [2], [3], [4, 4], []] };
    const seq = check(packedGraph(g), { maxDepth: 3 });
    expect(seq.status === 'incomplete' && seq.boundHit.detail).toMatch(/with 2 transitions/);
    expect(comparable(check(packedGraph(g), { maxDepth: 3, workers: 2 }))).toEqual(comparable(seq));
    expect(comparable(check(packedGraph(g), { maxDepth: 3, workers: 3 }))).toEqual(comparable(seq));
  });

  it('under symmetry, with three workers', () => {
    const seq = check(mutexProcesses(4, 2, { bug: true }));
    const par = check(mutexProcesses(4, 2, { bug: true }), { workers: 3 });
    expect(par.stats.symmetry).toEqual(seq.stats.symmetry);
    expect(comparable(par)).toEqual(comparable(seq));
  });

  it('stopAtFirstViolation and maxStates run the sequential search (they cut a level)', () => {
    const a = check(packedCounters(3, 3, { bad: [1, 0, 0] }), { workers: 2, stopAtFirstViolation: true });
    expect(a.stats.engine).toBe('packed');
    expect(check(packedCounters(3, 3), { workers: 2, maxStates: 10 }).stats.distinctStates).toBe(10);
  });

  it('a model that throws in a worker gives a ModelError with the path', () => {
    const g: Graph = { init: [0], edges: [[1], [2], [0]] };
    expect(() => check(packedGraph(g, { throwAt: 2 }), { workers: 2 })).toThrow(ModelError);
    expect(() => check(packedGraph(g, { throwAt: 2 }), { workers: 2 })).toThrow(/path 0\/0\/0.*planted failure at node 2/);
  });

  it('needs a packed model that says how workers build it', () => {
    const m = packedCounters(2, 2);
    const { worker: _w, ...spec } = m.packed;
    const anonymous: PackedModel<number> = { ...m, packed: spec };
    expect(() => check(anonymous, { workers: 2 })).toThrow(/how a worker thread builds it/);
  });
});
