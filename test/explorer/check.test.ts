import { describe, expect, it } from 'vitest';
import { check, CheckOptionError, decodePath, replayPath, type CheckResult } from '../../explorer/index.js';
import { abbaLocks, binaryClock, counters, graphModel, packedCounters } from '../fixtures/models.js';
import type { Model } from '../../explorer/model.js';

/** A result without the fields that depend on the clock. */
function timeless<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, ...stats } = r.stats;
  return { ...r, stats };
}

describe('check on the binary clock', () => {
  it('finds exactly 2 states at depth 1 and reaches the witness', () => {
    const r = check(binaryClock());
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
    expect(r.stats.distinctStates).toBe(2);
    expect(r.stats.generatedStates).toBe(3);
    expect(r.stats.depth).toBe(1);
    expect(r.stats.terminalStates).toBe(0);
    expect(r.witnesses).toHaveLength(1);
    expect(r.witnesses[0]).toMatchObject({ name: 'ticks to 1', reached: true, depth: 1, path: '0/0' });
  });
});

describe('check on N counters 0..K', () => {
  for (const [n, k] of [
    [1, 5],
    [2, 3],
    [3, 2],
    [4, 4],
  ] as const) {
    it(`counters(${n}, ${k}) has (K+1)^N states, depth N·K, one final state`, () => {
      const r = check(counters(n, k));
      expect(r.status).toBe('ok');
      expect(r.stats.distinctStates).toBe((k + 1) ** n);
      expect(r.stats.depth).toBe(n * k);
      // every state has one transition per counter below K: N·K·(K+1)^(N-1), plus the initial state
      expect(r.stats.generatedStates).toBe(1 + n * k * (k + 1) ** (n - 1));
      expect(r.stats.terminalStates).toBe(1);
      expect(r.stats.deadlockStates).toBe(0);
      expect(r.witnesses[0]).toMatchObject({ reached: true, depth: k });
    });
  }

  it('the packed form has the same state space', () => {
    const a = check(counters(3, 3));
    const b = check(packedCounters(3, 3));
    expect(b.stats.distinctStates).toBe(a.stats.distinctStates);
    expect(b.stats.generatedStates).toBe(a.stats.generatedStates);
    expect(b.stats.depth).toBe(a.stats.depth);
  });

  it('reports the shortest counterexample, which replays and ends in the bad state', () => {
    const bad = (s: readonly number[]) => s[0] === 2 && s[1] === 1;
    const model = counters(3, 3, { bad });
    const r = check(model);
    expect(r.status).toBe('violation');
    expect(r.exhaustive).toBe(true);
    const v = r.violations.find((x) => x.property === 'no bad state')!;
    expect(v.kind).toBe('always');
    expect(v.length).toBe(3); // shortest path to (2,1,*) is 2 + 1 increments
    expect(v.trace).toHaveLength(4);
    expect(v.trace[0]!.action).toBeUndefined();
    expect(bad(v.trace[3]!.state)).toBe(true);
    const replayed = replayPath(model, decodePath(v.path));
    expect(replayed.map((s) => s.state)).toEqual(v.trace.map((s) => s.state));
    expect(r.properties.find((p) => p.name === 'no bad state')).toMatchObject({ outcome: 'violated', length: 3 });
    expect(r.properties.find((p) => p.name === 'counters in range')).toMatchObject({ outcome: 'holds' });
  });

  it('keeps searching after a violation unless stopAtFirstViolation', () => {
    const model = counters(2, 3, { bad: (s) => s[0] === 1 });
    const all = check(model);
    expect(all.stats.distinctStates).toBe(16);
    const first = check(model, { stopAtFirstViolation: true });
    expect(first.status).toBe('violation');
    expect(first.exhaustive).toBe(false);
    expect(first.stats.distinctStates).toBeLessThan(16);
    expect(first.warnings.join('\n')).toMatch(/stopped at the first violation/);
  });
});

describe('deadlocks', () => {
  it('reports the ABBA deadlock with the guard that blocks every action', () => {
    const r = check(abbaLocks());
    expect(r.status).toBe('violation');
    const d = r.deadlocks[0]!;
    expect(d.length).toBe(2);
    const last = d.trace[d.trace.length - 1]!.state;
    expect(last.pc).toEqual([1, 1]);
    const reasons = Object.fromEntries(d.disabled.map((x) => [x.action, x.reason]));
    expect(reasons['lock_second(p=0)']).toBe('lock 1 is held by process 1');
    expect(reasons['lock_second(p=1)']).toBe('lock 0 is held by process 0');
    expect(reasons['lock_first(p=0)']).toBe('process 0 is past its first lock');
    expect(r.violations.map((v) => v.property).sort()).toEqual(['deadlock', 'everyone done']);
    expect(r.properties.find((p) => p.name === 'mutual exclusion')!.outcome).toBe('holds');
  });

  it('a terminal state that is final is not a deadlock; checkDeadlock: false turns the check off', () => {
    const g = { init: [0], edges: [[1, 2], [], []], final: [1] };
    const r = check(graphModel(g));
    expect(r.stats.terminalStates).toBe(2);
    expect(r.stats.deadlockStates).toBe(1);
    expect(r.deadlocks[0]!.path).toBe('0/1');
    const off = check(graphModel(g), { checkDeadlock: false });
    expect(off.status).toBe('ok');
    expect(off.properties.map((p) => p.name)).not.toContain('deadlock');
  });
});

describe('witnesses', () => {
  it('an unreached witness is reported and warns about the properties it guards', () => {
    const model: Model<number, number> = {
      initStates: () => [0],
      actions: () => [1],
      nextState: (s) => (s < 3 ? s + 1 : undefined),
      isFinal: () => true,
      properties: [
        { kind: 'always', name: 'small', holds: (s) => s < 10 },
        { kind: 'sometimes', name: 'reaches 5', reached: (s) => s === 5, witnessFor: ['small'] },
      ],
    };
    const r = check(model);
    expect(r.status).toBe('ok');
    expect(r.witnesses[0]).toMatchObject({ reached: false });
    expect(r.warnings).toContain("witness 'reaches 5' was never reached; small may hold vacuously");
  });
});

describe('step properties', () => {
  it('are checked on every transition, including those into states already seen', () => {
    // 0 -> 1 -> 0: the step 1->0 goes back to a seen state and is the forbidden one
    const model: Model<number, string> = {
      initStates: () => [0],
      actions: () => ['flip'],
      nextState: (s) => 1 - s,
      properties: [{ kind: 'step', name: 'never back to 0', holds: (_s, _a, t) => t !== 0 || 'went back to 0' }],
    };
    const r = check(model);
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ property: 'never back to 0', kind: 'step', clause: 'went back to 0', length: 2, path: '0/0/0' });
    expect(r.violations[0]!.trace.map((s) => s.state)).toEqual([0, 1, 0]);
  });
});

describe('bounds', () => {
  it('maxDepth below the diameter gives incomplete, naming the bound', () => {
    const r = check(counters(2, 2), { maxDepth: 3 });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') throw new Error('unreachable');
    expect(r.boundHit.bound).toBe('maxDepth');
    expect(r.exhaustive).toBe(false);
    expect(r.properties.find((p) => p.name === 'counters in range')!.outcome).toBe('unknown');
    expect(r.stats.distinctStates).toBe(8); // all states with sum <= 3
  });

  it('maxDepth equal to the diameter is still exhaustive (no unexplored successor)', () => {
    const r = check(counters(2, 2), { maxDepth: 4 });
    expect(r.status).toBe('ok');
    expect(r.exhaustive).toBe(true);
  });

  it('maxStates stops at exactly that many distinct states', () => {
    const r = check(counters(3, 3), { maxStates: 10 });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') throw new Error('unreachable');
    expect(r.boundHit.bound).toBe('maxStates');
    expect(r.stats.distinctStates).toBe(10);
  });

  it('timeLimitMs stops an unbounded model', () => {
    const unbounded: Model<number, number> = {
      initStates: () => [0],
      actions: () => [1, 2],
      nextState: (s, a) => s * 2 + a,
      properties: [],
    };
    const r = check(unbounded, { timeLimitMs: 200 });
    expect(r.status).toBe('incomplete');
    if (r.status !== 'incomplete') throw new Error('unreachable');
    expect(r.boundHit.bound).toBe('timeLimitMs');
  });

  it('a violation found before a bound is still reported as a violation, marked not exhaustive', () => {
    const r = check(counters(3, 3, { bad: (s) => s[0] === 1 }), { maxStates: 20 });
    expect(r.status).toBe('violation');
    expect(r.exhaustive).toBe(false);
    if (r.status !== 'violation') throw new Error('unreachable');
    expect(r.boundHit?.bound).toBe('maxStates');
  });

  it('bad options give one sentence naming the option and the fix', () => {
    expect(() => check(counters(1, 1), { maxDepth: -1 })).toThrow(CheckOptionError);
    expect(() => check(counters(1, 1), { maxStates: 0 })).toThrow(/maxStates must be a whole number ≥ 1, got 0/);
    expect(() => check(counters(1, 1), { maxStates: 1.5 })).toThrow(/maxStates/);
    expect(() => check(counters(1, 1), { timeLimitMs: Number.NaN })).toThrow(/timeLimitMs/);
    expect(() => check(counters(1, 1), { sharedTableSlots: 1000 })).toThrow(/sharedTableSlots must be a power of two from 2\^4 to 2\^30, got 1000/);
    expect(() => check(counters(1, 1), { sharedTableSlots: 8 })).toThrow(/sharedTableSlots/);
    expect(() => check(counters(1, 1), { sharedTableSlots: 2 ** 31 })).toThrow(/sharedTableSlots/);
    expect(() => check(counters(1, 1), { properties: ['nope'] })).toThrow(/unknown property 'nope'; the model's properties are: counters in range, first counter full/);
  });
});

describe('determinism and progress', () => {
  it('two runs give identical results (apart from the clock)', () => {
    const model = () => counters(3, 4, { bad: (s) => s[1] === 3 && s[2] === 2 });
    expect(timeless(check(model()))).toEqual(timeless(check(model())));
    expect(timeless(check(abbaLocks()))).toEqual(timeless(check(abbaLocks())));
  });

  it('calls the progress callback with the running figures', () => {
    const seen: number[] = [];
    check(counters(5, 7), {
      progressIntervalMs: 1,
      onProgress: (p) => {
        expect(p.distinctStates).toBeGreaterThan(0);
        expect(p.generatedStates).toBeGreaterThanOrEqual(p.distinctStates);
        expect(p.queue).toBeGreaterThanOrEqual(0);
        seen.push(p.distinctStates);
      },
    });
    expect(seen.length).toBeGreaterThan(0);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});

describe('coverage', () => {
  it('counts generated and new-state transitions per action kind', () => {
    const r = check(counters(2, 2));
    const byName = Object.fromEntries(r.coverage.map((c) => [c.action, c]));
    // inc(0) is enabled in the 6 states with s[0] < 2; it finds new states for every one of them
    // in BFS order except where inc(1) got there first
    expect(byName['inc(0)']!.generated).toBe(6);
    expect(byName['inc(1)']!.generated).toBe(6);
    expect(byName['inc(0)']!.distinct + byName['inc(1)']!.distinct).toBe(8);
  });

  it('reports the collision probability with TLC formula', () => {
    const r = check(counters(3, 3));
    const { distinctStates: d, generatedStates: g } = r.stats;
    expect(r.stats.collisionProbability).toBe((d * (g - d)) / 2 ** 64);
  });
});
