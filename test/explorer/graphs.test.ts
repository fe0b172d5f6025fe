// Why this test? The checker's counts and counterexamples must agree with the simplest possible
// breadth-first search on arbitrary graphs, not only on the fixtures we thought of.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { check, decodePath, replayPath } from '../../explorer/index.js';
import { graphModel, type Graph } from '../fixtures/models.js';

/** Reference BFS over the graph: distance of every reachable node from the initial set. */
function referenceDistances(g: Graph): Map<number, number> {
  const dist = new Map<number, number>();
  const queue: number[] = [];
  for (const v of g.init) {
    if (!dist.has(v)) {
      dist.set(v, 0);
      queue.push(v);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i]!;
    for (const w of g.edges[v] ?? []) {
      if (!dist.has(w)) {
        dist.set(w, dist.get(v)! + 1);
        queue.push(w);
      }
    }
  }
  return dist;
}

const graphArb = fc
  .integer({ min: 1, max: 300 })
  .chain((n) =>
    fc.record({
      init: fc.array(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
      edges: fc.array(fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
      bad: fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 5 }),
    }),
  );

describe('check against a reference BFS on random graphs', () => {
  it('finds the reachable nodes, the depth, and a shortest real path to a bad node', () => {
    fc.assert(
      fc.property(graphArb, (g) => {
        const model = graphModel(g);
        const r = check(model, { checkDeadlock: false });
        const dist = referenceDistances(g);
        expect(r.stats.distinctStates).toBe(dist.size);
        expect(r.stats.depth).toBe(Math.max(...dist.values()));
        const reachableBad = g.bad.filter((b) => dist.has(b));
        if (reachableBad.length === 0) {
          expect(r.status).toBe('ok');
          return;
        }
        expect(r.status).toBe('violation');
        const v = r.violations[0]!;
        const shortest = Math.min(...reachableBad.map((b) => dist.get(b)!));
        expect(v.length).toBe(shortest);
        const last = v.trace[v.trace.length - 1]!.state;
        expect(g.bad).toContain(last);
        // the trace is a real path: it starts in an initial node and follows edges
        expect(g.init).toContain(v.trace[0]!.state);
        for (let i = 1; i < v.trace.length; i++) {
          expect(g.edges[v.trace[i - 1]!.state]).toContain(v.trace[i]!.state);
        }
        // and the encoded path replays to the same trace
        expect(replayPath(model, decodePath(v.path)).map((s) => s.state)).toEqual(v.trace.map((s) => s.state));
      }),
      { numRuns: 200 },
    );
  });
});
