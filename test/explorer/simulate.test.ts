// Why these tests? `simulate` is the explorer's answer past the exhaustive bound: it must find
// planted bugs, shrink them to the shortest trace on models where that is known, reproduce a run
// exactly from its seed and fast-check path, and say plainly when it found nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  always,
  actionProperty,
  CheckOptionError,
  decodePath,
  formatSimulationReport,
  ModelError,
  replayPath,
  simulate,
  sometimes,
  type Model,
  type SimulationResult,
} from '../../explorer/index.js';
import { abbaLocks, binaryClock, counters, graphModel } from '../fixtures/models.js';

/** A result without the fields that depend on the clock. */
function timeless<S, A>(r: SimulationResult<S, A>): unknown {
  const { durationMs: _d, stepsPerSecond: _s, ...stats } = r.stats;
  return { ...r, stats };
}

function violationOf<S, A>(r: SimulationResult<S, A>) {
  if (r.status !== 'violation') throw new Error(`expected a violation, got: ${r.statement}`);
  return r;
}

/** Three counters 0..3 with a planted bad state (2, 1, _): shortest counterexample 3 steps. */
const planted = () => counters(3, 3, { bad: (s) => s[0] === 2 && s[1] === 1 });

describe('simulate finds and shrinks', () => {
  it('shrinks a planted bug to the shortest trace, which replays and ends in the bad state', () => {
    const model = planted();
    const r = violationOf(simulate(model, { seed: 7, runs: 200, maxSteps: 20 }));
    expect(r.violation.property).toBe('no bad state');
    expect(r.violation.kind).toBe('always');
    expect(r.violation.length).toBe(3);
    expect(r.originalLength).toBeGreaterThanOrEqual(3);
    const steps = replayPath(model, decodePath(r.violation.path));
    expect(steps.map((s) => s.state)).toEqual(r.violation.trace.map((s) => s.state));
    expect(steps[steps.length - 1]!.state.slice(0, 2)).toEqual([2, 1]);
    expect(r.seed).toBe(7);
    expect(r.counterexamplePath).toMatch(/^\d+(:\d+)*$/);
  });

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`shrinks to 3 steps with seed ${seed} too`, () => {
      const r = violationOf(simulate(planted(), { seed, runs: 200, maxSteps: 20 }));
      expect(r.violation.length).toBe(3);
    });
  }

  it('without shrinking, reports the walk as found', () => {
    const r = violationOf(simulate(planted(), { seed: 7, runs: 200, maxSteps: 20, shrink: false }));
    expect(r.violation.length).toBe(r.originalLength);
    expect(r.stats.shrinks).toBe(0);
  });

  it('shrinks a step-property violation to its one transition', () => {
    const model: Model<number, 'up' | 'down' | 'jump'> = {
      initStates: () => [0],
      actions: () => ['up', 'down', 'jump'],
      nextState: (s, a) => (a === 'up' ? (s < 9 ? s + 1 : undefined) : a === 'down' ? (s > 0 ? s - 1 : undefined) : s === 5 ? 0 : undefined),
      isFinal: () => true,
      actionKind: (a) => a,
      properties: [actionProperty('no jump back', (_s: number, a: string) => a !== 'jump' || 'jumped')],
    };
    const r = violationOf(simulate(model, { seed: 3, runs: 500, maxSteps: 30 }));
    expect(r.violation).toMatchObject({ property: 'no jump back', kind: 'step', clause: 'jumped', length: 6 });
    expect(r.violation.trace.map((s) => s.action ?? null)).toEqual([null, 'up', 'up', 'up', 'up', 'up', 'jump']);
  });

  it('reports a deadlock with every blocked action and its guard', () => {
    const r = violationOf(simulate(abbaLocks(), { seed: 1, runs: 100, properties: ['mutual exclusion'] }));
    expect(r.violation.kind).toBe('deadlock');
    expect(r.violation.length).toBe(2);
    expect(r.deadlock?.disabled.find((d) => d.action === 'lock_second(p=0)')?.reason).toBe('lock 1 is held by process 1');
  });

  it('checks atQuiescence properties where nothing is enabled', () => {
    const r = violationOf(simulate(abbaLocks(), { seed: 1, runs: 100, checkDeadlock: false }));
    expect(r.violation).toMatchObject({ property: 'everyone done', kind: 'atQuiescence', length: 2 });
  });

  it('finds nothing on a correct model, and says that this is not a proof', () => {
    const r = simulate(counters(2, 3), { seed: 11, runs: 50, maxSteps: 10 });
    expect(r.status).toBe('no-violation-found');
    expect(r.statement).toBe('no violation found in 50 random runs of at most 10 steps (seed 11); this is not a proof');
    expect(r.stats.runs).toBe(50);
    // every walk ends in the final state (3, 3) after 6 steps
    expect(r.stats).toMatchObject({ steps: 300, longestWalk: 6, terminalStates: 50 });
  });
});

describe('simulate reproduces', () => {
  it('gives the same result for the same seed and options', () => {
    const a = simulate(planted(), { seed: 42, runs: 100, maxSteps: 20 });
    const b = simulate(planted(), { seed: 42, runs: 100, maxSteps: 20 });
    expect(timeless(a)).toEqual(timeless(b));
    const c = simulate(counters(3, 2), { seed: 5, runs: 30, maxSteps: 8 });
    const d = simulate(counters(3, 2), { seed: 5, runs: 30, maxSteps: 8 });
    expect(timeless(c)).toEqual(timeless(d));
  });

  it("is not moved by a user's fc.configureGlobal", () => {
    const plain = simulate(planted(), { seed: 42, runs: 100, maxSteps: 20 });
    fc.configureGlobal({ seed: 1, numRuns: 3, randomType: 'mersenne', endOnFailure: true, skipEqualValues: true, interruptAfterTimeLimit: 1 });
    try {
      expect(timeless(simulate(planted(), { seed: 42, runs: 100, maxSteps: 20 }))).toEqual(timeless(plain));
    } finally {
      fc.resetConfigureGlobal();
    }
  });

  it("replays the shrunk walk alone from the seed and fast-check's counterexamplePath", () => {
    const a = violationOf(simulate(planted(), { seed: 9, runs: 200, maxSteps: 20 }));
    const b = violationOf(simulate(planted(), { seed: 9, runs: 200, maxSteps: 20, path: a.counterexamplePath }));
    expect(b.violation.path).toBe(a.violation.path);
    expect(b.counterexamplePath).toBe(a.counterexamplePath);
    expect(b.stats.runs).toBe(1);
    expect(b.run).toBe(a.run);
  });

  it('replays the original walk from the first segment of the path, and shrinks it again', () => {
    const a = violationOf(simulate(planted(), { seed: 9, runs: 200, maxSteps: 20 }));
    const first = a.counterexamplePath.split(':')[0]!;
    const b = violationOf(simulate(planted(), { seed: 9, runs: 200, maxSteps: 20, path: first }));
    expect(b.run).toBe(a.run);
    expect(b.originalLength).toBe(a.originalLength);
    expect(b.violation.path).toBe(a.violation.path);
  });
});

describe('simulate chooses among enabled actions', () => {
  /** One `a` action and nine `b` actions, always enabled; the state counts the steps. */
  const skewed = (): Model<number, { kind: 'a' | 'b'; i: number }> => ({
    initStates: () => [0],
    actions: () => [{ kind: 'a', i: 0 }, ...Array.from({ length: 9 }, (_, i) => ({ kind: 'b' as const, i }))],
    nextState: (s) => s + 1,
    properties: [],
  });
  const fired = (r: SimulationResult<unknown, unknown>, kind: string) => r.coverage.find((c) => c.action === kind)?.fired ?? 0;

  it("by kind (default): each enabled kind equally likely, whatever its parameters", () => {
    const r = simulate(skewed(), { seed: 1, runs: 20, maxSteps: 100 });
    expect(r.stats.steps).toBe(2000);
    expect(fired(r, 'a') + fired(r, 'b')).toBe(2000);
    expect(fired(r, 'a') / 2000).toBeGreaterThan(0.4);
    expect(fired(r, 'a') / 2000).toBeLessThan(0.6);
  });

  it('by action: each enabled action equally likely', () => {
    const r = simulate(skewed(), { seed: 1, runs: 20, maxSteps: 100, choose: 'action' });
    expect(fired(r, 'a') / 2000).toBeGreaterThan(0.05);
    expect(fired(r, 'a') / 2000).toBeLessThan(0.15);
  });

  it('by weight: weight 0 excludes a kind, and a walk with only weight-0 actions stops', () => {
    const r = simulate(skewed(), { seed: 1, runs: 20, maxSteps: 100, weights: { a: 3, b: 1 } });
    expect(fired(r, 'a') / 2000).toBeGreaterThan(0.65);
    expect(fired(r, 'a') / 2000).toBeLessThan(0.85);
    const none = simulate(skewed(), { seed: 1, runs: 20, maxSteps: 100, weights: { b: 0 } });
    expect(fired(none, 'b')).toBe(0);
    expect(none.coverage.find((c) => c.action === 'b')).toEqual({ action: 'b', enabled: 2000, fired: 0 });
    const stuck = simulate(skewed(), { seed: 1, runs: 20, maxSteps: 100, defaultWeight: 0 });
    expect(stuck.stats).toMatchObject({ steps: 0, zeroWeightStops: 20 });
  });

  it('warns about a weight for a kind no walk met', () => {
    const r = simulate(skewed(), { seed: 1, runs: 2, maxSteps: 5, weights: { c: 2 } });
    expect(r.warnings).toContain("weights name the action kind 'c', which no walk met as a candidate action (a typo?)");
  });

  it('never takes a disabled action: guards decide, and a walk ends where nothing is enabled', () => {
    // counters(2, 2): inc(i) is disabled once counter i is 2; every walk ends in (2, 2) after 4 steps.
    const r = simulate(counters(2, 2), { seed: 2, runs: 10, maxSteps: 30 });
    expect(r.status).toBe('no-violation-found');
    expect(r.stats).toMatchObject({ steps: 40, longestWalk: 4, terminalStates: 10 });
    expect(r.coverage).toEqual([
      { action: 'inc(0)', enabled: expect.any(Number), fired: 20 },
      { action: 'inc(1)', enabled: expect.any(Number), fired: 20 },
    ]);
  });

  it('walks an explicit graph along its edges only', () => {
    // Node 0 has a self-loop and an edge to 1; node 1 only returns to 0; node 2 is unreachable and bad.
    const r = simulate(graphModel({ init: [0], edges: [[0, 1], [0], [2]], bad: [2] }), { seed: 2, runs: 10, maxSteps: 30 });
    expect(r.status).toBe('no-violation-found');
    expect(r.stats.steps).toBe(300);
  });
});

describe('simulate reports coverage', () => {
  it('records each witness with the first run, step and a replayable path', () => {
    const r = simulate(binaryClock(), { seed: 1, runs: 3, maxSteps: 4 });
    expect(r.witnesses).toEqual([{ name: 'ticks to 1', reached: true, witnessFor: [], walks: 3, run: 1, step: 1, path: '0/0' }]);
    expect(r.coverage).toEqual([{ action: 'tick', enabled: 12, fired: 12 }]);
  });

  it('warns about an unreached witness and the properties it guards', () => {
    const model: Model<number, 'inc'> = {
      initStates: () => [0],
      actions: () => ['inc'],
      nextState: (s) => (s < 3 ? s + 1 : undefined),
      isFinal: (s) => s === 3,
      properties: [always('small', (s: number) => s <= 3), sometimes('nine', (s: number) => s === 9, { witnessFor: ['small'] })],
    };
    const r = simulate(model, { seed: 1, runs: 5, maxSteps: 10 });
    expect(r.witnesses[0]).toMatchObject({ name: 'nine', reached: false, walks: 0 });
    expect(r.warnings).toEqual(["witness 'nine' was never reached; small may hold vacuously in these runs"]);
    expect(r.stats.terminalStates).toBe(5);
  });

  it('formats a report with the statement, the counterexample and the replay line', () => {
    const r = simulate(planted(), { seed: 7, runs: 200, maxSteps: 20 });
    const text = formatSimulationReport(r, { timing: false, coverage: false });
    expect(text).toMatch(/^Violation: no bad state violated in random run \d+ of \d+ after \d+ steps, shrunk to 3 /);
    expect(text).toContain('Counterexample to no bad state (3 steps, path ');
    expect(text).toContain(`Reproduce: seed 7, path '${violationOf(r).counterexamplePath}'`);
    const ok = formatSimulationReport(simulate(counters(2, 2), { seed: 3, runs: 4, maxSteps: 4 }), { timing: false });
    expect(ok.split('\n')[0]).toBe('Simulation: no violation found in 4 random runs of at most 4 steps (seed 3); this is not a proof.');
    expect(ok).toContain('Coverage (steps at which enabled / times taken):');
  });
});

describe('simulate on bad input and bad models', () => {
  const m = counters(2, 2);
  it.each([
    [{ runs: 0 }, /runs must be a whole number ≥ 1/],
    [{ maxSteps: -1 }, /maxSteps must be a whole number ≥ 0/],
    [{ seed: 1.5 }, /seed must be a 32-bit integer/],
    [{ path: '0/3/1' }, /is not a fast-check replay path/],
    [{ weights: { inc: -1 } }, /weights\['inc'\] must be a finite number ≥ 0/],
    [{ choose: 'random' as 'kind' }, /choose must be 'kind' or 'action'/],
    [{ properties: ['nope'] }, /unknown property 'nope'/],
  ])('rejects %j', (options, message) => {
    expect(() => simulate(m, options)).toThrow(CheckOptionError);
    expect(() => simulate(m, options)).toThrow(message);
  });

  it('names the path and the seed when the model throws', () => {
    const model: Model<number, 'inc'> = {
      initStates: () => [0],
      actions: () => ['inc'],
      nextState: (s) => {
        if (s === 4) throw new Error('boom');
        return s + 1;
      },
      properties: [],
    };
    expect(() => simulate(model, { seed: 1, runs: 5, maxSteps: 10 })).toThrow(ModelError);
    expect(() => simulate(model, { seed: 1, runs: 5, maxSteps: 10 })).toThrow(/after path 0\/0\/0\/0\/0 \(seed 1, path '[\d:]+'\): boom/);
  });

  it('catches whyDisabled and nextState disagreeing', () => {
    const model: Model<number, 'inc'> = {
      initStates: () => [0],
      actions: () => ['inc'],
      nextState: (s) => (s < 2 ? s + 1 : undefined),
      whyDisabled: () => undefined,
      properties: [],
    };
    expect(() => simulate(model, { seed: 1, runs: 2, maxSteps: 5 })).toThrow(/whyDisabled says inc is enabled but nextState returns undefined \(path 0\/0\/0\/0\)/);
  });

  it('holds every property on an empty walk budget (maxSteps 0 checks the initial states)', () => {
    const model: Model<number, 'inc'> = { initStates: () => [5], actions: () => ['inc'], nextState: (s) => s + 1, properties: [always('below 5', (s: number) => s < 5)] };
    const r = violationOf(simulate(model, { seed: 1, runs: 1, maxSteps: 0 }));
    expect(r.violation).toMatchObject({ property: 'below 5', length: 0, path: '0' });
  });
});
