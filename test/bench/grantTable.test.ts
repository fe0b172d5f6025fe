// Why this test? The peer benchmark compares grantcheck with SPIN on "the same model": that claim
// holds only if the packed grant-table model has exactly SPIN's distinct-state counts (BFS, no
// partial-order reduction), which ../shared/bench/README.md records: (4,3) = 363,150 and
// (5,3) = 4,272,210. The bench re-checks the counts against SPIN itself when SPIN is installed.
import { describe, expect, it } from 'vitest';
import { grantTable, SPIN_REFERENCE_COUNTS } from '../../bench/grantTable.js';
import { generatePromela } from '../../bench/spin.js';
import { check, decodePath, replayPath } from '../../explorer/index.js';

describe('the grant-table peer model', () => {
  it('(4,3) has SPIN\'s 363,150 distinct states, and its invariant holds', () => {
    const r = check(grantTable(4, 3));
    expect(r.status).toBe('ok');
    expect(r.stats.distinctStates).toBe(SPIN_REFERENCE_COUNTS['4,3']);
    expect(r.stats.distinctStates).toBe(363_150);
    expect(r.stats.deadlockStates).toBe(0);
  });

  it('(5,3) has SPIN\'s 4,272,210 distinct states', () => {
    const r = check(grantTable(5, 3));
    expect(r.stats.distinctStates).toBe(4_272_210);
  }, 120_000);

  it('small configurations replay their witnesses, and the Promela has one option per action', () => {
    const m = grantTable(2, 1);
    const r = check(m);
    expect(r.status).toBe('ok');
    const pml = generatePromela(2, 1, true);
    expect(pml.match(/d_step/g)!.length).toBe(m.packed.actions.length);
    expect(m.packed.actions.length).toBe(2 * (1 + 6) + 3);
    const path = decodePath('0/0/14/1');
    const steps = replayPath(m, path);
    expect(m.packed.decode!(steps[3]!.state)).toEqual({ pc: [2, 0], sl: [0, 0], st: [1], ref: [1] });
  });
});
