// Why this test? The supervisor owns the clock, the signals and the memory budget while model code
// runs in its search thread: a check it runs must give check's result, stop cleanly at a signal
// or a time limit, and end the thread when model code never returns (a guard that loops for ever)
// within about a second of the limit, reporting the run incomplete, never hanging.
import { describe, expect, it } from 'vitest';
import { check, ModelError, Supervisor } from '../../explorer/index.js';
import { counters } from '../fixtures/models.js';

const fixtures = new URL('../fixtures/models.ts', import.meta.url).href;

describe('a supervised check', () => {
  it('gives the result check gives, and what the observer collected', async () => {
    const sup = new Supervisor();
    const out = await sup.run({ module: fixtures, exportName: 'counters', args: [3, 4] }, { observer: { module: fixtures, exportName: 'countingObserver' } });
    await sup.close();
    expect(out.kind).toBe('result');
    if (out.kind !== 'result') return;
    const direct = check(counters(3, 4));
    expect(out.result.stats.distinctStates).toBe(direct.stats.distinctStates);
    expect(out.result.status).toBe(direct.status);
    expect(out.observed).toBe(direct.stats.distinctStates);
  });

  it('stops at a signal with what it reached (interrupted)', async () => {
    const sup = new Supervisor();
    const run = sup.run({ module: fixtures, exportName: 'counters', args: [7, 9] });
    setTimeout(() => sup.interrupt('SIGINT'), 300);
    const t0 = Date.now();
    const out = await run;
    await sup.close();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(out.kind).toBe('result');
    if (out.kind !== 'result') return;
    expect(out.result.status).toBe('incomplete');
    if (out.result.status !== 'incomplete') return;
    expect(out.result.boundHit.bound).toBe('interrupted');
    expect(out.result.boundHit.detail).toMatch(/SIGINT/);
    expect(out.result.stats.distinctStates).toBeGreaterThan(0);
  });

  it('ends a search whose model code never returns, within a second of the time limit', async () => {
    const sup = new Supervisor();
    const t0 = Date.now();
    const out = await sup.run({ module: fixtures, exportName: 'loopingGuard', args: [5] }, { timeLimitMs: 500, graceMs: 500 });
    const took = Date.now() - t0;
    await sup.close();
    expect(out.kind).toBe('ended');
    if (out.kind !== 'ended') return;
    expect(out.boundHit.bound).toBe('timeLimitMs');
    expect(out.why).toMatch(/did not stop within 500 ms/);
    expect(took).toBeLessThan(500 + 500 + 1500);
  });

  it('passes the search\'s own errors on (a model that throws is a ModelError)', async () => {
    const sup = new Supervisor();
    await expect(sup.run({ module: fixtures, exportName: 'throwingAt', args: [3] })).rejects.toBeInstanceOf(ModelError);
    await sup.close();
  });
});
