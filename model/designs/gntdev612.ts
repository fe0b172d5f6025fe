/**
 * Today's long-term kernel, v6.12: gntdev and gntalloc as in drivers/xen/gntdev.c and gntalloc.c
 * (read against the current mainline copy; the gntdev functions modelled are those of v6.1:
 * dbe97cff7dd9, 0991028cd495, 5c13a4a0291b, with vm_flags_set since v6.3), on the v6.12 core mm:
 * - munmap splits keep the original struct for the unmapped piece (mm/vma.c
 *   vms_gather_munmap_vmas: __split_vma(vma, start, 1) and __split_vma(next, end, 0));
 * - munmap's teardown runs after mmap_write_downgrade (vms_complete_munmap_vmas), so read-side
 *   calls interleave with it (config.readSide);
 * - mmap(MAP_FIXED) over a mapping: vms_gather_munmap_vmas, vms_clean_up_area (PTEs cleared, page
 *   tables freed, vm_ops->close), then the new VMA's f_op->mmap, then vms_complete_munmap_vmas
 *   puts the old files (mm/mmap.c __mmap_region).
 * The behaviours that are configuration switches (MADV_DONTNEED, mremap, MADV_DOFORK, another
 * task's mmput, read-side concurrency) apply to it as to every design (docs/findings.md).
 */
import type { Design } from '../design.js';
import { gntalloc2022 } from './gntalloc2022.js';
import { gntdev2022 } from './gntdev2022.js';

export const gntdev612: Design = {
  ...gntdev2022,
  name: 'gntdev-6.12',
  base: 'gntdev-2022',
  origin: 'Linux v6.12 drivers/xen/gntdev.c on the v6.12 mm (mm/vma.c, mm/mmap.c __mmap_region), PV',
  summary: "gntdev-2022's driver on v6.12's mm: munmap unmaps the original VMA struct and downgrades to read; MAP_FIXED closes the old VMAs before the new mmap",
  munmapSplit: 'original-unmapped',
  munmapDowngrade: true,
  mapFixedOrder: 'v6.12',
};

/** gntalloc in v6.12: gntalloc-2022's choices (__del_gref: gnttab_end_foreign_access(ref, page), per-VMA private data). */
export const gntalloc612: Design = {
  ...gntalloc2022,
  name: 'gntalloc-6.12',
  base: 'gntalloc-2022',
  origin: 'Linux v6.12 drivers/xen/gntalloc.c (__del_gref as since d3b6372c5881, gnttab_end_foreign_access taking the page), read against the current mainline copy',
  summary: "today's gntalloc: the same choices as gntalloc-2022, on v6.12's mm (munmap unmaps the original VMA struct)",
  munmapSplit: 'original-unmapped',
  mapFixedOrder: 'v6.12',
};
