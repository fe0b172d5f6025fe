// Designs by their outcomes: pinned state counts per named configuration (TLA+ style: a changed
// count is a deliberate, reviewed change), the properties each design violates, and regression
// case 17 (seed 000: early unpin of page tables holding grant PTEs).
import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { configs, designs, designNamed } from '../../model/index.js';
import { INV1, INV2, INV2_QUIESCENCE, INV5 } from '../../properties/index.js';

/** [design, configuration, distinct states, generated states] */
const PINNED: readonly (readonly [string, string, number, number])[] = [
  ['early-unpin', 'tiny', 291, 453],
  ['has-foreign-mappings', 'tiny', 300, 465],
  ['shadow-handle-page', 'tiny', 279, 444],
  ['shadow-handle-page-no-restore', 'tiny', 279, 444],
  ['notifier-release', 'tiny', 279, 444],
  ['gntdev-2022', 'tiny', 279, 444],
  ['gntdev-2022-hvm', 'tiny', 279, 444],
  ['gntdev-2022', 'twomaps', 3061, 5684],
  ['gntdev-2022-hvm', 'twomaps', 3061, 5684],
];

/** [design, configuration, distinct, generated, properties violated]: every other property holds there, and every witness is reached. */
const OUTCOMES: readonly (readonly [string, string, number, number, readonly string[]])[] = [
  ['early-unpin', 'small', 2161, 5465, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","live_grants counts the handles the map holds"]],
  ['has-foreign-mappings', 'small', 2557, 6450, []],
  ['shadow-handle-page', 'small', 2373, 6052, []],
  ['shadow-handle-page-no-restore', 'small', 2373, 6052, ["physical backing restored before a page is freed"]],
  ['notifier-release', 'small', 2399, 6256, []],
  ['gntdev-2.6.38', 'small', 1096, 2532, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","no use of a freed map or page","physical backing restored before a page is freed"]],
  ['gntdev-2011', 'small', 2991, 7073, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2011-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2013', 'small', 4651, 9969, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2013-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2019', 'small', 4843, 11703, ["INV-1 no implicit unmap","INV-2 each handle unmapped exactly once","INV-2 no handle live at quiescence","INV-5 grant PTEs only in pinned L1s","physical backing restored before a page is freed","INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2019-hvm', 'small', 1754, 4090, ["INV-7 unmap notify fires once, clear byte before event"]],
  ['gntdev-2022', 'small', 6409, 17177, []],
  ['gntdev-2022-hvm', 'small', 1859, 4267, []],
  ['notifier-v3', 'smmu-gru', 1780, 3838, ["secondary MMU maps no freed or reused page"]],
  ['notifier-v5', 'smmu-gru', 1146, 2642, []],
  ['plain-m2p', 'gup-io', 747, 2256, ["INV-6 get_user_pages yields the local placeholder page"]],
  ['m2p-override', 'gup-io', 747, 2256, ["no access to a page after its grant was unmapped","the kernel linear map is never transiently absent"]],
  ['m2p-override-unmap-and-replace', 'gup-io', 747, 2256, ["no access to a page after its grant was unmapped"]],
  ['draft-b-page-array', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['draft-b-page-array-no-split', 'gup-io', 853, 2604, ["INV-6 get_user_pages yields the local placeholder page","no access to a page after its grant was unmapped"]],
  ['find-special-page', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['unmap-regardless', 'gup-io', 747, 2224, ["no access to a page after its grant was unmapped"]],
  ['gntdev-2015', 'gup-io', 383, 894, []],
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
