// The behaviours behind the configuration switches and the v6.12 design points, each pinned by a
// trace on a small configuration (what changes, step by step) and by the BFS outcome: the
// shortest counterexample where there is one, or every property holding with its witnesses reached.
import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { configs, designNamed, type Action, type ModelConfig } from '../../model/index.js';
import { BACKING, INV1, INV5 } from '../../properties/index.js';
import { OPEN_MAP_MMAP, run } from './helpers.js';

const cfg = (base: string, over: Partial<ModelConfig>): ModelConfig => ({ ...configs[base]!, ...over, name: `${base}+test` });
const kinds = (v: { trace: readonly { action?: { kind: string } }[] }) => v.trace.slice(1).map((s) => s.action!.kind);
const shortest = (design: string, config: ModelConfig, property: string) => {
  const r = check(modelOf(designNamed(design)!, config), { properties: [property], stopAtFirstViolation: true });
  return r.violations.find((v) => v.property === property);
};

describe("munmap's split convention (v6.1: the original struct survives; v6.12: it is the unmapped piece)", () => {
  const split: Action[] = [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 0, end: 1 }];
  it('gntdev-2022 keeps VMA struct 0 for the surviving piece; gntdev-6.12 detaches struct 0', () => {
    const old = run('gntdev-2022', split, 'tiny').at(-1)!.procs[0]!;
    expect(old.vmas.map((v) => [v.id, v.start, v.end])).toEqual([[0, 1, 2]]);
    expect(old.op.detached.map((v) => [v.id, v.start, v.end])).toEqual([[1, 0, 1]]);
    const now = run('gntdev-6.12', split, 'tiny').at(-1)!.procs[0]!;
    expect(now.vmas.map((v) => [v.id, v.start, v.end])).toEqual([[1, 1, 2]]);
    expect(now.op.detached.map((v) => [v.id, v.start, v.end])).toEqual([[0, 0, 1]]);
  });
});

describe('MADV_DONTNEED (madvise_dontneed_single_vma, one action when readSide is 0)', () => {
  it('unmaps the grant through gntdev_invalidate before the zap, and the map survives', () => {
    const s = run('gntdev-6.12', [...OPEN_MAP_MMAP, { kind: 'madvise_dontneed_single_vma', p: 0, start: 0, end: 1 }], cfg('tiny', { madvDontneed: true })).at(-1)!;
    expect(s.handles.filter((h) => h.slot === 0)).toEqual([]);
    expect(s.maps[0]!.slots[0]!.beingRemoved).toBe(true);
    expect(s.procs[0]!.ptes[0]!.kind).toBe('none');
    expect(s.procs[0]!.vmas).toHaveLength(1);
  });
  it('gntdev-6.12 on small with MADV_DONTNEED: every property holds, every witness reached', () => {
    const r = check(modelOf(designNamed('gntdev-6.12')!, cfg('small', { madvDontneed: true })));
    expect(r.exhaustive).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.witnesses.every((w) => w.reached)).toBe(true);
    expect(r.stats.distinctStates).toBe(9265);
  });
});

describe('two MADV_DONTNEED calls at once (readSide 2)', () => {
  it('the second call reads being_removed set by the first, skips the unmap, and zaps the grant PTE the first has not unmapped yet (INV-1, 9 steps)', () => {
    const v = shortest('gntdev-6.12', configs['read-side']!, INV1)!;
    expect(v.trace.slice(1).map((s) => s.action)).toEqual([
      ...OPEN_MAP_MMAP,
      { kind: 'madvise_dontneed_single_vma', p: 0, start: 0, end: 1 },
      { kind: 'madvise_dontneed_single_vma', p: 0, start: 0, end: 1 },
      { kind: 'madvise_step', p: 0, r: 0 },
      { kind: 'madvise_step', p: 0, r: 0 },
      { kind: 'madvise_step', p: 0, r: 1 },
      { kind: 'madvise_step', p: 0, r: 1 },
    ]);
    const before = v.trace.at(-2)!.state;
    expect(before.procs[0]!.readers.map((r) => r.step)).toEqual(['unmap', 'zap']);
  });
  it("a munmap after its downgrade and a MADV_DONTNEED on the other piece share map->unmap_data: the call unmaps the munmap's run, its own run is never unmapped (backing, 22 steps)", () => {
    const v = shortest('gntdev-6.12', configs['read-side']!, BACKING)!;
    expect(kinds(v)).toEqual([
      'gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'close', 'do_munmap', 'madvise_dontneed_single_vma',
      'madvise_step', 'madvise_step', 'mmu_notifier_invalidate_range_start', 'madvise_step', 'madvise_step', 'madvise_step',
      'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma',
      'do_munmap', 'mmu_notifier_invalidate_range_start', 'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma',
    ]);
    expect(v.clause).toBe("map 0 slot 1's page was freed with p2m foreign: its own backing was not restored");
  });
});

describe('mremap of a whole gntdev VMA (move_vma)', () => {
  const mremapCfg = cfg('tiny', { mremap: true, vaPages: 3, ptesPerL1: 1, mapCounts: [1] });
  const moved: Action[] = [
    { kind: 'gntdev_open', p: 0 },
    { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 1 },
    { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
    { kind: 'mremap', p: 0, start: 0, to: 1 },
  ];
  it('the VMA moves, the grant is unmapped by the invalidation, pages_vm_start and the notifier stay on the old range', () => {
    const s = run('gntdev-6.12', moved, mremapCfg).at(-1)!;
    expect(s.procs[0]!.vmas.map((v) => [v.start, v.end, v.map])).toEqual([[1, 2, 0]]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]).toMatchObject({ pagesVmStart: 0, notifier: 'inserted', users: 2 });
  });
  it('holds without page references; with one held (gup-io), the deferred unmap lets move_ptes clear the live grant PTE (INV-1, 5 steps)', () => {
    expect(check(modelOf(designNamed('gntdev-6.12')!, mremapCfg)).violations).toEqual([]);
    const v = shortest('gntdev-6.12', cfg('gup-io', { mremap: true, vaPages: 3, ptesPerL1: 3, mapCounts: [1] }), INV1)!;
    expect(kinds(v)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'get_user_pages', 'mremap']);
  });
});

describe('MADV_DOFORK then fork (PV)', () => {
  const forkCfg = cfg('tiny', { madvDofork: true, fork: true, processes: 2 });
  it("fork copies the VMA to the child; Xen refuses the copied grant PTEs, and copy_present_pte's page references stay", () => {
    const s = run('gntdev-6.12', [...OPEN_MAP_MMAP, { kind: 'madvise_dofork', p: 0, start: 0 }, { kind: 'dup_mmap', p: 0 }], forkCfg).at(-1)!;
    expect(s.procs[1]!.vmas.map((v) => v.map)).toEqual([0]);
    expect(s.procs[1]!.ptes.map((p) => p.kind)).toEqual(['none', 'none']);
    expect(s.maps[0]!.slots.map((sl) => sl.page.pins)).toEqual([1, 1]);
    expect(s.maps[0]!.users).toBe(3);
  });
  it("the parent's munmap then defers its unmap for ever and zaps the grant PTE (INV-1, 8 steps)", () => {
    expect(kinds(shortest('gntdev-6.12', forkCfg, INV1)!)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'madvise_dofork', 'dup_mmap', 'do_munmap', 'mmu_notifier_invalidate_range_start', 'unmap_vmas']);
  });
});

describe("another task's mmput runs exit_mmap (remoteMmput)", () => {
  it('exit_files runs first; the other task pins a page with get_user_pages; its mmput unpins under the deferred unmap (INV-5 at arch_exit_mmap)', () => {
    const c = cfg('tiny', { remoteMmput: true, pins: 1, holderKinds: ['io'] });
    const trace: Action[] = [
      ...OPEN_MAP_MMAP,
      { kind: 'do_exit', p: 0, held: true },
      { kind: 'get_user_pages', p: 0, va: 0 },
      { kind: 'mmput', p: 0 },
      { kind: 'mmu_notifier_release', p: 0 },
      { kind: 'arch_exit_mmap', p: 0 },
    ];
    const states = run('gntdev-6.12', trace, c);
    expect(states[4]!.procs[0]).toMatchObject({ state: 'exiting', fds: [false] });
    expect(states[4]!.procs[0]!.op.kind).toBe('none');
    const m = modelOf(designNamed('gntdev-6.12')!, c);
    const inv5 = m.properties.find((p) => p.name === INV5)!;
    expect(inv5.kind === 'always' && inv5.holds(states.at(-1)!)).toMatch(/in an unpinned L1/);
  });
});

describe("MAP_FIXED in v6.12's order (close the old VMAs, mmap, then put their files)", () => {
  it('gntdev-6.12 on twomaps: every property holds, the same states as gntdev-2022 (the order is not observable with one gntdev file)', () => {
    const r = check(modelOf(designNamed('gntdev-6.12')!, configs.twomaps!));
    expect(r.violations).toEqual([]);
    expect(r.stats.distinctStates).toBe(4101);
    expect(check(modelOf(designNamed('gntdev-2022')!, configs.twomaps!)).stats.distinctStates).toBe(4101);
  });
});
