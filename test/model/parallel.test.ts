// Why this test? The grant model runs on worker threads too: each worker builds the same model from
// where its design comes from (a built-in name, a design file, changed variation points) and keeps
// states in the same declared layout, so the parallel search must give exactly the one-thread
// result: counts, verdicts, traces, witnesses, deadlocks and coverage.
import { describe, expect, it } from 'vitest';
import { configs, designByName, modelOf } from '../../catalog.js';
import { check, type CheckResult } from '../../explorer/index.js';
import { withOrder } from '../../orderings.js';

/** Everything but the clock, the engine's name and the store's own byte counts. */
function comparable<S, A>(r: CheckResult<S, A>): unknown {
  const { durationMs: _d, statesPerSecond: _s, generatedPerSecond: _g, engine: _e, store: _st, visitedBytes: _v, workers: _w, ...stats } = r.stats;
  return { ...r, stats };
}

describe('the grant model on two worker threads gives the one-thread result', () => {
  const cases: readonly (readonly [string, string])[] = [
    ['gntdev-2022', 'small'],
    ['early-unpin', 'small'],
    ['gntdev-2013', 'small'],
    ['gntdev-2022', 'gup-io'],
    ['gntalloc-2011', 'alloc-small'],
  ];
  for (const [name, config] of cases) {
    it(`${name} on ${config}`, () => {
      const model = modelOf(designByName(name), configs[config]!);
      const one = check(model);
      const two = check(model, { workers: 2 });
      expect(two.stats.engine).toBe('workers');
      expect(comparable(two)).toEqual(comparable(one));
    });
  }

  it('a design file: each worker loads the file itself', async () => {
    // design files load through the built package (its module hooks are JavaScript)
    const built = (p: string) => new URL(`../../dist/${p}`, import.meta.url).href;
    const { loadDesignFile } = (await import(built('designFile.js'))) as typeof import('../../designFile.js');
    const cat = (await import(built('catalog.js'))) as typeof import('../../catalog.js');
    const ex = (await import(built('explorer/index.js'))) as typeof import('../../explorer/index.js');
    const design = await loadDesignFile('test/cli/fixtures/unpin-first.ts');
    const model = cat.modelOf(design, cat.configs.small!);
    const two = ex.check(model, { workers: 2 });
    expect(two.status).toBe('violation');
    expect(comparable(two)).toEqual(comparable(ex.check(model)));
  });

  it('with the frontier past its memory budget: compact runs spilled to files and read back', () => {
    const model = modelOf(designByName('gntdev-2022'), configs.small!);
    const spilled = check(model, { workers: 2, frontierMemoryBytes: 16 * 1024 });
    expect(spilled.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(comparable(spilled)).toEqual(comparable(check(model)));
  });

  it('on one thread too, the compact frontier spilled and read back gives the same result', () => {
    const model = modelOf(designByName('gntdev-2022'), configs.small!);
    const spilled = check(model, { frontierMemoryBytes: 16 * 1024 });
    expect(spilled.stats.store!.spilledBytes).toBeGreaterThan(0);
    expect(comparable(spilled)).toEqual(comparable(check(model)));
  });

  it('a design with a sequence in another order (withOrder)', () => {
    const design = withOrder(designByName('gntdev-2022'), 'exit_mmap', ['arch_exit_mmap', 'mmu_notifier_release', 'unmap_vmas', 'free_pgtables', 'remove_vma']);
    const model = modelOf(design, configs.tiny!);
    expect(comparable(check(model, { workers: 2 }))).toEqual(comparable(check(model)));
  });
});
