// Why this test? `check` runs the grant model on its fast path (states kept as bytes in the
// declared layout, guards, recipes and properties on views of them) unless told `recipes: 'codec'`
// (recipes on decoded mutable copies) or `recipes: 'immer'`. The paths must explore the same state space: same distinct and generated counts, same violations
// with the same traces, same witnesses, deadlocks and coverage, on every design of the grant model.
import { describe, expect, it } from 'vitest';
import { configs, designByName, designs, modelOf } from '../../catalog.js';
import { withPoints } from '../../extend.js';
import type { Design, ModelConfig } from '../../model/index.js';
import { withOrder } from '../../orderings.js';
import { check, guardedModel, type CheckResult } from '../../explorer/index.js';
import { abbaLocks } from '../fixtures/models.js';

/** Everything but the clock, the engine's name and the store's own byte counts. */
function comparable<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, engine: _e, store: _st, visitedBytes: _v, ...stats } = r.stats;
  return { ...r, stats };
}

describe('the fast path and the immer path give identical results', () => {
  for (const design of designs) {
    for (const config of [configs.tiny!, configs.small!]) {
      it(`${design.name} on ${config.name}`, () => {
        const fast = check(modelOf(design, config));
        const immer = check(modelOf(design, config), { recipes: 'immer' });
        expect(fast.stats.engine).toBe('views');
        expect(immer.stats.engine).toBe('immer');
        expect(fast.stats.distinctStates).toBe(immer.stats.distinctStates);
        expect(fast.stats.generatedStates).toBe(immer.stats.generatedStates);
        expect(comparable(fast)).toEqual(comparable(immer));
      });
    }
  }

  // each extension on the configurations that exercise it (page holders and blocking waits, a
  // secondary MMU, gntalloc and its remotes, the orderings tool's family models)
  const extended: readonly (readonly [string, string])[] = [
    ['sync-unmap', 'gpu'],
    ['gntdev-2022', 'gup-io'],
    ['m2p-override', 'gup-twice'],
    ['draft-b-page-array-no-split', 'gup-io'],
    ['plain-m2p', 'dma'],
    ['notifier-v3', 'smmu-gru'],
    ['notifier-v5', 'smmu-xpmem'],
    ['gntdev-2022', 'smmu-kvm'],
    ['gntalloc-2011-revoke-assumed', 'alloc-small'],
    ['gntalloc-2022', 'alloc-notify'],
    ['gntalloc-user-offsets', 'alloc-offsets'],
    ['gntalloc-6.12', 'alloc-small'],
    // today's kernel: read-side calls in steps (Proc.readers, map->unmap_data), a page holder
    ['gntdev-6.12', 'read-side'],
    ['gntdev-6.12', 'gup-io'],
  ];
  for (const [name, config] of extended) {
    it(`${name} on ${config}`, () => {
      const design = designs.find((d) => d.name === name)!;
      const fast = check(modelOf(design, configs[config]!));
      const immer = check(modelOf(design, configs[config]!), { recipes: 'immer' });
      expect(fast.stats.distinctStates).toBe(immer.stats.distinctStates);
      expect(comparable(fast)).toEqual(comparable(immer));
    });
  }

  // the configuration switches, each on today's design, on the configurations test/model/switches.test.ts uses
  const switched = (base: string, over: Partial<ModelConfig>, name: string): ModelConfig => ({ ...configs[base]!, ...over, name });
  const switches: readonly ModelConfig[] = [
    switched('small', { madvDontneed: true }, 'small+madv-dontneed'),
    switched('tiny', { mremap: true, vaPages: 3, ptesPerL1: 1, mapCounts: [1] }, 'tiny+mremap'),
    switched('gup-io', { mremap: true, vaPages: 3, ptesPerL1: 3, mapCounts: [1] }, 'gup-io+mremap'),
    switched('tiny', { madvDofork: true, fork: true, processes: 2, mapCounts: [1] }, 'tiny+madv-dofork+fork'),
    switched('tiny', { remoteMmput: true, pins: 1, holderKinds: ['io'] }, 'tiny+remote-mmput'),
  ];
  for (const config of switches) {
    it(`gntdev-6.12 on ${config.name}`, () => {
      const design = designByName('gntdev-6.12');
      const fast = check(modelOf(design, config));
      const immer = check(modelOf(design, config), { recipes: 'immer' });
      expect(fast.stats.engine).toBe('views');
      expect(fast.stats.distinctStates).toBe(immer.stats.distinctStates);
      expect(comparable(fast)).toEqual(comparable(immer));
    });
  }

  // the orderings tool's family models: steps in any order (exit_mmap; gntalloc's split __del_gref)
  const families: readonly (readonly [string, Design, string])[] = [
    ['gntdev-2022, exit_mmap steps in any order', withPoints(designByName('gntdev-2022'), { dynamicOrder: { sequence: 'exit' } }), 'tiny'],
    ['gntalloc-2022, __del_gref steps in any order', withPoints(designByName('gntalloc-2022'), { dynamicOrder: { sequence: 'del_gref' } }), 'alloc-notify'],
    ['gntalloc-2022, __del_gref split in the kernel order', withOrder(designByName('gntalloc-2022'), 'del_gref', ['notify', 'revoke', 'free']), 'alloc-notify'],
  ];
  for (const [what, design, config] of families) {
    it(`${what}, on ${config}`, () => {
      const fast = check(modelOf(design, configs[config]!));
      const immer = check(modelOf(design, configs[config]!), { recipes: 'immer' });
      expect(fast.stats.distinctStates).toBe(immer.stats.distinctStates);
      expect(comparable(fast)).toEqual(comparable(immer));
    });
  }

  // the earlier fast path (decoded copies), kept as the benchmark's yardstick
  for (const [name, config] of [['gntdev-2022', 'small'], ['sync-unmap', 'gpu'], ['gntalloc-2022', 'alloc-notify']] as const) {
    it(`the codec path: ${name} on ${config}`, () => {
      const design = designByName(name);
      const codec = check(modelOf(design, configs[config]!), { recipes: 'codec' });
      const immer = check(modelOf(design, configs[config]!), { recipes: 'immer' });
      expect(codec.stats.engine).toBe('fast');
      expect(comparable(codec)).toEqual(comparable(immer));
    });
  }

  it('on the fixtures', () => {
    expect(comparable(check(abbaLocks()))).toEqual(comparable(check(abbaLocks(), { recipes: 'immer' })));
  });
});

describe('the fast path keeps states read-only', () => {
  type S = { readonly n: number; readonly log: readonly number[] };
  const build = (opts: { guardMutates?: boolean; propertyMutates?: boolean }) =>
    guardedModel<S, { kind: 'inc' }>({
      initStates: () => [{ n: 0, log: [] }],
      actions: () => [{ kind: 'inc' }],
      rule: () => ({
        guard: (s) => {
          if (opts.guardMutates && s.n === 2) (s.log as number[]).push(99);
          return s.n < 4 ? true : 'at 4';
        },
        effect: (d) => {
          d.n++;
          d.log.push(d.n);
        },
      }),
      isFinal: (s) => s.n === 4,
      properties: [
        {
          kind: 'always',
          name: 'small',
          holds: (s: S) => {
            if (opts.propertyMutates && s.n === 3) (s as { n: number }).n = 0;
            return s.n <= 4;
          },
        },
      ],
    });

  it('a recipe mutates only its own copy: the states are those of the immer path', () => {
    const fast = check(build({}));
    expect(fast.stats.distinctStates).toBe(5);
    expect(fast.violations).toEqual([]);
  });

  it('a guard that mutates the state it reads is caught, with the path', () => {
    expect(() => check(build({ guardMutates: true }))).toThrow(/mutated the state it was expanding.*|path 0\/0\/0/);
    expect(() => check(build({ guardMutates: true }), { recipes: 'immer' })).toThrow(/read only|not extensible|frozen/);
  });

  it('a property that mutates the state it checks is caught', () => {
    expect(() => check(build({ propertyMutates: true }))).toThrow(/property mutated the state/);
  });
});
