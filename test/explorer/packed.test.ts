// Why this test? Packed models run on the byte engine (states as bytes in an arena, no JS object
// per state); their results must be exactly those of the object engine on the same state space,
// and their traces must replay on the model as written.
import { describe, expect, it } from 'vitest';
import { always, check, decodePath, packedModel, replayPath, type CheckResult, type Model } from '../../explorer/index.js';
import { counters, packedCounters } from '../fixtures/models.js';
import { isPackedModel } from '../../explorer/packed.js';

/** The result fields that must agree between engines (not the clock, the engine name or memory). */
function comparable<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, engine: _e, store: _st, visitedBytes: _v, ...stats } = r.stats;
  return { ...r, stats, violations: r.violations.map((v) => ({ ...v, trace: v.trace.map((s) => ({ action: s.action, state: [...(s.state as Iterable<number>)] })) })), witnesses: r.witnesses.map((w) => ({ ...w, trace: w.trace?.map((s) => [...(s.state as Iterable<number>)]) })), deadlocks: r.deadlocks.map((d) => ({ ...d, trace: d.trace.map((s) => [...(s.state as Iterable<number>)]) })) };
}

describe('packed models', () => {
  it('are recognised, and are ordinary models too (nextState allocates)', () => {
    const m = packedCounters(2, 2);
    expect(isPackedModel(m)).toBe(true);
    expect(isPackedModel(counters(2, 2))).toBe(false);
    const s0 = m.initStates()[0]!;
    const s1 = m.nextState(s0, 1)!;
    expect([...s1]).toEqual([0, 1]);
    expect([...s0]).toEqual([0, 0]);
    expect(m.nextState(new Uint8Array([2, 2]), 0)).toBeUndefined();
  });

  it('give the same state space, counters and coverage as the object engine', () => {
    for (const [n, k] of [
      [1, 5],
      [3, 2],
      [4, 4],
    ] as const) {
      const a = check(counters(n, k));
      const b = check(packedCounters(n, k));
      expect(b.stats.engine).toBe('packed');
      expect(b.stats.distinctStates).toBe((k + 1) ** n);
      expect(b.stats.generatedStates).toBe(a.stats.generatedStates);
      expect(b.stats.depth).toBe(a.stats.depth);
      expect(b.stats.peakQueue).toBe(a.stats.peakQueue);
      expect(b.coverage).toEqual(a.coverage);
      expect(b.witnesses.map((w) => [w.name, w.depth, w.path])).toEqual(a.witnesses.map((w) => [w.name, w.depth, w.path]));
    }
  });

  it('report the shortest counterexample, which replays on the model', () => {
    const model = packedCounters(3, 3, { bad: [2, 1, 0] });
    const r = check(model);
    expect(r.status).toBe('violation');
    const v = r.violations.find((x) => x.property === 'no bad state')!;
    expect(v.length).toBe(3);
    expect([...v.trace[3]!.state]).toEqual([2, 1, 0]);
    const replayed = replayPath(model, decodePath(v.path));
    expect(replayed.map((s) => [...s.state])).toEqual(v.trace.map((s) => [...s.state]));
    const objects = check(counters(3, 3, { bad: (s) => s[0] === 2 && s[1] === 1 && s[2] === 0 }));
    expect(objects.violations.find((x) => x.property === 'no bad state')!.path).toBe(v.path);
  });

  it('deadlocks, step properties and bounds behave as on the object engine', () => {
    // a counter that stops at 3 but is not final there: a deadlock; and a step property on +1 from 1
    const spec = {
      width: 1,
      initStates: () => [new Uint8Array([0])],
      actions: ['inc'],
      next: (s: Uint8Array, _ai: number, out: Uint8Array) => {
        if (s[0]! >= 3) return false;
        out[0] = s[0]! + 1;
        return true;
      },
      properties: [{ kind: 'step' as const, name: 'no 1 to 2', holds: (s: Uint8Array, _a: string, t: Uint8Array) => !(s[0] === 1 && t[0] === 2) || '1 -> 2' }],
    };
    const r = check(packedModel(spec));
    expect(r.status).toBe('violation');
    expect(r.violations.map((v) => [v.property, v.path])).toEqual([
      ['no 1 to 2', '0/0/0'],
      ['deadlock', '0/0/0/0'],
    ]);
    expect(r.deadlocks[0]!.disabled).toEqual([{ action: 'inc', reason: 'not enabled' }]);
    const bounded = check(packedCounters(3, 3), { maxStates: 10 });
    expect(bounded.status).toBe('incomplete');
    expect(bounded.stats.distinctStates).toBe(10);
    const shallow = check(packedCounters(2, 2), { maxDepth: 3 });
    expect(shallow.status).toBe('incomplete');
    expect(shallow.stats.distinctStates).toBe(8);
  });

  it('are deterministic, and agree with the object engine field by field on a packed fixture', () => {
    const a = check(packedCounters(3, 4, { bad: [3, 2, 0] }));
    const b = check(packedCounters(3, 4, { bad: [3, 2, 0] }));
    expect(comparable(a)).toEqual(comparable(b));
    // the same model run as plain objects: the object engine with Uint8Array states
    const m = packedCounters(3, 4, { bad: [3, 2, 0] });
    const plain: Model<Uint8Array, number> = {
      initStates: () => m.initStates(),
      actions: (s) => m.actions(s),
      nextState: (s, a) => m.nextState(s, a),
      isFinal: m.isFinal!,
      formatAction: m.formatAction!,
      actionKind: m.actionKind!,
      properties: m.properties,
    };
    expect(comparable(check(plain))).toEqual(comparable(a));
  });

  it('check their width and initial states', () => {
    expect(() => packedModel({ width: 0, initStates: () => [], actions: [], next: () => false, properties: [] })).toThrow(/width/);
    const bad = packedModel({ width: 2, initStates: () => [new Uint8Array(3)], actions: [], next: () => false, properties: [always('t', () => true)] });
    expect(() => check(bad)).toThrow(/3 bytes, width is 2/);
  });
});
