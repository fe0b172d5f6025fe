/**
 * A design is a set of choices at the model's variation points: a gntdev era, a seed's proposal,
 * a user's patch. Designs are data; the actions read them. A new design is a short file that
 * spreads a base design and overrides a few points (see model/designs/).
 */
import { DEL_GREF_STEPS, type DelGrefStep, type TeardownStep } from './state.js';

/** The variation points. Each names the kernel behaviour it selects. */
export interface Design {
  /** Fixed names: users, docs and CI refer to them. */
  readonly name: string;
  /** Where it comes from: a seed thread or a kernel era. */
  readonly origin: string;
  /** One line: what this design changes. */
  readonly summary: string;
  /** The design it is derived from (docs, `grantcheck designs`). */
  readonly base?: string;
  /** The configuration `grantcheck compare` and the tests use by default. */
  readonly defaultConfig: string;

  /** use_ptemod: PV (grant PTEs written by Xen into A's page tables) or HVM (grants mapped onto placeholder pages). */
  readonly pv: boolean;

  // --- exit_mmap and munmap: the teardown sequences (the orderings tool permutes them) ----------
  /** exit_mmap's steps, in order (mm/mmap.c exit_mmap + arch hooks). */
  readonly exitSteps: readonly TeardownStep[];
  /** munmap's steps after the split and detach (mm/mmap.c unmap_region + remove_vma). */
  readonly munmapSteps: readonly TeardownStep[];
  /**
   * Which struct a partial munmap's split leaves to the unmapped piece:
   * - original-survives: __split_vma(vma, start, 0) and __split_vma(last, end, 1): the new copies
   *   are the pieces that go, the original struct keeps the part that stays (mm/mmap.c
   *   __do_munmap up to v5.x; do_mas_align_munmap in v6.1, its comment: "mremap's move_vma
   *   VM_ACCOUNT handling assumes a partially unmapped vm_area_struct will remain in use");
   * - original-unmapped: __split_vma(vma, start, 1) and __split_vma(next, end, 0): the new copies
   *   keep what stays and the original struct is the unmapped piece (mm/vma.c
   *   vms_gather_munmap_vmas, v6.12; from "mm: change munmap splitting order and move_vma()").
   * gntdev 2011-2019 remember one struct (map->vma); 2022+ bound by pages_vm_start instead.
   */
  readonly munmapSplit: 'original-survives' | 'original-unmapped';
  /**
   * munmap drops mmap_lock to read before its teardown, so read-side calls (MADV_DONTNEED) run
   * between its steps (4.20+, "mm: mmap: zap pages with read mmap_sem in munmap"; v6.1
   * do_mas_align_munmap's mmap_write_downgrade; v6.12 vms_complete_munmap_vmas). Matters only with
   * config.readSide > 0.
   */
  readonly munmapDowngrade: boolean;
  /**
   * How mmap(MAP_FIXED) over an existing mapping orders the old range's teardown:
   * - munmap-first: do_munmap of the old range, all of it, then the new mapping (mm/mmap.c
   *   mmap_region up to v6.11);
   * - v6.12: vms_gather_munmap_vmas detaches the old VMAs, vms_clean_up_area clears their PTEs,
   *   frees the page tables and calls vm_ops->close, then the new VMA's f_op->mmap runs, and
   *   vms_complete_munmap_vmas puts the old VMAs' files last (mm/mmap.c __mmap_region, v6.12).
   */
  readonly mapFixedOrder: 'munmap-first' | 'v6.12';
  /**
   * What arch_exit_mmap does (PV):
   * - unpin: xen_exit_mmap unpins the pgd and every page-table page, unconditionally;
   * - unpin-unless-foreign: XenLinux: skip the early unpin when mm->context.has_foreign_mappings
   *   (arch_exit_mmap_pre), unpin after unmap_vmas instead (arch_exit_mmap_post).
   */
  readonly archExitMmap: 'unpin' | 'unpin-unless-foreign';
  /**
   * What unpinning a page-table page does to the grant PTEs in it:
   * - xen: Xen drops the PTE references (an implicit unmap of every grant PTE in it);
   * - shadow-teardown: seed 000's shadow page: unpin_page first unmaps every grant PTE of the page
   *   with the handle kept in the shadow page.
   */
  readonly unpinGrantPtes: 'xen' | 'shadow-teardown';
  /**
   * What the generic zap (zap_pte_range / set_pte) does to a grant PTE it clears:
   * - clear: clears it like any PTE (an implicit unmap unless the driver unmapped it first);
   * - zap-hook: XenLinux's vm_ops->zap_pte (gntdev_clear_pte) unmaps it with its handle;
   * - shadow: seed 000: set_pte finds the handle in the shadow page and unmaps it.
   */
  readonly zapGrantPte: 'clear' | 'zap-hook' | 'shadow';
  /** Seed 000's "restore physical backing" flag: the shadow teardown restores the page's own frame. */
  readonly restoreBacking: boolean;

  // --- gntdev ------------------------------------------------------------------------------------
  /**
   * The MMU notifier gntdev uses (PV only):
   * - none: no notifier (XenLinux: grants go at zap time);
   * - per-file: one classic mmu_notifier per open file on the opener's mm (2011-2019), whose
   *   invalidate/release walk priv->maps (and priv->freeable_maps when `freeableMaps`);
   * - per-map: an mmu_interval_notifier per map over its VMA (2019+).
   */
  readonly notifier: 'none' | 'per-file' | 'per-map';
  /** gntdev 2013-2019: the unmap ioctl moves a still-mmapped map to priv->freeable_maps, which the notifier also walks. */
  readonly freeableMaps: boolean;
  /** Which range an invalidation unmaps: map->vma's current bounds (2011-2019) or [pages_vm_start, +count) (2022). */
  readonly invalidateBounds: 'map-vma' | 'pages-vm-start';
  /**
   * When the per-map interval notifier is removed:
   * - every-close: gntdev_vma_close removes it under use_ptemod on every close, whichever piece of
   *   a split VMA closes (d3eeb1d77c5d, v5.5-6.0: "WARN_ON(map->vma != vma);
   *   mmu_interval_notifier_remove(&map->notifier); map->vma = NULL;"), so after a split the
   *   second close removes it again;
   * - final-put: gntdev_put_map removes it once, at the last reference (5c13a4a0291b, v6.1).
   */
  readonly notifierRemoval: 'every-close' | 'final-put';
  /**
   * IOCTL_GNTDEV_UNMAP_GRANT_REF while the map is still mmapped:
   * - ebusy: refused with -EBUSY while a VMA or a handle is set (gntdev 2.6.38's gntdev_del_map);
   *   otherwise unlinked and freed (or put, if reference counted);
   * - put: unlink and drop the list's reference; the VMA keeps the map (refcounted eras).
   */
  readonly unmapIoctl: 'ebusy' | 'put';
  /**
   * Which mmaps of a map are refused:
   * - in-use: at most one mmap in the map's lifetime (gntdev 2022, `in_use`);
   * - map-vma: refused while map->vma is set (2011-2019 PV);
   * - none: never refused (HVM before 2022).
   */
  readonly mmapOnce: 'in-use' | 'map-vma' | 'none';
  /** gntdev_vma_close clears map->vma (2011-2019). */
  readonly tracksMapVma: boolean;
  /**
   * How unmap_grant_pages waits for other references to the pages:
   * - none: unmaps at once even if referenced (before 2015);
   * - sync: gnttab_unmap_refs_sync, blocking until page_count <= 1 (2015-2022);
   * - async: gnttab_unmap_refs_async, deferred while referenced (2022).
   */
  readonly unmapWait: 'none' | 'sync' | 'async';
  /** live_grants and being_removed[] (2022): skip pages already submitted, count handles. */
  readonly liveGrants: boolean;
  /** When SEND_EVENT fires at the final put: after the grants are unmapped (2022) or before (2011-2019 HVM path). */
  readonly notifyEvent: 'after-unmap' | 'before-unmap';
  /** Whether the design has IOCTL_GNTDEV_SET_UNMAP_NOTIFY at all (XenLinux and 2.6.38 did not). */
  readonly hasUnmapNotify: boolean;
  /**
   * How __unmap_grant_pages clears the UNMAP_NOTIFY_CLEAR_BYTE byte in PV:
   * - copy-to-user: copy_to_user(map->vma->vm_start + notify.addr) in current's address space
   *   (v3.0-era gntdev.c): it fails (-EFAULT) when current has no mm (exit_mmap after exit_mm) or
   *   is another process, and __unmap_grant_pages then returns before unmapping anything, and
   *   unmap_grant_pages stops;
   * - kernel-address: a write through the page's kernel address (pfn_to_kaddr; every v4.x+ copy).
   * HVM always writes through a kernel mapping (kmap).
   */
  readonly clearByte: 'copy-to-user' | 'kernel-address';
  /** Grant PTEs carry _PAGE_SPECIAL (GNTMAP_guest_avail0, 2015+). */
  readonly specialPtes: boolean;
  /** The placeholder pages: ballooned (p2m invalid until mapped) or ordinary pages with their own frame. */
  readonly placeholder: 'ballooned' | 'own';
  /** XenLinux: gntdev mmap sets mm->context.has_foreign_mappings. */
  readonly setsHasForeignMappings: boolean;
  /** Maps are reference counted (`users`, 2.6.39+); 2.6.38 freed them by hand. */
  readonly refcounted: boolean;
  /** PV maps a kernel alias of each placeholder page too (kmap_ops, ~2012+); HVM always has its one host mapping. */
  readonly kernelAlias: boolean;
  /**
   * gntdev_mmap's error path unmaps the grants already mapped ("xen/gntdev: Fix partial
   * gntdev_mmap() cleanup", v4.16, stable 4.4.120); before, it left them to mmap_region's zap.
   */
  readonly mmapErrorUnmaps: boolean;
  /** gntdev_mmap's error path clears map->vma (2.6.39+; 2.6.38 left it pointing at the dead VMA). */
  readonly mmapErrorClearsVma: boolean;
  /**
   * The MMU-notifier protocol (seed 001):
   * - v5: invalidate_range_start/_end pairs around the zap (subscribers drop their mappings at
   *   start and hold off new ones until end), ->release at the start of exit_mmap (merged, 2.6.27);
   * - v3: one invalidate_range callback after the PTEs are cleared, invalidate_all at exit; no
   *   holding off.
   */
  readonly notifierProtocol: 'v3' | 'v5';

  // --- get_user_pages on a grant PTE, and the kernel alias (seeds 002, 003) -----------------------
  /**
   * How get_user_pages finds the struct page behind a PV grant PTE (the PTE holds B's machine frame):
   * - m2p: mfn_to_pfn through the global M2P, which gives B's pfn: the wrong page (case 19);
   * - m2p-override: mfn_to_pfn finds the local m2p override entry for the frame (2010-2014); one
   *   frame mapped at two places has two entries, and the lookup returns the newest;
   * - vma-page-array: Draft B (seed 003): gup_fast fails on the foreign frame, the slow path reads
   *   the VMA's array of pages;
   * - find-special-page: the grant PTE is special, gup_fast falls back, vm_normal_page asks
   *   vm_ops->find_special_page, gntdev answers map->pages[(addr - pages_vm_start) >> PAGE_SHIFT] (2015+).
   */
  readonly gupLookup: 'm2p' | 'm2p-override' | 'vma-page-array' | 'find-special-page';
  /** Draft B: the VMA's page array is split with the VMA (the design that forgets shifts nothing). */
  readonly pageArraySplit: boolean;
  /** m2p_add_override / m2p_remove_override keep the local override table (2010-2014). */
  readonly m2pOverride: boolean;
  /**
   * How the kernel alias of a page is unmapped: clear (p2m set back, 2015+), two-step
   * (GNTTABOP_unmap_grant_ref leaves a zero mapping, then the original is reinstated: case 18), or
   * unmap-and-replace (GNTTABOP_unmap_and_replace swaps the original in atomically: ee0726407fea).
   */
  readonly kunmap: 'clear' | 'two-step' | 'unmap-and-replace';

  /**
   * How domain B, the granting frontend, ends a grant before it frees or reuses the page:
   * - checked: gnttab_try_end_foreign_access (6b1775f26a2d, v5.17; blkfront abf1fd5919d6, netfront
   *   31185df7e2b1 after XSA-396): the page is reused only after the revoke succeeded;
   * - query-then-reuse: the frontends before XSA-396: gnttab_query_foreign_access, and on "not in
   *   use" gnttab_end_foreign_access(ref, 0, 0UL) with its result ignored; the page is reused even
   *   when the revoke failed because A mapped the ref after the query.
   */
  readonly granterRevoke: 'checked' | 'query-then-reuse';

  /**
   * Only in the orderings tool's family model: any step of this sequence not done yet may run next
   * (the design's list is the set of steps); the family search's variants (one per ordering) then
   * allow only the step each ordering has at that position. Absent in every named design.
   */
  readonly dynamicOrder?: { readonly sequence: 'exit' | 'munmap' | 'del_gref' };
  // --- gntalloc ---------------------------------------------------------------------------------
  /** gntalloc's variation points; absent = today's driver (GNTALLOC_2022), so gntdev designs need not say. */
  readonly gntalloc?: GntallocChoices;
}

/** gntalloc's variation points (drivers/xen/gntalloc.c and the grant-table calls it makes). */
export interface GntallocChoices {
  /**
   * How __del_gref ends the grant and gives the page back:
   * - query-revoke-free: gnttab_query_foreign_access, and if it says "not in use",
   *   gnttab_end_foreign_access_ref, then the ref and the page are freed whatever the revoke
   *   answered (XSA-396's description: "they assume that a following removal of the granted
   *   access will always succeed");
   * - query-revoke-return: the same query, then gnttab_end_foreign_access_ref, returning (the gref
   *   stays on gref_list with users 0, retried by a later do_cleanup) when either says "in use":
   *   the pre-2022 gntalloc.c source as read;
   * - end-foreign-access: gnttab_end_foreign_access(ref, page) (d3b6372c5881, 2022): revoke now,
   *   or hand the ref and the page to the deferred list; the gref itself is freed at once.
   */
  readonly delGref: 'query-revoke-free' | 'query-revoke-return' | 'end-foreign-access';
  /**
   * vm_private_data of a gntalloc VMA:
   * - first-gref: the first gref; vma open/close adjust only its users (2011, ~v3.3-3.6 copy);
   * - per-vma: struct gntalloc_vma_private_data {gref, users, count}; the last close puts all
   *   `count` grefs, walking gref_list (next_gref) from the first (today).
   */
  readonly vmPriv: 'first-gref' | 'per-vma';
  /**
   * File offsets of ALLOC_GREF:
   * - kernel: priv->index, monotonic (today);
   * - user-fixed: seed 004's proposal: a MAP_FIXED-like flag lets the caller choose the offset, and
   *   an offset overlapping a gref still on priv->list is refused; without the flag the kernel
   *   takes the first free run at or after priv->index.
   */
  readonly offsets: 'kernel' | 'user-fixed';
  /** IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR exists (seed 004's proposal): the VMA's vm_pgoff and size. */
  readonly getOffsetForVaddr: boolean;
  /**
   * Only with end-foreign-access: __del_gref's parts as separate actions, in this order (a
   * permutation of notify, revoke, free), so that the remote domains act between them. Absent: one
   * action, which is a sound reduction of the kernel's order (docs/model.md); the orderings tool
   * sets it to check the other orders.
   */
  readonly delGrefOrder?: readonly DelGrefStep[];
}

/** Today's gntalloc (v5.17+, after XSA-396): end_foreign_access with deferred free, per-VMA private data, kernel offsets. */
export const GNTALLOC_2022: GntallocChoices = { delGref: 'end-foreign-access', vmPriv: 'per-vma', offsets: 'kernel', getOffsetForVaddr: false };

/** The gntalloc choices of a design (today's driver unless the design says otherwise). */
export function gntallocOf(d: Design): GntallocChoices {
  return d.gntalloc ?? GNTALLOC_2022;
}

/** Today's exit_mmap order (v6.x): release the notifiers, unpin, zap, free page tables, close VMAs. */
export const EXIT_MMAP_STEPS: readonly TeardownStep[] = ['mmu_notifier_release', 'arch_exit_mmap', 'unmap_vmas', 'free_pgtables', 'remove_vma'];

/** munmap after split and detach: notifier start, zap, notifier end, free page tables, close VMAs. */
export const MUNMAP_STEPS: readonly TeardownStep[] = [
  'mmu_notifier_invalidate_range_start',
  'unmap_vmas',
  'mmu_notifier_invalidate_range_end',
  'free_pgtables',
  'remove_vma',
];

/** Steps each sequence must contain exactly once (the orderings tool permutes them). */
export const EXIT_REQUIRED: readonly TeardownStep[] = ['unmap_vmas', 'free_pgtables', 'remove_vma'];
export const MUNMAP_REQUIRED: readonly TeardownStep[] = ['unmap_vmas', 'free_pgtables', 'remove_vma'];

/** The fields of `Design` that are names, not choices. */
export const DESIGN_NAMES = ['name', 'origin', 'summary', 'base', 'defaultConfig'] as const;

/** A variation point's name: every field of `Design` but its names. */
export type PointName = Exclude<keyof Design, (typeof DESIGN_NAMES)[number]>;

/**
 * What a variation point may hold: one of a list of values, a boolean, a step list (checked by
 * validateDesign), gntalloc's choices (a record of its own), or the orderings tool's marker.
 */
export type PointDomain = { readonly values: readonly string[] } | 'boolean' | 'exit-steps' | 'munmap-steps' | 'gntalloc' | 'dynamic-order';

/** The values of an enumerated point (`satisfies` keeps each list within the field's type). */
const values = <T extends string>(...v: readonly T[]): { readonly values: readonly T[] } => ({ values: v });

/**
 * Every variation point with what it may hold. The table is the one list of points: patches,
 * design files and the checks below read it (a field added to `Design` without an entry here fails
 * to compile).
 */
export const VARIATION_POINTS: { readonly [K in PointName]-?: PointDomain } = {
  pv: 'boolean',
  exitSteps: 'exit-steps',
  munmapSteps: 'munmap-steps',
  munmapSplit: values<Design['munmapSplit']>('original-survives', 'original-unmapped'),
  munmapDowngrade: 'boolean',
  mapFixedOrder: values<Design['mapFixedOrder']>('munmap-first', 'v6.12'),
  archExitMmap: values<Design['archExitMmap']>('unpin', 'unpin-unless-foreign'),
  unpinGrantPtes: values<Design['unpinGrantPtes']>('xen', 'shadow-teardown'),
  zapGrantPte: values<Design['zapGrantPte']>('clear', 'zap-hook', 'shadow'),
  restoreBacking: 'boolean',
  notifier: values<Design['notifier']>('none', 'per-file', 'per-map'),
  freeableMaps: 'boolean',
  invalidateBounds: values<Design['invalidateBounds']>('map-vma', 'pages-vm-start'),
  notifierRemoval: values<Design['notifierRemoval']>('every-close', 'final-put'),
  unmapIoctl: values<Design['unmapIoctl']>('ebusy', 'put'),
  mmapOnce: values<Design['mmapOnce']>('in-use', 'map-vma', 'none'),
  tracksMapVma: 'boolean',
  unmapWait: values<Design['unmapWait']>('none', 'sync', 'async'),
  liveGrants: 'boolean',
  notifyEvent: values<Design['notifyEvent']>('after-unmap', 'before-unmap'),
  hasUnmapNotify: 'boolean',
  clearByte: values<Design['clearByte']>('copy-to-user', 'kernel-address'),
  specialPtes: 'boolean',
  placeholder: values<Design['placeholder']>('ballooned', 'own'),
  setsHasForeignMappings: 'boolean',
  refcounted: 'boolean',
  kernelAlias: 'boolean',
  mmapErrorUnmaps: 'boolean',
  mmapErrorClearsVma: 'boolean',
  notifierProtocol: values<Design['notifierProtocol']>('v3', 'v5'),
  gupLookup: values<Design['gupLookup']>('m2p', 'm2p-override', 'vma-page-array', 'find-special-page'),
  pageArraySplit: 'boolean',
  m2pOverride: 'boolean',
  kunmap: values<Design['kunmap']>('clear', 'two-step', 'unmap-and-replace'),
  granterRevoke: values<Design['granterRevoke']>('checked', 'query-then-reuse'),
  dynamicOrder: 'dynamic-order',
  gntalloc: 'gntalloc',
};

/** gntalloc's choices with what each may hold (delGrefOrder is a step list, checked apart). */
export const GNTALLOC_POINTS: { readonly [K in keyof GntallocChoices]-?: PointDomain | 'del-gref-order' } = {
  delGref: values<GntallocChoices['delGref']>('query-revoke-free', 'query-revoke-return', 'end-foreign-access'),
  vmPriv: values<GntallocChoices['vmPriv']>('first-gref', 'per-vma'),
  offsets: values<GntallocChoices['offsets']>('kernel', 'user-fixed'),
  getOffsetForVaddr: 'boolean',
  delGrefOrder: 'del-gref-order',
};

/** Why `value` is not what a point of this domain holds (one phrase), or undefined. */
function misfitPoint(domain: PointDomain | 'del-gref-order', value: unknown): string | undefined {
  if (domain === 'boolean') return typeof value === 'boolean' ? undefined : `is ${JSON.stringify(value)}, not true or false`;
  if (typeof domain === 'object') return domain.values.includes(value as string) ? undefined : `is ${JSON.stringify(value)}, not one of ${domain.values.map((v) => `'${v}'`).join(', ')}`;
  if (domain === 'dynamic-order') {
    const seq = (value as { sequence?: unknown } | undefined)?.sequence;
    return value === undefined || seq === 'exit' || seq === 'munmap' || seq === 'del_gref' ? undefined : "must be { sequence: 'exit' | 'munmap' | 'del_gref' }";
  }
  if (domain === 'gntalloc') return value === undefined || (value !== null && typeof value === 'object' && !Array.isArray(value)) ? undefined : 'must be a record of gntalloc choices';
  return Array.isArray(value) || (domain === 'del-gref-order' && value === undefined) ? undefined : 'must be a list of steps';
}

/** Throws a one-line error when a design holds a value a point cannot take, or its step lists are not runnable. */
export function validateDesign(d: Design): void {
  for (const [point, domain] of Object.entries(VARIATION_POINTS) as [PointName, PointDomain][]) {
    const why = misfitPoint(domain, d[point]);
    if (why) throw new Error(`design ${d.name}: ${point} ${why}`);
  }
  if (d.gntalloc) {
    for (const [point, domain] of Object.entries(GNTALLOC_POINTS) as [keyof GntallocChoices, PointDomain | 'del-gref-order'][]) {
      const why = misfitPoint(domain, d.gntalloc[point]);
      if (why) throw new Error(`design ${d.name}: gntalloc.${point} ${why}`);
    }
  }
  const check = (what: string, steps: readonly TeardownStep[], required: readonly TeardownStep[], allowed: readonly TeardownStep[]) => {
    for (const s of steps) {
      if (!allowed.includes(s)) throw new Error(`design ${d.name}: ${what} step '${s}' is not one of ${allowed.join(', ')}`);
    }
    if (new Set(steps).size !== steps.length) throw new Error(`design ${d.name}: ${what} lists a step twice`);
    for (const r of required) if (!steps.includes(r)) throw new Error(`design ${d.name}: ${what} must contain '${r}'`);
  };
  check('exit_mmap', d.exitSteps, EXIT_REQUIRED, [
    'mmu_notifier_release',
    'mmu_notifier_invalidate_all',
    'arch_exit_mmap',
    'arch_exit_mmap_pre',
    'arch_exit_mmap_post',
    'unmap_vmas',
    'free_pgtables',
    'remove_vma',
  ]);
  check('munmap', d.munmapSteps, MUNMAP_REQUIRED, [
    'mmu_notifier_invalidate_range_start',
    'unmap_vmas',
    'mmu_notifier_invalidate_range',
    'mmu_notifier_invalidate_range_end',
    'free_pgtables',
    'remove_vma',
  ]);
  const order = d.gntalloc?.delGrefOrder;
  if (order) {
    if (d.gntalloc!.delGref !== 'end-foreign-access') throw new Error(`design ${d.name}: delGrefOrder needs delGref 'end-foreign-access' (today's __del_gref)`);
    for (const s of order) if (!DEL_GREF_STEPS.includes(s)) throw new Error(`design ${d.name}: __del_gref step '${s}' is not one of ${DEL_GREF_STEPS.join(', ')}`);
    if (new Set(order).size !== order.length || order.length !== DEL_GREF_STEPS.length) throw new Error(`design ${d.name}: delGrefOrder must list each of ${DEL_GREF_STEPS.join(', ')} once`);
  }
}

/** Whether __del_gref runs as separate steps (an explicit delGrefOrder, or the orderings tool's family model). */
export function delGrefSplit(d: Design): boolean {
  return gntallocOf(d).delGref === 'end-foreign-access' && (d.gntalloc?.delGrefOrder !== undefined || d.dynamicOrder?.sequence === 'del_gref');
}
