// Foreign pages under get_user_pages and DMA (issue 5): regression cases 19 (gup on a foreign PTE
// returns the wrong page), 18 (the kernel linear map absent between unmap and reinstatement),
// 9 (a page accessed after its grant was unmapped) and 4 (the 2015 sync unmap deadlocks against a
// GPU holder), Draft B's page-array split, and the DMA unmap's reverse lookup (seed 003).
import { describe, expect, it } from 'vitest';
import { check } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { configs, designNamed } from '../../model/index.js';
import { BACKING, DMA_UNMAP, INV1, INV4, INV6, KMAP, NO_ACCESS_AFTER_UNMAP } from '../../properties/index.js';

function outcome(design: string, config: string, property: string) {
  const r = check(modelOf(designNamed(design)!, configs[config]!), { properties: [property] });
  expect(r.exhaustive || r.status === 'violation').toBe(true);
  const p = r.properties.find((x) => x.name === property)!;
  return { outcome: p.outcome, violation: r.violations.find((v) => v.property === property), result: r };
}

const kinds = (v: { trace: readonly { action?: { kind: string } }[] }) => v.trace.slice(1).map((s) => s.action!.kind);

describe('case 19: get_user_pages on a foreign PTE (INV-6)', () => {
  it('plain-m2p: gup_fast translates B frame through the global M2P: an unrelated page of A', () => {
    const { violation } = outcome('plain-m2p', 'gup-io', INV6);
    expect(kinds(violation!)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'get_user_pages']);
    expect(violation!.clause).toMatch(/returned B's pfn of frame 0 through M2P: an unrelated page of A/);
  });

  it('m2p-override finds the placeholder, unless one frame is mapped at two places: the newest entry answers', () => {
    expect(outcome('m2p-override', 'gup-io', INV6).outcome).toBe('holds');
    const { violation } = outcome('m2p-override', 'gup-twice', INV6);
    expect(violation!.clause).toBe("get_user_pages(page 0) returned map 1 slot 0's page, but the PTE maps map 0 slot 0");
  });

  it('find-special-page answers from the map itself, even for one frame at two places and after a split', () => {
    for (const cfg of ['gup-io', 'gup-twice']) {
      const r = outcome('find-special-page', cfg, INV6);
      expect(r.outcome).toBe('holds');
      expect(r.result.witnesses.find((w) => w.name === 'gup holds a page of a grant mapping')!.reached).toBe(true);
    }
    expect(outcome('find-special-page', 'gup-twice', INV6).result.witnesses.find((w) => w.name === 'one frame is mapped at two places')!.reached).toBe(true);
  });

  it('Draft B (seed 003): the page array must be split with the VMA', () => {
    expect(outcome('draft-b-page-array', 'gup-io', INV6).outcome).toBe('holds');
    const { violation } = outcome('draft-b-page-array-no-split', 'gup-io', INV6);
    expect(kinds(violation!)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'do_munmap', 'get_user_pages']);
    expect(violation!.clause).toBe("get_user_pages(page 1) returned map 0 slot 0's page, but the PTE maps map 0 slot 1");
  });
});

describe('case 18: the kernel linear map between unmap and reinstatement', () => {
  it('m2p-override: the two-step unmap leaves a zero kernel mapping for a moment', () => {
    const { violation } = outcome('m2p-override', 'gup-io', KMAP);
    expect(kinds(violation!).at(-1)).toBe('mmu_notifier_invalidate_range_start');
    expect(violation!.clause).toMatch(/left as a zero mapping before the original was reinstated/);
  });

  it('GNTTABOP_unmap_and_replace swaps the original back atomically', () => {
    const r = outcome('m2p-override-unmap-and-replace', 'gup-io', KMAP);
    expect(r.outcome).toBe('holds');
    expect(r.result.witnesses.find((w) => w.name === 'a kernel alias is unmapped')!.reached).toBe(true);
  });
});

describe('case 9: unmap only when nothing else references the page', () => {
  it('unmap-regardless: an O_DIRECT/DMA holder touches B frame after the grant went', () => {
    const { violation } = outcome('unmap-regardless', 'gup-io', NO_ACCESS_AFTER_UNMAP);
    expect(kinds(violation!)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'get_user_pages', 'do_munmap', 'mmu_notifier_invalidate_range_start', 'dma_access']);
  });

  for (const fixed of ['sync-unmap', 'gntdev-2022', 'gntdev-2022-hvm']) {
    it(`${fixed} waits for the reference before unmapping: no access after unmap`, () => {
      const r = outcome(fixed, 'gup-io', NO_ACCESS_AFTER_UNMAP);
      expect(r.outcome).toBe('holds');
      expect(r.result.witnesses.find((w) => w.name === 'I/O is in flight while its grant is being unmapped')!.reached).toBe(true);
    });
  }
});

describe('case 4 (INV-4): the 2015 sync unmap waits inside the notifier for a GPU holder that waits for the notifier', () => {
  it('sync-unmap: a wait-for cycle, named, and the exiting process deadlocks', () => {
    const r = check(modelOf(designNamed('sync-unmap')!, configs.gpu!));
    const v = r.violations.find((x) => x.property === INV4)!;
    expect(v.clause).toContain("gpu holder 0 waits for process 0 (it drops its reference only in its own notifier callback, which runs after gntdev's in the same chain)");
    expect(v.clause).toContain('process 0 waits for gpu holder 0');
    expect(v.clause).toContain('gnttab_unmap_refs_sync waits for page_count <= 1');
    const d = r.deadlocks[0]!;
    expect(d.disabled.some((x) => /gnttab_unmap_refs_sync waits for page_count <= 1/.test(x.reason))).toBe(true);
  });

  it('gntdev-2022 (async, dbe97cff7dd9) has no cycle; in HVM it holds everything', () => {
    expect(outcome('gntdev-2022', 'gpu', INV4).outcome).toBe('holds');
    expect(check(modelOf(designNamed('gntdev-2022-hvm')!, configs.gpu!)).status).toBe('ok');
  });

  it('but in PV the deferred unmap lets the zap clear the grant PTE (the finding of kernel-reference §6.1)', () => {
    const { violation } = outcome('gntdev-2022', 'gpu', INV1);
    expect(kinds(violation!)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'gpu_userptr_pin', 'do_munmap', 'mmu_notifier_invalidate_range_start', 'unmap_vmas']);
  });
});

describe('seed 003: the DMA unmap knows only the machine address', () => {
  it('without the m2p override, dma_unmap on a non-coherent device cannot find the page', () => {
    for (const d of ['find-special-page', 'draft-b-page-array', 'sync-unmap']) {
      const { violation } = outcome(d, 'dma', DMA_UNMAP);
      expect(violation!.clause).toMatch(/mfn_to_pfn gives B's pfn \(an unrelated page\)/);
    }
  });

  it('HVM gives the device its own guest frame: the property does not apply', () => {
    const names = modelOf(designNamed('gntdev-2022-hvm')!, configs.dma!).properties.map((p) => p.name);
    expect(names).not.toContain(DMA_UNMAP);
  });
});

describe("gntdev 2022 keeps one map->unmap_data per map: a second unmap while the first one's work is pending overwrites it", () => {
  it('gntdev-2022 on gup-io: the pending work runs on the second run, the first run is never unmapped, and the map is freed with its page still grant-mapped (backing, 18 steps)', () => {
    const { violation } = outcome('gntdev-2022', 'gup-io', BACKING);
    expect(kinds(violation!)).toEqual([
      'gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'close', 'get_user_pages', 'do_munmap',
      'mmu_notifier_invalidate_range_start', 'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma',
      'do_munmap', 'mmu_notifier_invalidate_range_start', 'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma',
      'gnttab_unmap_work',
    ]);
    // the work scheduled for run [0, 1) ran on unmap_data as the second unmap left it: offset 1
    expect(violation!.trace.at(-1)!.action).toEqual({ kind: 'gnttab_unmap_work', map: 0, offset: 1 });
    expect(violation!.clause).toBe("map 0 slot 0's page was freed with p2m foreign: its own backing was not restored");
  });
});
