// Why this test? The compact store must not change results: a frontier spilled to disk gives the
// same search as one kept in memory, and its files are gone afterwards. And a memory budget must
// end a search as `incomplete`, naming the bound, rather than by an out-of-memory kill.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, CheckOptionError, type CheckResult } from '../../explorer/index.js';
import { counters, mutexObjects, packedCounters } from '../fixtures/models.js';

function comparable<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, store: _st, ...stats } = r.stats;
  return { ...r, stats };
}

const dir = mkdtempSync(join(tmpdir(), 'grantcheck-spill-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the frontier spills to disk past its budget, with the same results', () => {
  it('packed states (fixed width)', () => {
    const inMemory = check(packedCounters(6, 5, { bad: [5, 4, 3, 2, 1, 0] }));
    const spilled = check(packedCounters(6, 5, { bad: [5, 4, 3, 2, 1, 0] }), { frontierMemoryBytes: 1 << 14, spillDirectory: dir });
    expect(inMemory.stats.store!.spilledBytes).toBe(0);
    expect(spilled.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(spilled.stats.distinctStates).toBe(6 ** 6);
    expect(comparable(spilled)).toEqual(comparable(inMemory));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('encoded states of the fast path (variable length)', () => {
    const inMemory = check(mutexObjects(5, 2, { bug: true, symmetric: false }));
    const spilled = check(mutexObjects(5, 2, { bug: true, symmetric: false }), { frontierMemoryBytes: 1 << 14, spillDirectory: dir });
    expect(spilled.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(comparable(spilled)).toEqual(comparable(inMemory));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('on worker threads', () => {
    const seq = check(packedCounters(7, 4));
    const par = check(packedCounters(7, 4), { workers: 2, frontierMemoryBytes: 1 << 14, spillDirectory: dir });
    expect(par.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(par.stats.distinctStates).toBe(seq.stats.distinctStates);
    expect(par.stats.generatedStates).toBe(seq.stats.generatedStates);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('maxMemoryBytes turns an impending out-of-memory into an incomplete result', () => {
  // 1 MiB is below any Node process's resident set: the first memory check stops the search
  for (const [name, run] of [
    ['objects', () => check(counters(6, 9), { maxMemoryBytes: 1 << 20 })],
    ['packed', () => check(packedCounters(6, 9), { maxMemoryBytes: 1 << 20 })],
    ['workers', () => check(packedCounters(6, 9), { maxMemoryBytes: 1 << 20, workers: 2 })],
  ] as const) {
    it(`on the ${name} engine`, () => {
      const r = run();
      expect(r.status).toBe('incomplete');
      if (r.status !== 'incomplete') throw new Error('unreachable');
      expect(r.boundHit.bound).toBe('maxMemoryBytes');
      expect(r.boundHit.limit).toBe(1 << 20);
      expect(r.bounds.maxMemoryBytes).toBe(1 << 20);
      expect(r.exhaustive).toBe(false);
      expect(r.stats.distinctStates).toBeLessThan(1_000_000);
      expect(r.properties.find((p) => p.name === 'counters in range')!.outcome).toBe('unknown');
      expect(r.warnings.join('\n')).toMatch(/memory budget/);
    });
  }

  it('refuses budgets too small to mean anything', () => {
    expect(() => check(counters(1, 1), { maxMemoryBytes: 1000 })).toThrow(CheckOptionError);
    expect(() => check(counters(1, 1), { frontierMemoryBytes: 10 })).toThrow(/frontierMemoryBytes must be/);
  });
});
