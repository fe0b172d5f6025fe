// Designs by their outcomes: pinned state counts per named configuration (TLA+ style: a changed
// count is a deliberate, reviewed change), the properties each design violates, regression case 17
// (seed 000: early unpin of page tables holding grant PTEs) and regression case 12 (XSA-396: query,
// then revoke, then free: gntalloc).
import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { configs, designs, designNamed, type Action } from '../../model/index.js';
import { ALLOC_NO_LEAK, ALLOC_NO_UAF, ALLOC_USERS, INV1, INV2, INV2_QUIESCENCE, INV3, INV3_B, INV5, NOTIFIER_LIFECYCLE } from '../../properties/index.js';
import { run } from './helpers.js';

/** [design, configuration, distinct states, generated states] */
const PINNED: readonly (readonly [string, string, number, number])[] = [
  ['early-unpin', 'tiny', 291, 453],
  ['has-foreign-mappings', 'tiny', 300, 465],
  ['shadow-handle-page', 'tiny', 279, 444],
  ['shadow-handle-page-no-restore', 'tiny', 279, 444],
  ['notifier-release', 'tiny', 279, 444],
  ['gntdev-2022', 'tiny', 279, 444],
  ['gntdev-2022-hvm', 'tiny', 279, 444],
  ['gntdev-2022', 'twomaps', 4101, 7785],
  ['gntdev-2022-hvm', 'twomaps', 4101, 7785],
];

/** [design, configuration, distinct, generated, properties violated]: every other property holds there, and every witness is reached. */
const OUTCOMES: readonly (readonly [string, string, number, number, readonly string[]])[] = [
  ['early-unpin', 'small', 2161, 5465, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","live_grants counts the handles the map holds"]],
  ['has-foreign-mappings', 'small', 2557, 6450, []],
  ['shadow-handle-page', 'small', 2373, 6052, []],
  ['shadow-handle-page-no-restore', 'small', 2373, 6052, ["physical backing restored before a page is freed"]],
  ['notifier-release', 'small', 2399, 6256, []],
  ['gntdev-2.6.38', 'small', 1096, 2532, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","no use of a freed map or page","physical backing restored before a page is freed"]],
  ['gntdev-2011', 'small', 2999, 7081, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2011-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2013', 'small', 4651, 9969, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2013-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2019', 'small', 4843, 11703, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event",NOTIFIER_LIFECYCLE]],
  ['gntdev-2019-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2022', 'small', 6409, 17177, []],
  ['gntdev-2022-hvm', 'small', 1859, 4267, []],
  ['gntdev-6.12', 'small', 6409, 17177, []],
  ['frontend-before-xsa-396', 'small', 17090, 51323, [INV3_B]],
  ['notifier-v3', 'smmu-gru', 1780, 3838, ["secondary MMU maps no freed or reused page"]],
  ['notifier-v5', 'smmu-gru', 1146, 2642, []],
  ['plain-m2p', 'gup-io', 747, 2256, ["INV-6 get_user_pages yields the local placeholder page"]],
  ['m2p-override', 'gup-io', 747, 2256, ["no access to a page after its grant was unmapped","the kernel linear map is never transiently absent"]],
  ['m2p-override-unmap-and-replace', 'gup-io', 747, 2256, ["no access to a page after its grant was unmapped"]],
  ['draft-b-page-array', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['draft-b-page-array-no-split', 'gup-io', 853, 2604, ["INV-6 get_user_pages yields the local placeholder page","no access to a page after its grant was unmapped"]],
  ['find-special-page', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['unmap-regardless', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['sync-unmap', 'gup-io', 383, 894, []],
  ['gntalloc-2011-revoke-assumed', 'alloc-small', 18152, 68376, [INV3, 'grefs and the deferred list account for every granted page', ALLOC_NO_LEAK, ALLOC_USERS]],
  ['gntalloc-2011', 'alloc-small', 15904, 60776, [ALLOC_NO_LEAK, ALLOC_USERS]],
  ['gntalloc-2022', 'alloc-small', 9480, 36590, []],
  ['gntalloc-6.12', 'alloc-small', 12272, 47726, []],
  ['gntalloc-user-offsets', 'alloc-offsets', 12344, 48802, []],
];

/** gntalloc-2022 on the other gntalloc configurations: [configuration, distinct, generated, properties violated]. */
const ALLOC_CONFIGS: readonly (readonly [string, number, number, readonly string[]])[] = [
  ['alloc-notify', 22571, 85473, []],
  ['alloc-two-remotes', 12104, 45490, []],
  ['alloc-fork', 19540, 93605, []],
  // the kernel's own leak: gnttab_add_deferred could not allocate its entry ("leaking g.e.")
  ['alloc-leak', 5134, 18222, [ALLOC_NO_LEAK]],
];

describe('pinned state counts', () => {
  for (const [design, config, distinct, generated] of PINNED) {
    it(`${design} on ${config}: ${distinct} distinct, ${generated} generated`, () => {
      const r = check(modelOf(designNamed(design)!, configs[config]!));
      expect(r.exhaustive).toBe(true);
      expect(r.stats.distinctStates).toBe(distinct);
      expect(r.stats.generatedStates).toBe(generated);
    });
  }
});

describe('every design: its outcome, exhaustively', () => {
  it('the outcome table covers every design', () => {
    expect(OUTCOMES.map((o) => o[0]).sort()).toEqual(designs.map((d) => d.name).sort());
  });

  for (const [name, config, distinct, generated, violates] of OUTCOMES) {
    it(`${name} on ${config}: ${distinct} states; violates ${violates.length ? violates.join(', ') : 'nothing'}; every witness reached`, () => {
      const r = check(modelOf(designNamed(name)!, configs[config]!));
      expect(r.exhaustive).toBe(true);
      expect(r.stats.distinctStates).toBe(distinct);
      expect(r.stats.generatedStates).toBe(generated);
      const violated = r.properties.filter((p) => p.outcome === 'violated').map((p) => p.name);
      expect(violated.sort()).toEqual([...violates].sort());
      expect(r.witnesses.filter((w) => !w.reached).map((w) => w.name)).toEqual([]);
      expect(r.deadlocks).toEqual([]);
    });
  }
});

describe('regression case 17: early unpin of page tables holding grant PTEs (seed 000)', () => {
  const r = check(modelOf(designNamed('early-unpin')!, configs.small!));
  const trace = (p: string) => r.violations.find((v) => v.property === p)!;
  const actions = (p: string) => trace(p).trace.slice(1).map((s) => s.action!.kind);

  it('INV-5: the shortest counterexample maps a grant, exits, and arch_exit_mmap unpins the L1 under it', () => {
    expect(actions(INV5)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'do_exit', 'mmu_notifier_release', 'arch_exit_mmap']);
    expect(trace(INV5).clause).toMatch(/holds a grant PTE \(map 0 slot 0\) in an unpinned L1/);
  });

  it('INV-1: the same unpin is an implicit unmap of a live handle', () => {
    expect(actions(INV1).at(-1)).toBe('arch_exit_mmap');
    expect(trace(INV1).clause).toMatch(/arch_exit_mmap implicitly unmapped map 0 slot 0 .*its page table was unpinned/);
  });

  it('INV-2: then the zap hook cannot unmap (non-L1 page) and the handle leaks; it is still live at quiescence', () => {
    expect(actions(INV2).slice(-2)).toEqual(['arch_exit_mmap', 'unmap_vmas']);
    expect(trace(INV2).clause).toMatch(/unmap_vmas dropped map 0 slot 0's user handle without unmapping it: leaked/);
    expect(trace(INV2_QUIESCENCE).trace.at(-1)!.state.handles.length).toBeGreaterThan(0);
  });

  for (const fixed of ['has-foreign-mappings', 'shadow-handle-page', 'notifier-release', 'gntdev-2022']) {
    it(`${fixed} holds INV-1, INV-2 and INV-5 on the default configuration`, () => {
      const d = designNamed(fixed)!;
      const res = check(modelOf(d, configs[d.defaultConfig]!), { properties: [INV1, INV2, INV2_QUIESCENCE, INV5] });
      expect(res.status).toBe('ok');
      expect(res.exhaustive).toBe(true);
      expect(res.properties.filter((p) => p.kind !== 'sometimes').every((p) => p.outcome === 'holds')).toBe(true);
      expect(res.witnesses.find((w) => w.name === 'a process exits with grants mapped')!.reached).toBe(true);
    });
  }
});

describe('gntalloc-2022 on the gntalloc configurations, exhaustively', () => {
  for (const [config, distinct, generated, violates] of ALLOC_CONFIGS) {
    it(`${config}: ${distinct} states; violates ${violates.length ? violates.join(', ') : 'nothing'}; every witness reached`, () => {
      const r = check(modelOf(designNamed('gntalloc-2022')!, configs[config]!));
      expect(r.exhaustive).toBe(true);
      expect(r.stats.distinctStates).toBe(distinct);
      expect(r.stats.generatedStates).toBe(generated);
      expect(r.properties.filter((p) => p.outcome === 'violated').map((p) => p.name)).toEqual([...violates]);
      expect(r.witnesses.filter((w) => !w.reached).map((w) => w.name)).toEqual([]);
      expect(r.deadlocks).toEqual([]);
    });
  }
});

describe('regression case 12: XSA-396, query then revoke (gntalloc)', () => {
  const r = check(modelOf(designNamed('gntalloc-2011-revoke-assumed')!, configs['alloc-small']!), { properties: [INV3], stopAtFirstViolation: true });
  const xsa: Action[] = [
    { kind: 'gntalloc_open', p: 0 },
    { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: -1 },
    { kind: 'add_grefs_splice', p: 0 },
    { kind: 'gntalloc_ioctl_dealloc', p: 0, file: 0, index: 0, count: 1 },
    { kind: 'remote_map_grant_ref', dom: 0, ref: 0 },
    { kind: '__del_gref' },
  ];

  it('gntalloc-2011-revoke-assumed: the remote maps between the query and the revoke, and the page is freed while mapped (6 steps)', () => {
    const v = r.violations.find((x) => x.property === INV3)!;
    expect(v.trace.slice(1).map((s) => s.action)).toEqual(xsa);
    expect(v.clause).toBe('page 0 is free (it may be reused) while domain 0 still maps it through ref 0');
    // the query saw no mapping: the window opened with the ref still unmapped
    const before = v.trace[4]!.state;
    expect(before.alloc.delGref.queue).toEqual([0]);
    expect(before.alloc.remote).toEqual([]);
  });

  it('gntalloc-2022 on the same trace: the revoke fails, the ref and the page wait on the deferred list', () => {
    const xsa2022 = xsa.filter((a) => a.kind !== '__del_gref');
    // today's __del_gref is one step: map first, then dealloc
    const states = run('gntalloc-2022', [xsa2022[0]!, xsa2022[1]!, xsa2022[2]!, xsa2022[4]!, xsa2022[3]!], 'alloc-small');
    const s = states.at(-1)!;
    expect(s.alloc.deferred).toEqual([{ ref: 0, page: 0 }]);
    expect(s.alloc.pages[0]!.refs).toBe(1);
    expect(s.alloc.grefs.filter((g) => g.state === 'live')).toEqual([]);
  });

  // gntalloc-2022 holding INV-3 on alloc-small, alloc-two-remotes, alloc-fork and alloc-leak, and
  // gntalloc-2011 holding it on alloc-small, are asserted by the outcome tables above.

  it('gntalloc-2011 (the source as read): no reuse, but a gref the remote still mapped stays allocated after exit until a later do_cleanup', () => {
    const res = check(modelOf(designNamed('gntalloc-2011')!, configs['alloc-small']!), { properties: [ALLOC_NO_LEAK], stopAtFirstViolation: true });
    const v = res.violations[0]!;
    expect(v.clause).toBe('gref 0 (users 0) still holds page 0 and ref 0: freed only by a later ALLOC_GREF or DEALLOC_GREF (do_cleanup)');
    expect(v.trace.length - 1).toBe(12);
  });
});

describe('gntalloc-user-offsets: user-chosen offsets with a MAP_FIXED-like flag (seed 004)', () => {
  const open: Action[] = [
    { kind: 'gntalloc_open', p: 0 },
    { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: 1 },
    { kind: 'add_grefs_splice', p: 0 },
  ];

  it('an offset that overlaps an allocation is refused; the kernel then skips the user-chosen offset', () => {
    const s = run('gntalloc-user-offsets', open, 'alloc-offsets').at(-1)!;
    const m = modelOf(designNamed('gntalloc-user-offsets')!, configs['alloc-offsets']!);
    expect(m.whyDisabled(s, { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: 1 })).toBe('-EBUSY: offsets [1, 2) overlap gref 0 at offset 1');
    const t = m.nextState(m.nextState(s, { kind: 'gntalloc_ioctl_alloc', p: 0, file: 0, count: 1, dom: 0, offset: -1 })!, { kind: 'add_grefs_splice', p: 0 })!;
    expect(t.alloc.grefs.map((g) => g.index)).toEqual([1, 0]);
    expect(t.alloc.files[0]!.index).toBe(1);
  });

  it('the kernel-only designs refuse a user-chosen offset', () => {
    const s = run('gntalloc-2022', open.slice(0, 1), 'alloc-offsets').at(-1)!;
    expect(modelOf(designNamed('gntalloc-2022')!, configs['alloc-offsets']!).whyDisabled(s, open[1]!)).toBe('this gntalloc chooses every offset itself (no MAP_FIXED-like flag)');
  });
});

describe('finding: gntalloc_vma_close walks gref_list, gntalloc_mmap walked priv->list (today\'s gntalloc)', () => {
  it('two files allocating in turn, one 2-page mmap across two allocations: its close frees the other file\'s gref (15 steps)', () => {
    const res = check(modelOf(designNamed('gntalloc-2022')!, configs['alloc-two-files']!), { properties: [ALLOC_NO_UAF], stopAtFirstViolation: true });
    const v = res.violations[0]!;
    expect(v.clause).toBe("file 1's priv->list still links freed gref 1");
    expect(v.trace.slice(1).map((s) => s.action!.kind)).toEqual([
      'gntalloc_open',
      'gntalloc_open',
      'gntalloc_ioctl_alloc',
      'add_grefs_splice',
      'gntalloc_ioctl_alloc',
      'add_grefs_splice',
      'gntalloc_ioctl_alloc',
      'add_grefs_splice',
      'gntalloc_mmap',
      'do_munmap',
      'mmu_notifier_invalidate_range_start',
      'unmap_vmas',
      'mmu_notifier_invalidate_range_end',
      'free_pgtables',
      'remove_vma',
    ]);
    // gref_list is [0 (file 0), 1 (file 1), 2 (file 0)]; the mmap took [0, 2] from priv->list
    expect(v.trace[9]!.state.alloc.grefList).toEqual([0, 1, 2]);
    expect(v.trace[9]!.state.alloc.vmPrivs[0]!.grefs).toEqual([0, 2]);
  });
});

describe("regression case 12 on B's side: a frontend before XSA-396 queries, then reuses the page whatever the revoke answered", () => {
  const INV3B_TRACE: Action[] = [
    { kind: 'gntdev_open', p: 0 },
    { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
    { kind: 'gnttab_query_foreign_access', ref: 0 },
    { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
    { kind: 'gnttab_end_foreign_access_ref', ref: 0 },
  ];

  it('frontend-before-xsa-396: A maps between the query and the revoke, B reuses the page (5 steps)', () => {
    const r = check(modelOf(designNamed('frontend-before-xsa-396')!, configs.small!), { properties: [INV3_B], stopAtFirstViolation: true });
    const v = r.violations.find((x) => x.property === INV3_B)!;
    expect(v.trace.slice(1).map((s) => s.action)).toEqual(INV3B_TRACE);
    expect(v.clause).toBe('B reused the page of ref 0 while its revoke had failed (A still maps it: 2 live mapping(s))');
  });

  it("gntdev-2022 (B's checked revoke, gnttab_try_end_foreign_access) holds INV-3B, and B does end grants A had mapped", () => {
    const r = check(modelOf(designNamed('gntdev-2022')!, configs.small!));
    expect(r.violations.filter((v) => v.property === INV3_B)).toEqual([]);
    expect(r.witnesses.find((w) => w.name === 'B ends a grant that A had mapped')!.reached).toBe(true);
  });
});
