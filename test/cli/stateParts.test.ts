// Why this test? Traces leave out the parts of the state a design does not have
// (absentStateParts): that is honest only if those parts never change. For every design, on a
// configuration where its rules apply, the whole reachable state space is explored and every
// concrete path under a part it leaves out must keep a single value.
import { describe, expect, it } from 'vitest';
import { absentStateParts, configByName, designs, modelOf } from '../../catalog.js';
import { genericPath, omitPaths, type PathSegment } from '../../counterexamples/index.js';
import { check } from '../../explorer/index.js';
import type { ModelConfig } from '../../model/index.js';

/**
 * A configuration where the design's own mechanisms run and its state space stays small: tiny with
 * the unmap notify on (tiny turns it off, and a rule depends on it) for the gntdev designs.
 */
function configFor(defaultConfig: string): ModelConfig {
  if (defaultConfig === 'standard') return { ...configByName('tiny'), name: 'tiny+unmap-notify', unmapNotify: true };
  return configByName(defaultConfig === 'gup' ? 'gup-io' : defaultConfig);
}

/** Every value found under a left-out part, per concrete path, as JSON. */
function valuesUnder(state: unknown, omit: (p: readonly PathSegment[]) => boolean, path: PathSegment[], out: Map<string, Set<string>>, inside: boolean): void {
  const here = inside || (path.length > 0 && omit(path));
  if (here && path.length > 0) {
    const k = path.map(String).join('/');
    let set = out.get(k);
    if (!set) out.set(k, (set = new Set()));
    set.add(JSON.stringify(state));
  }
  if (Array.isArray(state)) state.forEach((x, i) => valuesUnder(x, omit, [...path, i], out, here));
  else if (state !== null && typeof state === 'object') for (const [k, v] of Object.entries(state)) valuesUnder(v, omit, [...path, k], out, here);
}

describe('absentStateParts', () => {
  for (const design of designs) {
    const config = configFor(design.defaultConfig);
    it(`${design.name} on ${config.name}: every part left out keeps its initial value`, () => {
      const parts = absentStateParts(design, config);
      const omit = omitPaths(parts);
      const values = new Map<string, Set<string>>();
      let states = 0;
      check(modelOf(design, config), { observe: (s) => (states++, valuesUnder(s, omit, [], values, false)) });
      expect(states).toBeGreaterThan(10);
      const varying = [...values].filter(([, v]) => v.size > 1).map(([k, v]) => `${k}: ${v.size} values`);
      expect(varying).toEqual([]);
    });
  }

  // the read side (readSide > 0): its steps and map->unmap_data's copy exist, the latter only where the unmap is async
  for (const [name, configName] of [['gntdev-6.12', 'read-side'], ['sync-unmap', 'read-side'], ['gntdev-2019', 'read-side']] as const) {
    it(`${name} on ${configName}: every part left out keeps its initial value`, () => {
      const design = designs.find((d) => d.name === name)!;
      const config = configByName(configName);
      const parts = absentStateParts(design, config);
      expect(parts.includes('maps[*].unmapOffset')).toBe(design.unmapWait !== 'async');
      expect(parts).not.toContain('procs[*].readers');
      const omit = omitPaths(parts);
      const values = new Map<string, Set<string>>();
      check(modelOf(design, config), { observe: (s) => valuesUnder(s, omit, [], values, false) });
      expect([...values].filter(([, v]) => v.size > 1).map(([k, v]) => `${k}: ${v.size} values`)).toEqual([]);
    });
  }

  it('names the parts of the mechanisms a design lacks (gntalloc in gntdev, gntdev in gntalloc, pinning in HVM)', () => {
    const byName = (n: string) => designs.find((d) => d.name === n)!;
    expect(absentStateParts(byName('gntdev-2022'), configByName('standard'))).toEqual(expect.arrayContaining(['alloc', 'procs[*].smmu', 'holders', 'overrides']));
    expect(absentStateParts(byName('gntdev-2022'), configByName('standard'))).not.toContain('inflight');
    expect(absentStateParts(byName('gntalloc-2022'), configByName('alloc-small'))).toEqual(expect.arrayContaining(['files', 'maps', 'handles', 'grants']));
    expect(absentStateParts(byName('gntalloc-2022'), configByName('alloc-small'))).not.toContain('alloc');
    expect(absentStateParts(byName('gntdev-2022-hvm'), configByName('standard'))).toEqual(expect.arrayContaining(['procs[*].pgdPinned', 'procs[*].l1[*].pinned']));
    expect(absentStateParts(byName('gntdev-2022'), configByName('standard'))).toEqual(expect.arrayContaining(['procs[*].readers', 'maps[*].unmapOffset', 'maps[*].unmapCount']));
    expect(genericPath(['procs', 1, 'smmu'])).toBe('procs[*].smmu');
  });
});
