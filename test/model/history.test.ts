// Kernel history as a test of the model: each gntdev era had a bug that the next one fixed, and
// seed 001's notifier protocol V3 had a hole that V5 closed. Each regression is asserted twice: the
// BFS finds it (shortest counterexample), and the exact trace the fix addressed fails on the old
// design and is clean on the new one.
import { describe, expect, it } from 'vitest';
import { check, type StepProperty } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { configs, designNamed, type Action, type State } from '../../model/index.js';
import { INV1, NO_USE_AFTER_FREE, NOTIFIER_LIFECYCLE, SMMU_COHERENT } from '../../properties/index.js';
import { MUNMAP_STEPS, OPEN_MAP_MMAP, model, run } from './helpers.js';

/** The first step (1-based) at which `property` fails along the trace, or undefined. */
function firstViolation(design: string, config: string, actions: readonly Action[], property: string): number | undefined {
  const m = model(design, config);
  const p = m.properties.find((x) => x.name === property)!;
  const states = run(design, actions, config);
  for (let i = 1; i < states.length; i++) {
    const ok = p.kind === 'step' ? (p as StepProperty<State, Action>).holds(states[i - 1]!, actions[i - 1]!, states[i]!) : p.kind === 'always' ? p.holds(states[i]!) : true;
    if (ok !== true) return i;
  }
  return undefined;
}

describe('regression case 1: partial munmap of a split gntdev VMA (5c13a4a0291b)', () => {
  const partial: Action[] = [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 0, end: 1 }, ...MUNMAP_STEPS()];

  for (const era of ['gntdev-2.6.38', 'gntdev-2011', 'gntdev-2013', 'gntdev-2019']) {
    it(`${era}: the shortest INV-1 counterexample is the partial munmap (map->vma is the surviving piece)`, () => {
      const r = check(modelOf(designNamed(era)!, configs.tiny!), { properties: [INV1] });
      const v = r.violations.find((x) => x.property === INV1)!;
      expect(v.trace.slice(1).map((s) => s.action!.kind)).toEqual([
        'gntdev_open',
        'gntdev_ioctl_map_grant_ref',
        'gntdev_mmap',
        'do_munmap',
        'mmu_notifier_invalidate_range_start',
        'unmap_vmas',
      ]);
      expect(v.clause).toBe('unmap_vmas implicitly unmapped map 0 slot 0 (process 0 page 0): the PTE was cleared while the handle is live');
      expect(firstViolation(era, 'tiny', partial, INV1)).toBe(6);
    });
  }

  it('gntdev-2022 bounds the invalidation by pages_vm_start: the same munmap unmaps slot 0 explicitly', () => {
    expect(firstViolation('gntdev-2022', 'tiny', partial, INV1)).toBeUndefined();
    const r = check(modelOf(designNamed('gntdev-2022')!, configs.standard!), { properties: [INV1] });
    expect(r.status).toBe('ok');
    expect(r.witnesses.find((w) => w.name === 'a VMA splits with live grants')!.reached).toBe(true);
  });

  it('gntdev-2019 also removes the notifier at the VMA close of the piece munmapped first: munmapping the second piece later is missed too', () => {
    const s = run('gntdev-2019', [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 1, end: 2 }, ...MUNMAP_STEPS()], 'tiny').at(-1)!;
    expect(s.maps[0]!.notifier).toBe('removed');
    expect(s.maps[0]!.vma).toBe(-1);
    expect(s.procs[0]!.vmas).toHaveLength(1); // [0, 1) still mapped, with no notifier watching it
  });
});

describe('freeable_maps (2013): a map unlinked by the unmap ioctl while still mmapped', () => {
  const unlinked: Action[] = [...OPEN_MAP_MMAP, { kind: 'gntdev_ioctl_unmap_grant_ref', p: 0, file: 0, map: 0 }, { kind: 'do_munmap', p: 0, start: 0, end: 2 }, ...MUNMAP_STEPS()];

  it('gntdev-2011: the per-file notifier walks priv->maps only and misses it: implicit unmap at the zap', () => {
    expect(firstViolation('gntdev-2011', 'tiny', unlinked, INV1)).toBe(7);
  });

  it('gntdev-2013: the notifier also walks priv->freeable_maps and unmaps it', () => {
    expect(firstViolation('gntdev-2013', 'tiny', unlinked, INV1)).toBeUndefined();
  });
});

describe('regression case 8: close before munmap (68b025c813c2, reference counting)', () => {
  it('gntdev-2.6.38 frees a map it cannot delete while it is still on priv->maps: a use-after-free', () => {
    const r = check(modelOf(designNamed('gntdev-2.6.38')!, configs.tiny!), { properties: [NO_USE_AFTER_FREE] });
    const v = r.violations.find((x) => x.property === NO_USE_AFTER_FREE)!;
    expect(v.clause).toBe("file 0's priv->maps still links freed map 0");
    const kinds = v.trace.slice(1).map((s) => s.action!.kind);
    expect(kinds.slice(0, 4)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'close']);
    expect(kinds.at(-1)).toBe('remove_vma'); // the last VMA's fput runs gntdev_release
  });

  for (const era of ['gntdev-2011', 'gntdev-2013', 'gntdev-2019', 'gntdev-2022']) {
    it(`${era}: reference counting keeps the map alive until the munmap; no use-after-free`, () => {
      const r = check(modelOf(designNamed(era)!, configs.small!), { properties: [NO_USE_AFTER_FREE] });
      expect(r.properties.find((p) => p.name === NO_USE_AFTER_FREE)!.outcome).toBe('holds');
      expect(r.witnesses.find((w) => w.name === 'the ioctl unmap happens while the map is still mmapped')!.reached).toBe(true);
    });
  }
});

describe('the notifier protocol (seed 001): V3 vs V5, with each kind of secondary MMU', () => {
  it('notifier-v3: a GRU fault that read the PTE before the clear installs a mapping of a page that is then freed', () => {
    const r = check(modelOf(designNamed('notifier-v3')!, configs['smmu-gru']!));
    const v = r.violations.find((x) => x.property === SMMU_COHERENT)!;
    const kinds = v.trace.slice(1).map((s) => s.action!.kind);
    const fault = kinds.indexOf('smmu_fault');
    expect(fault).toBeGreaterThan(0);
    expect(kinds.indexOf('unmap_vmas')).toBeGreaterThan(fault);
    expect(kinds.indexOf('mmu_notifier_invalidate_range')).toBeGreaterThan(kinds.indexOf('unmap_vmas'));
    expect(kinds.at(-1)).toBe('smmu_install');
    expect(v.clause).toMatch(/still maps page 0 to map 0 slot 0's page, which was freed/);
  });

  for (const cfg of ['smmu-gru', 'smmu-kvm', 'smmu-xpmem']) {
    it(`notifier-v5 holds secondary-MMU coherence and release with ${cfg}, and the race is reached`, () => {
      const r = check(modelOf(designNamed('notifier-v5')!, configs[cfg]!));
      expect(r.status).toBe('ok');
      expect(r.exhaustive).toBe(true);
      for (const w of r.witnesses) expect(w.reached, w.name).toBe(true);
      expect(r.witnesses.find((w) => w.name === 'a secondary fault races with an invalidation')!.reached).toBe(true);
    });
  }

  it('with KVM (gup references) V3 installs stale sptes, but the reference keeps the page from being freed', () => {
    const r = check(modelOf(designNamed('notifier-v3')!, configs['smmu-kvm']!));
    expect(r.properties.find((p) => p.name === SMMU_COHERENT)!.outcome).toBe('holds');
  });
});

describe('a finding: gntdev-2022 PV with a page reference held across munmap (kernel-reference §6.1)', () => {
  // Why this test? gntdev's interval notifier runs before classic subscribers; the async unmap
  // (dbe97cff7dd9) defers while page_count > 1 and the notifier returns; the core mm then zaps the
  // grant PTE: an implicit unmap. The core configurations hold no page references, so
  // gntdev-2022 holds there; this pins the scenario so that a model change cannot hide it.
  it('a KVM fault in progress during munmap leads to an implicit unmap', () => {
    const r = check(modelOf(designNamed('gntdev-2022')!, configs['smmu-kvm']!), { properties: [INV1] });
    const v = r.violations.find((x) => x.property === INV1)!;
    expect(v.trace.slice(1).map((s) => s.action!.kind)).toEqual([
      'gntdev_open',
      'gntdev_ioctl_map_grant_ref',
      'gntdev_mmap',
      'mmu_notifier_register',
      'smmu_fault',
      'do_munmap',
      'mmu_notifier_invalidate_range_start',
      'unmap_vmas',
    ]);
    const atStart = v.trace[7]!.state;
    expect(atStart.inflight).toEqual([{ map: 0, offset: 0, count: 1 }]);
  });

  it('in HVM there is no grant PTE to zap: gntdev-2022-hvm holds with KVM', () => {
    expect(check(modelOf(designNamed('gntdev-2022-hvm')!, configs['smmu-kvm']!)).status).toBe('ok');
  });
});

describe('gntdev 2019 removes the interval notifier at every VMA close (d3eeb1d77c5d)', () => {
  const SPLIT_THEN_REST: Action[] = [
    { kind: 'gntdev_open', p: 0 },
    { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
    { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
    { kind: 'do_munmap', p: 0, start: 0, end: 1 },
    { kind: 'mmu_notifier_invalidate_range_start', p: 0 },
    { kind: 'unmap_vmas', p: 0 },
    { kind: 'mmu_notifier_invalidate_range_end', p: 0 },
    { kind: 'free_pgtables', p: 0 },
    { kind: 'remove_vma', p: 0 },
    { kind: 'do_munmap', p: 0, start: 0, end: 2 },
    { kind: 'mmu_notifier_invalidate_range_start', p: 0 },
    { kind: 'unmap_vmas', p: 0 },
    { kind: 'mmu_notifier_invalidate_range_end', p: 0 },
    { kind: 'free_pgtables', p: 0 },
    { kind: 'remove_vma', p: 0 },
  ];

  it('after a split, the second close removes it again: the lifecycle property fails (15 steps)', () => {
    const r = check(modelOf(designNamed('gntdev-2019')!, configs.small!), { properties: [NOTIFIER_LIFECYCLE], stopAtFirstViolation: true });
    const v = r.violations.find((x) => x.property === NOTIFIER_LIFECYCLE)!;
    expect(v.trace.slice(1).map((s) => s.action)).toEqual(SPLIT_THEN_REST);
    expect(v.clause).toMatch(/map 0's interval notifier was removed again after its removal/);
  });

  it('gntdev-2022 removes it once, at the final put: the property holds, and the removal is reached', () => {
    const r = check(modelOf(designNamed('gntdev-2022')!, configs.small!), { properties: [NOTIFIER_LIFECYCLE] });
    expect(r.violations).toEqual([]);
    expect(r.witnesses.every((w) => w.reached)).toBe(true);
  });
});

describe("gntdev 2011's CLEAR_BYTE through copy_to_user (v3.0-era __unmap_grant_pages)", () => {
  const exitWithNotify: Action[] = [
    ...OPEN_MAP_MMAP,
    { kind: 'gntdev_ioctl_set_unmap_notify', p: 0, file: 0, map: 0 },
    { kind: 'do_exit', p: 0 },
    { kind: 'mmu_notifier_release', p: 0 },
    { kind: 'arch_exit_mmap', p: 0 },
  ];

  it('at exit current->mm is NULL: the write faults, mn_release unmaps nothing, and the unpin drops the grant PTEs (INV-1)', () => {
    const states = run('gntdev-2011', exitWithNotify, 'small');
    const released = states[6]!;
    expect(released.handles.filter((h) => h.kind === 'user')).toHaveLength(2);
    expect(released.maps[0]!.notify).toMatchObject({ clear: true, cleared: 0 });
    expect(firstViolation('gntdev-2011', 'small', exitWithNotify, INV1)).toBe(7);
  });

  it('a munmap by the process itself writes the byte and unmaps; gntdev-2013 writes through the kernel address, also at exit', () => {
    const munmap: Action[] = [...OPEN_MAP_MMAP, { kind: 'gntdev_ioctl_set_unmap_notify', p: 0, file: 0, map: 0 }, { kind: 'do_munmap', p: 0, start: 0, end: 2 }, ...MUNMAP_STEPS()];
    expect(firstViolation('gntdev-2011', 'small', munmap, INV1)).toBeUndefined();
    expect(run('gntdev-2011', munmap, 'small').at(-1)!.maps[0]!.notify.cleared).toBe(1);
    expect(firstViolation('gntdev-2013', 'small', exitWithNotify, INV1)).toBeUndefined();
  });
});
