/**
 * The model's actions: one per kernel (or Xen, or granter) entry point, named as the kernel names
 * the function, with its parameters as data. `p` is the process of A that makes the call.
 */
import type { DelGrefStep, TeardownStep } from './state.js';

/**
 * A failure the map hypercalls of one mmap may meet: none, one slot's user-PTE or kernel-alias map,
 * one slot's p2m update after both maps succeeded (set_foreign_p2m_mapping, PV), or the notifier
 * insert.
 */
export type MapFail = 'none' | `user${number}` | `kernel${number}` | `p2m${number}` | 'notifier';

export type Action =
  /** open("/dev/xen/gntdev"): gntdev_open. */
  | { readonly kind: 'gntdev_open'; readonly p: number }
  /** close(fd): filp_close -> fput; the last reference runs gntdev_release (gntalloc_release for a gntalloc fd). */
  | { readonly kind: 'close'; readonly p: number; readonly file: number; readonly driver?: 'gntalloc' }
  /** IOCTL_GNTDEV_MAP_GRANT_REF of `count` refs: gntdev_ioctl_map_grant_ref. */
  | { readonly kind: 'gntdev_ioctl_map_grant_ref'; readonly p: number; readonly file: number; readonly count: number }
  /** IOCTL_GNTDEV_UNMAP_GRANT_REF of map `map`'s (index, count): gntdev_ioctl_unmap_grant_ref. */
  | { readonly kind: 'gntdev_ioctl_unmap_grant_ref'; readonly p: number; readonly file: number; readonly map: number }
  /** IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR: gntdev_ioctl_get_offset_for_vaddr. */
  | { readonly kind: 'gntdev_ioctl_get_offset_for_vaddr'; readonly p: number; readonly va: number }
  /** IOCTL_GNTDEV_SET_UNMAP_NOTIFY (clear byte + send event, page 0): gntdev_ioctl_notify. */
  | { readonly kind: 'gntdev_ioctl_set_unmap_notify'; readonly p: number; readonly file: number; readonly map: number }
  /** mmap(fd, offset = map index) at `va` (NONE: the kernel picks; else MAP_FIXED): mmap_region -> gntdev_mmap. */
  | { readonly kind: 'gntdev_mmap'; readonly p: number; readonly file: number; readonly map: number; readonly va: number; readonly fail: MapFail }
  /** The rest of a failed gntdev_mmap: its out_put_map path, then mmap_region's unmap_region. */
  | { readonly kind: 'gntdev_mmap_error_path'; readonly p: number }
  /** munmap(start, end): do_munmap's split and detach; the steps follow as their own actions. */
  | { readonly kind: 'do_munmap'; readonly p: number; readonly start: number; readonly end: number }
  /**
   * One step of the exit_mmap or munmap sequence in progress in p's mm: one member per step kind,
   * so that the action of each kind (and its rule) has a type of its own.
   */
  | { readonly [K in TeardownStep]: { readonly kind: K; readonly p: number } }[TeardownStep]
  /** do_exit -> exit_files: the exited process's file descriptors are closed. */
  | { readonly kind: 'exit_files'; readonly p: number }
  /**
   * do_exit -> exit_mm -> exit_mmap begins (the process has no threads left). `held`: another
   * task holds the mm (config.remoteMmput), so exit_mm's mmput is not the last and exit_files runs
   * now; exit_mmap waits for that task's mmput.
   */
  | { readonly kind: 'do_exit'; readonly p: number; readonly held?: boolean }
  /**
   * madvise(start, end - start, MADV_DONTNEED) by process p: zap_page_range_single over a range of
   * one VMA (madvise_dontneed_single_vma). With config.readSide 0 one action; else it begins here
   * and runs as madvise_step actions.
   */
  | { readonly kind: 'madvise_dontneed_single_vma'; readonly p: number; readonly start: number; readonly end: number }
  /** The next step of process p's MADV_DONTNEED in progress number `r` (config.readSide > 0). */
  | { readonly kind: 'madvise_step'; readonly p: number; readonly r: number }
  /** madvise(MADV_DOFORK) on the VMA starting at `start`: VM_DONTCOPY cleared. */
  | { readonly kind: 'madvise_dofork'; readonly p: number; readonly start: number }
  /** mremap(old = the VMA starting at `start`, same size, MREMAP_MAYMOVE | MREMAP_FIXED, new = `to`): move_vma. */
  | { readonly kind: 'mremap'; readonly p: number; readonly start: number; readonly to: number }
  /** Another task's mmput drops the last reference to exited process p's mm: exit_mmap begins. */
  | { readonly kind: 'mmput'; readonly p: number }
  /** fork(): dup_mmap into the first unused process. */
  | { readonly kind: 'dup_mmap'; readonly p: number }
  /** The delayed work of gnttab_unmap_refs_async retrying a deferred unmap: gnttab_unmap_work. */
  | { readonly kind: 'gnttab_unmap_work'; readonly map: number; readonly offset: number }
  /** mmu_notifier_register of the secondary MMU on p's mm (under mmap_lock). */
  | { readonly kind: 'mmu_notifier_register'; readonly p: number }
  /** A secondary-MMU fault reads the primary PTE at `va` (KVM get_user_pages, GRU follow_page). */
  | { readonly kind: 'smmu_fault'; readonly p: number; readonly va: number }
  /** The secondary-MMU fault installs its mapping (or, V5, retries). */
  | { readonly kind: 'smmu_install'; readonly p: number }
  /** XPmem's remote side acknowledges an invalidation. */
  | { readonly kind: 'xpmem_remote_ack'; readonly p: number }
  /** get_user_pages on p's page `va` for an O_DIRECT read (an I/O holder: bio, DMA, retransmit). */
  | { readonly kind: 'get_user_pages'; readonly p: number; readonly va: number }
  /** A GPU userptr object pins p's page `va` (it unpins only from its own notifier callback). */
  | { readonly kind: 'gpu_userptr_pin'; readonly p: number; readonly va: number }
  /** I/O holder `h`'s device accesses the page at its DMA address. */
  | { readonly kind: 'dma_access'; readonly h: number }
  /** I/O holder `h` completes: dma_unmap_page by DMA address, then put_page. */
  | { readonly kind: 'dma_unmap_page'; readonly h: number }
  /** B, a frontend before XSA-396: gnttab_query_foreign_access (racy: "in use" now, stale once it returns). */
  | { readonly kind: 'gnttab_query_foreign_access'; readonly ref: number }
  /** B: gnttab_end_foreign_access_ref (atomic revoke; fails while mapped). */
  | { readonly kind: 'gnttab_end_foreign_access_ref'; readonly ref: number }
  /** B: frees the page behind a revoked ref (free_page). */
  | { readonly kind: 'free_page'; readonly ref: number }
  /** B: grants a (new) page under the ref again (gnttab_grant_foreign_access). */
  | { readonly kind: 'gnttab_grant_foreign_access'; readonly ref: number }
  // --- gntalloc: A grants its own pages ---------------------------------------------------------
  /** open("/dev/xen/gntalloc"): gntalloc_open. */
  | { readonly kind: 'gntalloc_open'; readonly p: number }
  /**
   * IOCTL_GNTALLOC_ALLOC_GREF of `count` pages for remote domain `dom`, at the kernel's offset
   * (offset NONE) or at `offset` (the seed's MAP_FIXED-like flag): gntalloc_ioctl_alloc through
   * add_grefs' grants (the remote may map them before the ioctl returns).
   */
  | { readonly kind: 'gntalloc_ioctl_alloc'; readonly p: number; readonly file: number; readonly count: number; readonly dom: number; readonly offset: number }
  /** The end of that ioctl: add_grefs splices the grefs onto gref_list and priv->list; the ioctl returns. */
  | { readonly kind: 'add_grefs_splice'; readonly p: number }
  /** IOCTL_GNTALLOC_DEALLOC_GREF of (index, count): gntalloc_ioctl_dealloc. */
  | { readonly kind: 'gntalloc_ioctl_dealloc'; readonly p: number; readonly file: number; readonly index: number; readonly count: number }
  /** IOCTL_GNTALLOC_SET_UNMAP_NOTIFY (clear byte + send event) on the gref at file offset `index`: gntalloc_ioctl_unmap_notify. */
  | { readonly kind: 'gntalloc_ioctl_unmap_notify'; readonly p: number; readonly file: number; readonly index: number }
  /** IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR (seed 004's proposal). */
  | { readonly kind: 'gntalloc_ioctl_get_offset_for_vaddr'; readonly p: number; readonly va: number }
  /** mmap(fd, offset = pgoff, count pages, MAP_SHARED): mmap_region -> gntalloc_mmap. */
  | { readonly kind: 'gntalloc_mmap'; readonly p: number; readonly file: number; readonly pgoff: number; readonly count: number }
  /** gntalloc 2011: the rest of __del_gref after its query: gnttab_end_foreign_access_ref, free ref and page (per design). */
  | { readonly kind: '__del_gref' }
  /**
   * One part of today's __del_gref (drivers/xen/gntalloc.c), when it runs split (an explicit
   * delGrefOrder, or the orderings tool): notify, revoke (gnttab_end_foreign_access) or free.
   */
  | { readonly kind: '__del_gref_step'; readonly step: DelGrefStep }
  /** gnttab_add_deferred's kmalloc returns: the entry joins deferred_list, or (kmallocFails) the ref and page leak. */
  | { readonly kind: 'gnttab_add_deferred'; readonly kmallocFails: boolean }
  /** The deferred-free timer: gnttab_handle_deferred. */
  | { readonly kind: 'gnttab_handle_deferred' }
  /** A remote domain maps A's grant ref (GNTTABOP_map_grant_ref in that domain), at any moment. */
  | { readonly kind: 'remote_map_grant_ref'; readonly dom: number; readonly ref: number }
  /** A remote domain unmaps it (GNTTABOP_unmap_grant_ref). */
  | { readonly kind: 'remote_unmap_grant_ref'; readonly dom: number; readonly ref: number };

/** Every action kind. */
export type ActionKind = Action['kind'];

/** Every action kind once (the type makes the list complete). */
const KINDS: { readonly [K in ActionKind]-?: true } = {
  gntdev_open: true,
  close: true,
  gntdev_ioctl_map_grant_ref: true,
  gntdev_ioctl_unmap_grant_ref: true,
  gntdev_ioctl_get_offset_for_vaddr: true,
  gntdev_ioctl_set_unmap_notify: true,
  gntdev_mmap: true,
  gntdev_mmap_error_path: true,
  do_munmap: true,
  mmu_notifier_release: true,
  arch_exit_mmap: true,
  arch_exit_mmap_pre: true,
  arch_exit_mmap_post: true,
  mmu_notifier_invalidate_all: true,
  mmu_notifier_invalidate_range_start: true,
  unmap_vmas: true,
  mmu_notifier_invalidate_range: true,
  mmu_notifier_invalidate_range_end: true,
  free_pgtables: true,
  remove_vma: true,
  exit_files: true,
  do_exit: true,
  dup_mmap: true,
  madvise_dontneed_single_vma: true,
  madvise_step: true,
  madvise_dofork: true,
  mremap: true,
  mmput: true,
  gnttab_unmap_work: true,
  mmu_notifier_register: true,
  smmu_fault: true,
  smmu_install: true,
  xpmem_remote_ack: true,
  get_user_pages: true,
  gpu_userptr_pin: true,
  dma_access: true,
  dma_unmap_page: true,
  gnttab_query_foreign_access: true,
  gnttab_end_foreign_access_ref: true,
  free_page: true,
  gnttab_grant_foreign_access: true,
  gntalloc_open: true,
  gntalloc_ioctl_alloc: true,
  add_grefs_splice: true,
  gntalloc_ioctl_dealloc: true,
  gntalloc_ioctl_unmap_notify: true,
  gntalloc_ioctl_get_offset_for_vaddr: true,
  gntalloc_mmap: true,
  __del_gref: true,
  __del_gref_step: true,
  gnttab_add_deferred: true,
  gnttab_handle_deferred: true,
  remote_map_grant_ref: true,
  remote_unmap_grant_ref: true,
};

/** Every action kind of the model, in a fixed order. */
export const ACTION_KINDS = Object.keys(KINDS) as readonly ActionKind[];

/** How an action is printed: `gntdev_mmap(p=0, file=0, map=0, fail=user1)`. NONE-valued and default parameters are left out. */
export function formatAction(a: Action): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(a)) {
    if (k === 'kind') continue;
    if (k === 'va' && v === -1) continue;
    if (k === 'offset' && v === -1) continue;
    if (k === 'fail' && v === 'none') continue;
    parts.push(`${k}=${String(v)}`);
  }
  return `${a.kind}(${parts.join(', ')})`;
}
