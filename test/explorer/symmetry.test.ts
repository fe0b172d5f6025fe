// Why this test? Symmetry reduction explores one state per class of interchangeable processes.
// It must explore exactly one state per class (no more, no fewer), report what it did, keep
// counterexamples shortest, and keep them valid: a reported path must replay on the model as it
// is (the search stores the successor it actually reached, not its canonical form).
import { describe, expect, it } from 'vitest';
import { check, decodePath, replayPath } from '../../explorer/index.js';
import { mutexObjects, mutexProcesses } from '../fixtures/models.js';

/** Every state reachable in the packed mutex model, by a naive BFS on its `nextState`. */
function reachable(n: number, c: number, bug: boolean): Uint8Array[] {
  const m = mutexProcesses(n, c, { bug, symmetric: false });
  const seen = new Map<string, Uint8Array>();
  const queue = [...m.initStates()];
  for (const s of queue) seen.set(s.join(','), s);
  for (let i = 0; i < queue.length; i++) {
    for (const a of m.actions(queue[i]!)) {
      const t = m.nextState(queue[i]!, a);
      if (t && !seen.has(t.join(','))) {
        seen.set(t.join(','), t);
        queue.push(t);
      }
    }
  }
  return queue;
}

describe('symmetry reduction on N identical processes', () => {
  it('pins the distinct states with and without symmetry', () => {
    const pinned: [number, number, number, number][] = [
      // n, c, distinct with symmetry, distinct without
      [3, 2, 119, 540],
      [4, 2, 294, 3888],
      [5, 3, 2112, 114688],
    ];
    for (const [n, c, reduced, full] of pinned) {
      const r = check(mutexProcesses(n, c));
      const u = check(mutexProcesses(n, c), { symmetry: false });
      expect(r.stats.distinctStates).toBe(reduced);
      expect(u.stats.distinctStates).toBe(full);
      expect(r.stats.symmetry!.canonicalized).toBeGreaterThan(0);
      expect(u.stats.symmetry).toBeUndefined();
      expect(r.status).toBe('ok');
    }
  });

  it('explores exactly one state per class: as many as the canonical forms of all reachable states', () => {
    for (const bug of [false, true]) {
      const m = mutexProcesses(4, 2, { bug });
      const classes = new Set(
        reachable(4, 2, bug).map((s) => {
          const out = new Uint8Array(s.length);
          m.packed.canonicalize!(s, out);
          return out.join(',');
        }),
      );
      expect(check(m).stats.distinctStates).toBe(classes.size);
    }
  });

  it('keeps counterexamples shortest and replayable on the unreduced model', () => {
    const reduced = check(mutexProcesses(4, 2, { bug: true }));
    const full = check(mutexProcesses(4, 2, { bug: true }), { symmetry: false });
    const v = reduced.violations.find((x) => x.property === 'mutual exclusion')!;
    const w = full.violations.find((x) => x.property === 'mutual exclusion')!;
    expect(v.length).toBe(w.length);
    // replay on a model that declares no symmetry at all
    const plain = mutexProcesses(4, 2, { bug: true, symmetric: false });
    const steps = replayPath(plain, decodePath(v.path));
    expect(steps.map((s) => [...s.state])).toEqual(v.trace.map((s) => [...s.state]));
    const last = steps[steps.length - 1]!.state;
    let critical = 0;
    for (let i = 0; i < 4; i++) if (last[1 + 2 * i] === 2) critical++;
    expect(critical).toBe(2);
    // the witness path replays too
    const wit = reduced.witnesses[0]!;
    expect(replayPath(plain, decodePath(wit.path!)).map((s) => [...s.state])).toEqual(wit.trace!.map((s) => [...s.state]));
  });

  it('declared on values, works the same on the fast path, the immer path and the packed engine', () => {
    for (const bug of [false, true]) {
      const packed = check(mutexProcesses(4, 2, { bug }));
      const fast = check(mutexObjects(4, 2, { bug }));
      const immer = check(mutexObjects(4, 2, { bug }), { recipes: 'immer' });
      for (const r of [fast, immer]) {
        expect(r.stats.distinctStates).toBe(packed.stats.distinctStates);
        expect(r.stats.generatedStates).toBe(packed.stats.generatedStates);
        expect(r.violations.map((v) => v.path)).toEqual(packed.violations.map((v) => v.path));
        expect(r.stats.symmetry).toEqual(packed.stats.symmetry);
      }
      const plain = mutexObjects(4, 2, { bug, symmetric: false });
      for (const v of fast.violations) expect(replayPath(plain, decodePath(v.path)).map((s) => s.state)).toEqual(v.trace.map((s) => s.state));
      expect(check(mutexObjects(4, 2, { bug }), { symmetry: false }).stats.distinctStates).toBe(check(mutexProcesses(4, 2, { bug }), { symmetry: false }).stats.distinctStates);
    }
  });
});
