// Why these tests? --profile tells a user which level and which state variable make the state
// space grow; its figures must be right (checked by hand on toy models), bounded in memory (the caps
// are honoured and reported), and stable on the grant model (pinned on a small configuration).
import { describe, expect, it } from 'vitest';
import { formatProfile, StateProfiler } from '../../cli/profile.js';
import { check, type Model } from '../../explorer/index.js';
import { counters } from '../fixtures/models.js';
import { runHere } from './helpers.js';

/** Two counters a, b in 0..2 kept in a record with a constant field and a list that grows with a. */
function recordModel(): Model<{ a: number; b: number; k: string; xs: number[] }, 'a' | 'b'> {
  return {
    initStates: () => [{ a: 0, b: 0, k: 'same', xs: [] }],
    actions: () => ['a', 'b'],
    nextState: (s, x) => (x === 'a' ? (s.a < 2 ? { ...s, a: s.a + 1, xs: [...s.xs, s.a + 1] } : undefined) : s.b < 2 ? { ...s, b: s.b + 1 } : undefined),
    isFinal: (s) => s.a === 2 && s.b === 2,
    properties: [],
  };
}

describe('the state profiler', () => {
  it('counts new states per level and distinct values per field path (figures worked out by hand)', () => {
    const p = new StateProfiler();
    const r = check(recordModel(), { observe: p.observe });
    const prof = p.result();
    expect(r.stats.distinctStates).toBe(9);
    expect(prof.states).toBe(9);
    // (a, b) at depth a + b: 1, 2, 3, 2, 1 states.
    expect(prof.levels).toEqual([
      { depth: 0, newStates: 1, states: 1 },
      { depth: 1, newStates: 2, states: 3 },
      { depth: 2, newStates: 3, states: 6 },
      { depth: 3, newStates: 2, states: 8 },
      { depth: 4, newStates: 1, states: 9 },
    ]);
    // a and b take 3 values each; k one; xs is [], [1] or [1,2]; xs[0] exists in 6 states (a >= 1), always 1; xs[1] in 3 (a = 2).
    expect(prof.paths).toEqual([
      { path: 'a', depth: 1, distinct: 3, capped: false, present: 9 },
      { path: 'b', depth: 1, distinct: 3, capped: false, present: 9 },
      { path: 'k', depth: 1, distinct: 1, capped: false, present: 9 },
      { path: 'xs', depth: 1, distinct: 3, capped: false, present: 9 },
      { path: 'xs[0]', depth: 2, distinct: 1, capped: false, present: 6 },
      { path: 'xs[1]', depth: 2, distinct: 1, capped: false, present: 3 },
    ]);
    expect(prof.droppedPaths).toBe(0);
  });

  it('walks arrays by index, on the engine that hands it arrays', () => {
    const p = new StateProfiler();
    check(counters(3, 1), { observe: p.observe });
    const prof = p.result();
    expect(prof.levels.map((l) => l.newStates)).toEqual([1, 3, 3, 1]);
    expect(prof.paths.map((x) => [x.path, x.distinct])).toEqual([
      ['[0]', 2],
      ['[1]', 2],
      ['[2]', 2],
    ]);
  });

  it('stays bounded: at most maxValues values per path and maxPaths paths, and says so', () => {
    const p = new StateProfiler({ maxValues: 2, maxPaths: 2 });
    check(recordModel(), { observe: p.observe });
    const prof = p.result();
    expect(prof.paths).toEqual([
      { path: 'a', depth: 1, distinct: 2, capped: true, present: 9 },
      { path: 'b', depth: 1, distinct: 2, capped: true, present: 9 },
    ]);
    // k and xs were never followed (xs[0] and xs[1] under it are not counted either).
    expect(prof.droppedPaths).toBe(2);
    const text = formatProfile(prof);
    expect(text).toContain('2 more field paths were not followed (the profile follows at most 2).');
    expect(text).toContain('>= : the count stopped at 2 distinct values');
    expect(text).toMatch(/\n {4}a +>=2 /);
  });
});

describe('check --profile', () => {
  it('prints the levels and the variables of early-unpin on tiny (figures pinned)', async () => {
    const r = await runHere(['check', '--design', 'early-unpin', '--config', 'tiny', '--property', 'INV-5', '--profile', '--quiet']);
    expect(r.code).toBe(1);
    const at = r.stdout.indexOf('Profile (291 distinct states):');
    expect(at).toBeGreaterThan(0);
    const lines = r.stdout.slice(at).split('\n');
    const levels = lines.slice(2, 19).map((l) => l.trim().split(/\s+/).slice(0, 3).map((x) => Number(x.replace(/,/g, ''))));
    expect(levels.map(([d]) => d)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(levels.map(([, n]) => n)).toEqual([1, 2, 4, 7, 12, 19, 22, 22, 21, 19, 20, 23, 27, 27, 27, 23, 15]);
    expect(levels[16]![2]).toBe(291);
    expect(r.stdout).toContain('distinct values per state variable (80 of 176 field paths took more than one value; the other 96 kept one):');
    const value = (path: string) => Number(new RegExp(`\\n +${path.replace(/[[\].]/g, '\\$&')} +(\\d+) `).exec(r.stdout)?.[1]);
    expect(value('handles')).toBe(7);
    expect(value('procs[0]')).toBe(121);
    expect(value('procs[0].op')).toBe(42);
    expect(value('procs[0].op.step')).toBe(6);
    expect(value('maps')).toBe(21);
    expect(value('maps[0].users')).toBe(4);
    // The profile does not change the search.
    expect(r.stdout).toMatch(/291 distinct states, 453 generated, depth 16/);
  });

  it('--json carries the same figures; levels add up to the distinct states', async () => {
    const r = await runHere(['check', '--design', 'gntdev-2022', '--config', 'tiny', '--profile', '--json', '--quiet']);
    const j = JSON.parse(r.stdout) as { stats: { distinctStates: number; depth: number }; profile: { states: number; levels: { newStates: number }[]; paths: { path: string; distinct: number }[] } };
    expect(j.profile.states).toBe(j.stats.distinctStates);
    expect(j.profile.levels).toHaveLength(j.stats.depth + 1);
    expect(j.profile.levels.reduce((n, l) => n + l.newStates, 0)).toBe(j.stats.distinctStates);
    expect(j.profile.paths.find((p) => p.path === 'alloc')).toMatchObject({ distinct: 1 });
  });

  it('compare --profile charts each run in report.html; without it, the coverage chart only', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('./helpers.js');
    const out = join(tempDir(), 'out');
    const r = await runHere(['compare', '--design', 'gntdev-2022-hvm', '--config', 'tiny', '--profile', '--no-svg', '--out', out, '--quiet']);
    expect(r.code).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h3>Where the states come from</h3>');
    expect(html).toMatch(/<th>gntdev_mmap<\/th><td class="n">1<\/td><td class="n">1<\/td>/);
    expect(html).toContain('Per level of the breadth-first search');
    expect(html).toMatch(/<th>16<\/th><td class="n">6<\/td><td class="n">279<\/td>/);
    expect(html).toMatch(/procs\[0\]\.op<\/th><td class="n">42<\/td>/);
    const plain = join(tempDir(), 'out');
    await runHere(['compare', '--design', 'gntdev-2022-hvm', '--config', 'tiny', '--no-svg', '--out', plain, '--quiet']);
    const without = readFileSync(join(plain, 'report.html'), 'utf8');
    expect(without).toContain('<h3>Where the states come from</h3>');
    expect(without).not.toContain('Per level of the breadth-first search');
  });
});
