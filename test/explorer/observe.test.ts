// Why this test? `observe` is how tools outside the explorer (the CLI's --profile) see the state
// space: it must be called exactly once per new distinct state, in discovery order, with the
// state's BFS depth, on every engine (JS values, immer recipes, the fast path, packed bytes).
import { describe, expect, it } from 'vitest';
import { check, CheckOptionError } from '../../explorer/index.js';
import { abbaLocks, counters, mutexObjects, mutexProcesses, packedCounters } from '../fixtures/models.js';

/** The states (as JSON) and depths observed during a check. */
function observed(run: (observe: (s: unknown, d: number) => void) => { stats: { distinctStates: number } }): { seen: [string, number][]; distinct: number } {
  const seen: [string, number][] = [];
  const r = run((s, d) => seen.push([JSON.stringify(s instanceof Uint8Array ? [...s] : s), d]));
  return { seen, distinct: r.stats.distinctStates };
}

describe('CheckOptions.observe', () => {
  it('sees every distinct state once, with its depth, in discovery order (JS values)', () => {
    const { seen, distinct } = observed((observe) => check(counters(2, 2), { observe }));
    expect(distinct).toBe(9);
    expect(seen.map(([s]) => s)).toEqual(['[0,0]', '[1,0]', '[0,1]', '[2,0]', '[1,1]', '[0,2]', '[2,1]', '[1,2]', '[2,2]']);
    // The depth of (a, b) is a + b.
    for (const [s, d] of seen) expect(d, s).toBe((JSON.parse(s) as number[]).reduce((x, y) => x + y, 0));
  });

  it('packed models: once per distinct state, the same depths', () => {
    const { seen, distinct } = observed((observe) => check(packedCounters(3, 2), { observe }));
    expect(distinct).toBe(27);
    expect(seen).toHaveLength(27);
    expect(new Set(seen.map(([s]) => s)).size).toBe(27);
    for (const [s, d] of seen) expect(d, s).toBe((JSON.parse(s) as number[]).reduce((x, y) => x + y, 0));
  });

  it('guard+recipe models: the fast path and immer observe the same states in the same order', () => {
    const fast = observed((observe) => check(abbaLocks(), { observe }));
    const immer = observed((observe) => check(abbaLocks(), { observe, recipes: 'immer' }));
    expect(fast.seen.length).toBe(fast.distinct);
    expect(fast.seen).toEqual(immer.seen);
    const objects = observed((observe) => check(mutexObjects(2, 1), { observe }));
    const packed = observed((observe) => check(mutexProcesses(2, 1), { observe }));
    expect(objects.seen.length).toBe(objects.distinct);
    expect(packed.seen.length).toBe(packed.distinct);
    expect(objects.distinct).toBe(packed.distinct);
    expect(objects.seen.map(([, d]) => d)).toEqual(packed.seen.map(([, d]) => d));
  });

  it('is refused with worker threads, naming the fix', () => {
    expect(() => check(packedCounters(2, 2), { observe: () => {}, workers: 2 })).toThrow(CheckOptionError);
    expect(() => check(packedCounters(2, 2), { observe: () => {}, workers: 2 })).toThrow(/workers: 1/);
  });
});
