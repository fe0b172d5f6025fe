// Why these tests? Past the exhaustive bound, simulation is what stands between a design and an
// unseen bug. On `sim-large` (too large for BFS), `simulate` must re-find the bug of every
// known-bad design within its default budget and shrink it to at most twice the BFS shortest
// counterexample on `small`; on the fixed designs it must find nothing, say that this is no
// proof, and show what it exercised. Every figure comes from a fixed seed.
import { describe, expect, it } from 'vitest';
import { configByName, designByName, designs, modelOf } from '../../catalog.js';
import { check, decodePath, replayPath, simulate, type CheckResult, type Property, type Violation } from '../../explorer/index.js';
import type { Action, State } from '../../model/index.js';
import { ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_USERS, BACKING, INV1, INV2, INV2_QUIESCENCE, INV3, INV4, INV5, INV6, INV7, KMAP, NO_ACCESS_AFTER_UNMAP, NO_USE_AFTER_FREE, SMMU_COHERENT, INV3_B } from '../../properties/index.js';

/**
 * Known-bad designs: `simulate` must re-find one of `violates` on `config` with each seed. One row
 * per design; every row must name a design of the catalog (checked below), nothing is skipped.
 */
const knownBad: readonly {
  readonly design: string;
  readonly config: string;
  readonly violates: readonly string[];
  readonly seeds: readonly number[];
  /** The small configuration whose BFS shortest counterexample the shrunk trace is compared with. @defaultValue small */
  readonly bfsConfig?: string;
}[] = [
  { design: 'early-unpin', config: 'sim-large', violates: [INV1, INV5], seeds: [1, 2, 3] },
  { design: 'shadow-handle-page-no-restore', config: 'sim-large', violates: [BACKING], seeds: [1, 2] },
  { design: 'gntdev-2.6.38', config: 'sim-large', violates: [INV1, INV2, NO_USE_AFTER_FREE, BACKING, INV5, INV2_QUIESCENCE], seeds: [1, 2] },
  { design: 'gntdev-2011', config: 'sim-large', violates: [INV1, INV2, BACKING, INV7, INV5, INV2_QUIESCENCE], seeds: [1, 2] },
  { design: 'gntdev-2011-hvm', config: 'sim-large', violates: [INV7], seeds: [1, 2] },
  { design: 'gntdev-2013', config: 'sim-large', violates: [INV1, INV2, BACKING, INV7, INV5, INV2_QUIESCENCE], seeds: [1, 2] },
  { design: 'gntdev-2013-hvm', config: 'sim-large', violates: [INV7], seeds: [1, 2] },
  { design: 'gntdev-2019', config: 'sim-large', violates: [INV1, INV2, BACKING, INV7, INV5, INV2_QUIESCENCE], seeds: [1, 2] },
  { design: 'gntdev-2019-hvm', config: 'sim-large', violates: [INV7], seeds: [1, 2] },
  { design: 'frontend-before-xsa-396', config: 'sim-large', violates: [INV3_B], seeds: [1], bfsConfig: 'small' },
  { design: 'notifier-v3', config: 'sim-smmu', violates: [SMMU_COHERENT], seeds: [1], bfsConfig: 'smmu-gru' },
  { design: 'plain-m2p', config: 'sim-pages', violates: [INV6], seeds: [1], bfsConfig: 'gup' },
  { design: 'm2p-override', config: 'sim-pages', violates: [INV6, KMAP, NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'm2p-override-unmap-and-replace', config: 'sim-pages', violates: [INV6, NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'draft-b-page-array', config: 'sim-pages', violates: [NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'draft-b-page-array-no-split', config: 'sim-pages', violates: [INV6, NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'find-special-page', config: 'sim-pages', violates: [NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'unmap-regardless', config: 'sim-pages', violates: [NO_ACCESS_AFTER_UNMAP], seeds: [1], bfsConfig: 'gup' },
  { design: 'sync-unmap', config: 'sim-pages', violates: [INV4, 'deadlock', INV2_QUIESCENCE], seeds: [1], bfsConfig: 'gup' },
  { design: 'gntalloc-2011-revoke-assumed', config: 'sim-alloc', violates: [INV3, ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_USERS], seeds: [1, 2], bfsConfig: 'alloc-small' },
  { design: 'gntalloc-2011', config: 'sim-alloc', violates: [ALLOC_NO_LEAK, ALLOC_USERS], seeds: [1], bfsConfig: 'alloc-small' },
];

/** The gntalloc actions a fixed gntalloc design's walks must take. */
const ALLOC_EXERCISED = ['gntalloc_open', 'gntalloc_ioctl_alloc', 'gntalloc_mmap', 'remote_map_grant_ref', 'do_munmap', 'dup_mmap', 'do_exit'];

/** Designs that violate nothing: `simulate` must find nothing and reach every witness. One row per design. */
const fixed: readonly { readonly design: string; readonly config: string; readonly seed: number; readonly exercised?: readonly string[] }[] = [
  { design: 'has-foreign-mappings', config: 'sim-large', seed: 1 },
  { design: 'shadow-handle-page', config: 'sim-large', seed: 1 },
  { design: 'notifier-release', config: 'sim-large', seed: 1 },
  { design: 'gntdev-2022', config: 'sim-large', seed: 1 },
  { design: 'gntdev-2022-hvm', config: 'sim-large', seed: 1 },
  { design: 'gntdev-6.12', config: 'sim-large', seed: 1 },
  { design: 'notifier-v5', config: 'sim-smmu', seed: 1 },
  { design: 'gntalloc-2022', config: 'sim-alloc', seed: 1, exercised: ALLOC_EXERCISED },
  { design: 'gntalloc-6.12', config: 'sim-alloc', seed: 1, exercised: ALLOC_EXERCISED },
  { design: 'gntalloc-user-offsets', config: 'sim-alloc', seed: 1, exercised: ALLOC_EXERCISED },
];


/** The default budget, which the outcomes are promised within. */
const DEFAULT_BUDGET = { runs: 1000, maxSteps: 100 };

const bfsCache = new Map<string, CheckResult<State, Action>>();
function bfsOn(design: string, config: string): CheckResult<State, Action> {
  const key = `${design}@${config}`;
  let r = bfsCache.get(key);
  if (!r) bfsCache.set(key, (r = check(modelOf(designByName(design), configByName(config)))));
  return r;
}

/** True when `property` fails at the end of the violation's trace. */
function failsAtEnd(property: Property<State, Action>, v: Violation<State, Action>): boolean {
  const last = v.trace[v.trace.length - 1]!;
  switch (property.kind) {
    case 'always':
      return property.holds(last.state) !== true;
    case 'step':
      return property.holds(v.trace[v.trace.length - 2]!.state, last.action!, last.state) !== true;
    case 'atQuiescence':
      return property.holds(last.state) !== true;
    case 'sometimes':
      return false;
  }
}

describe('every design is in one of the tables', () => {
  it('each design of the catalog has exactly one row, known-bad or fixed', () => {
    const rows = [...knownBad.map((r) => r.design), ...fixed.map((r) => r.design)];
    const missing = designs.map((d) => d.name).filter((name) => !rows.includes(name));
    expect(missing, 'add a row for each of these designs').toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
    const unknown = rows.filter((name) => !designs.some((d) => d.name === name));
    expect(unknown, 'a row names a design the catalog does not have (renamed?)').toEqual([]);
  });
});

describe('simulate re-finds the bugs of known-bad designs on sim-large', () => {
  for (const row of knownBad) {
    for (const seed of row.seeds) {
      it(`${row.design}, seed ${seed}: violates ${row.violates.length <= 2 ? row.violates.join(' or ') : `one of ${row.violates.length} properties`}, shrunk to ≤ 2× the BFS shortest on ${row.bfsConfig ?? 'small'}, and reproducible`, () => {
        const model = modelOf(designByName(row.design), configByName(row.config));
        const r = simulate(model, { seed });
        if (r.status !== 'violation') throw new Error(`no violation found: ${r.statement}`);
        expect(r.settings).toMatchObject({ ...DEFAULT_BUDGET, seed });
        expect(r.seed).toBe(seed);
        const v = r.violation;
        expect(row.violates).toContain(v.property);

        const bfsConfig = row.bfsConfig ?? 'small';
        const shortest = bfsOn(row.design, bfsConfig).violations.find((x) => x.property === v.property);
        if (!shortest) throw new Error(`BFS on ${bfsConfig} does not violate ${v.property}: add it to the design's expectations or fix the row`);
        expect(v.length).toBeLessThanOrEqual(2 * shortest.length);
        expect(r.originalLength).toBeGreaterThanOrEqual(v.length);

        // The trace replays through the explorer, and the property fails at its end.
        const replayed = replayPath(model, decodePath(v.path));
        expect(replayed.map((s) => s.state)).toEqual(v.trace.map((s) => s.state));
        expect(failsAtEnd(model.properties.find((p) => p.name === v.property)!, v)).toBe(true);

        // The seed and fast-check's path replay the shrunk walk alone.
        const again = simulate(model, { seed, path: r.counterexamplePath });
        expect(again.status === 'violation' && again.violation.path).toBe(v.path);
      });
    }
  }
});

describe('simulate finds nothing on fixed designs on sim-large, and says what it covered', () => {
  const exercised = ['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'do_munmap', 'dup_mmap', 'do_exit', 'unmap_vmas', 'gnttab_end_foreign_access_ref'];
  for (const row of fixed) {
    it(`${row.design}, seed ${row.seed}: no violation in the default budget, every witness reached`, () => {
      const model = modelOf(designByName(row.design), configByName(row.config));
      const r = simulate(model, { seed: row.seed });
      expect(r.status).toBe('no-violation-found');
      expect(r.seed).toBe(row.seed);
      expect(r.statement).toBe(`no violation found in ${DEFAULT_BUDGET.runs} random runs of at most ${DEFAULT_BUDGET.maxSteps} steps (seed ${row.seed}); this is not a proof`);
      expect(r.stats.runs).toBe(DEFAULT_BUDGET.runs);
      expect(r.warnings).toEqual([]);
      expect(r.witnesses.every((w) => w.reached && w.path !== undefined)).toBe(true);
      expect(r.coverage.reduce((n, c) => n + c.fired, 0)).toBe(r.stats.steps);
      for (const kind of row.exercised ?? exercised) expect(r.coverage.find((c) => c.action === kind)?.fired, kind).toBeGreaterThan(0);
      // A witness's path replays to a state that reaches it.
      const w = r.witnesses[0]!;
      const prop = model.properties.find((p) => p.name === w.name);
      const steps = replayPath(model, decodePath(w.path!));
      expect(steps.length - 1).toBe(w.step);
      expect(prop?.kind === 'sometimes' && prop.reached(steps[steps.length - 1]!.state)).toBe(true);
    });
  }
});

describe('the sim-large configuration', () => {
  it('is past exhaustive search: BFS hits a 5,000-state bound by depth 5 (small is exhausted at 6,409 states, depth 21)', () => {
    const model = modelOf(designByName('gntdev-2022'), configByName('sim-large'));
    const r = check(model, { maxStates: 5000 });
    expect(r.status).toBe('incomplete');
    expect(r.stats.depth).toBeLessThanOrEqual(5);
  });
});
