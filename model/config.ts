/**
 * The model's constants (TLA+ CONSTANTS), kept apart from the spec: small named configurations,
 * each with its distinct-state count pinned in the tests.
 */

/** How many of a slot's two map hypercalls (user PTE, kernel alias) may fail in one mmap. */
export type MapFailures = 'none' | 'single';

/**
 * gntalloc's constants: A grants its own pages to remote domains (drivers/xen/gntalloc.c). A
 * configuration without them has no gntalloc state and no gntalloc actions.
 */
export interface GntallocConfig {
  /** gntalloc files that can ever be opened. */
  readonly files: number;
  /** A's page pool alloc_page draws from (a freed page is handed out again: reuse). */
  readonly pages: number;
  /** A's grant-table entries available (gnttab_grant_foreign_access takes the lowest free one). */
  readonly refs: number;
  /** The module parameter `limit`: gref_size + count may not exceed it (-ENOSPC). */
  readonly limit: number;
  /** The page counts ALLOC_GREF may ask for. */
  readonly counts: readonly number[];
  /** The page counts an mmap of a gntalloc file may ask for (any run of grefs on priv->list of that length). */
  readonly mmapCounts: readonly number[];
  /** Each file's offset space, in pages: ALLOC_GREF beyond it is refused (bounds the monotonic priv->index). */
  readonly offsets: number;
  /** Remote domains (grantees; each may map the refs granted to it, at any moment). */
  readonly remotes: number;
  /** gnttab_add_deferred's kmalloc may fail: the ref and page are then leaked (leaked_count). */
  readonly deferredAllocFails: boolean;
}

/** The model's constants. */
export interface ModelConfig {
  /** The configuration's name (CLI `--config`). */
  readonly name: string;
  /** Grant refs B offers A (ref r is backed by B's page r). */
  readonly refs: number;
  /** Processes of A (the first exists at the start; fork creates the others). */
  readonly processes: number;
  /** Virtual pages in each address space; a VMA is [start, end) in these pages. */
  readonly vaPages: number;
  /** PTEs per page-table page: the address space has vaPages / ptesPerL1 L1 pages. */
  readonly ptesPerL1: number;
  /** gntdev maps that can ever be created (map ids are never reused: a freed map stays visible). */
  readonly maxMaps: number;
  /** The page counts MAP_GRANT_REF may ask for; a map of n pages uses refs 0..n-1. */
  readonly mapCounts: readonly number[];
  /** gntdev files that can ever be opened. */
  readonly maxFiles: number;
  /**
   * Nondeterministic failures of the map hypercalls in mmap: one GNTTABOP_map_grant_ref of a slot
   * (user PTE or kernel alias) fails, e.g. maptrack full or a ref B revoked. The per-slot p2m
   * update failure of set_foreign_p2m_mapping is not among them (docs/model.md).
   */
  readonly mapFailures: MapFailures;
  /** The interval-notifier insert in mmap may fail (e.g. -ENOMEM) and its error path runs. */
  readonly notifierInsertFails: boolean;
  /** fork() is an action (PV gntdev VMAs are VM_DONTCOPY; HVM ones are inherited). */
  readonly fork: boolean;
  /** mmap with MAP_FIXED over an existing mapping (the old range is unmapped first). */
  readonly mapFixed: boolean;
  /** B revokes and frees its pages at any time (else B's grants never change). */
  readonly granterActs: boolean;
  /** B has granted every ref before A starts (else B grants them as actions). */
  readonly refsGrantedAtStart: boolean;
  /** IOCTL_GNTDEV_SET_UNMAP_NOTIFY is an action (clear byte + send event on page 0). */
  readonly unmapNotify: boolean;
  /** munmap may take any range that meets a VMA ('any'), or only whole VMAs ('vma'). */
  readonly munmapRanges: 'any' | 'vma';
  /** close(fd) is an action (else files close only at exit). */
  readonly closeFd: boolean;
  /** How many page references (get_user_pages holders) may exist at once; 0 = none. */
  readonly pins: number;
  /** Which holders take them: `io` (O_DIRECT, DMA, a network retransmit), `gpu` (an i915-like userptr). */
  readonly holderKinds: readonly ('io' | 'gpu')[];
  /** The DMA device is not cache coherent: dma_unmap must find the struct page from the DMA (machine) address (seed 003). */
  readonly dmaNonCoherent: boolean;
  /**
   * A secondary MMU may subscribe to process 0's mm (seed 001): KVM (sptes through
   * get_user_pages: holds a page reference), GRU (a TLB filled by follow_page: no reference), XPmem
   * (remote PTEs with a reference; its invalidate callback sleeps for the remote acknowledgement).
   */
  readonly secondary: 'none' | 'kvm' | 'gru' | 'xpmem';
  /**
   * madvise(MADV_DONTNEED) is an action (mm/madvise.c madvise_dontneed_single_vma ->
   * zap_page_range_single: invalidate_range_start, zap, _end, under mmap_read_lock; allowed on
   * gntdev's VM_MIXEDMAP VMAs: can_madv_lru_vma refuses only VM_LOCKED|VM_PFNMAP|VM_HUGETLB).
   */
  readonly madvDontneed: boolean;
  /**
   * mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of a whole VMA to a free range is an action (mm/mremap.c
   * move_vma: copy_vma with vm_ops->open, move_page_tables under an MMU_NOTIFY_UNMAP invalidation
   * of the old range, then do_vmi_munmap of the old VMA); gntdev's pages_vm_start stays.
   */
  readonly mremap: boolean;
  /** madvise(MADV_DOFORK) is an action: it clears VM_DONTCOPY (mm/madvise.c madvise_vma_behavior), so fork copies a PV gntdev VMA. */
  readonly madvDofork: boolean;
  /**
   * Another task holds the exiting process's mm (ptrace, /proc/pid/mem: get_task_mm), so its
   * exit_mm's mmput is not the last: exit_files runs first, exit_mmap later, in that task's mmput;
   * meanwhile that task may get_user_pages on the mm (access_remote_vm).
   */
  readonly remoteMmput: boolean;
  /**
   * Read-side concurrency on an mm (mmap_read_lock): 0 keeps every read-side call one atomic
   * action; N > 0 lets up to N MADV_DONTNEED calls per mm be in progress at once, interleaving with
   * each other and with a munmap's teardown after mmap_write_downgrade, with gntdev_invalidate's
   * unlocked being_removed scan and its writes of map->unmap_data as separate steps.
   */
  readonly readSide: number;
  /** gntalloc and the remote domains (absent: no gntalloc at all). */
  readonly gntalloc?: GntallocConfig;
}

const base: Omit<ModelConfig, 'name'> = {
  refs: 2,
  processes: 1,
  vaPages: 2,
  ptesPerL1: 2,
  maxMaps: 1,
  mapCounts: [2],
  maxFiles: 1,
  mapFailures: 'single',
  notifierInsertFails: true,
  fork: false,
  mapFixed: false,
  granterActs: true,
  refsGrantedAtStart: true,
  unmapNotify: true,
  munmapRanges: 'any',
  closeFd: true,
  pins: 0,
  holderKinds: [],
  dmaNonCoherent: false,
  secondary: 'none',
  madvDontneed: false,
  mremap: false,
  madvDofork: false,
  remoteMmput: false,
  readSide: 0,
};

/** The gntalloc configurations' common part: one process, gntdev idle, B passive. */
const allocBase: Omit<ModelConfig, 'name'> & { readonly gntalloc: GntallocConfig } = {
  ...base,
  refs: 1,
  maxMaps: 0,
  mapCounts: [1],
  maxFiles: 0,
  mapFailures: 'none',
  notifierInsertFails: false,
  granterActs: false,
  unmapNotify: false,
  closeFd: false,
  gntalloc: { files: 1, pages: 2, refs: 2, limit: 2, counts: [1], mmapCounts: [1, 2], offsets: 2, remotes: 1, deferredAllocFails: false },
};

/** Named configurations. `small` is the default; the others widen one dimension each. */
export const configs: Record<string, ModelConfig> = {
  /** One process, one two-page map, one L1: every teardown path, failures, partial munmap. */
  small: { name: 'small', ...base },
  /** Like small without hypercall failures and B's actions: the CI-sized core. */
  tiny: { name: 'tiny', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false },
  /** Two processes and fork (HVM gntdev VMAs are inherited; PV ones are VM_DONTCOPY). */
  fork: { name: 'fork', ...base, processes: 2, fork: true, mapFailures: 'none', notifierInsertFails: false, granterActs: false },
  /** The default: small, plus a second process made by fork (it shares the fd: its ioctls interleave with the first one's exit_mmap). */
  standard: { name: 'standard', ...base, processes: 2, fork: true },
  /** One process, one map, a GRU-like secondary MMU (no page reference): the notifier protocol. */
  'smmu-gru': { name: 'smmu-gru', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false, secondary: 'gru' },
  /** The same with KVM (sptes through get_user_pages, holding page references). */
  'smmu-kvm': { name: 'smmu-kvm', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false, secondary: 'kvm' },
  /** The same with XPmem (references, and an invalidate callback that sleeps for a remote ack). */
  'smmu-xpmem': { name: 'smmu-xpmem', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false, secondary: 'xpmem' },
  /**
   * get_user_pages on a grant mapping: maps of one or two pages (two one-page maps map the same
   * ref: one frame at two places), one page reference at a time by an O_DIRECT/DMA holder or a GPU
   * userptr; partial munmaps. The default configuration of the get_user_pages designs.
   */
  gup: {
    name: 'gup',
    ...base,
    maxMaps: 2,
    mapCounts: [1, 2],
    mapFailures: 'none',
    notifierInsertFails: false,
    granterActs: false,
    unmapNotify: false,
    pins: 1,
    holderKinds: ['io', 'gpu'],
  },
  /** CI-sized gup: one two-page map, an O_DIRECT/DMA holder (case 9, Draft B's split). */
  'gup-io': { name: 'gup-io', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false, pins: 1, holderKinds: ['io'] },
  /** CI-sized: two one-page maps of one frame (mapped at two places), an I/O holder (the m2p override's ambiguity). */
  'gup-twice': {
    name: 'gup-twice',
    ...base,
    maxMaps: 2,
    mapCounts: [1],
    mapFailures: 'none',
    notifierInsertFails: false,
    granterActs: false,
    unmapNotify: false,
    pins: 1,
    holderKinds: ['io'],
  },
  /** A GPU userptr holder (drops its reference only from its own notifier callback): the 2015 deadlock. */
  gpu: { name: 'gpu', ...base, mapFailures: 'none', notifierInsertFails: false, granterActs: false, unmapNotify: false, pins: 1, holderKinds: ['gpu'] },
  /** gup with a non-coherent DMA device: dma_unmap must find the struct page from the machine address. */
  dma: {
    name: 'dma',
    ...base,
    mapFailures: 'none',
    notifierInsertFails: false,
    granterActs: false,
    unmapNotify: false,
    pins: 1,
    holderKinds: ['io'],
    dmaNonCoherent: true,
  },
  /** Two one-page maps over three pages, two L1s: maps side by side, MAP_FIXED. */
  twomaps: {
    name: 'twomaps',
    ...base,
    vaPages: 3,
    ptesPerL1: 1,
    maxMaps: 2,
    mapCounts: [1],
    mapFixed: true,
    mapFailures: 'none',
    notifierInsertFails: false,
    granterActs: false,
    unmapNotify: false,
  },
  /**
   * For random simulation only (far past exhaustive search): three processes with fork, two files,
   * four maps of one or two pages over four refs, eight virtual pages in two L1s, MAP_FIXED, every
   * failure and B's actions. BFS does not finish it within a minute (docs/simulation.md).
   */
  'sim-large': {
    name: 'sim-large',
    ...base,
    refs: 4,
    processes: 3,
    vaPages: 8,
    ptesPerL1: 4,
    maxMaps: 4,
    mapCounts: [1, 2],
    maxFiles: 2,
    fork: true,
    mapFixed: true,
  },

  // --- gntalloc: gntdev idle (no gntdev file, no map), B passive, fds closed at exit -----------
  /** One process, one gntalloc file, two 1-page allocations, one remote domain that maps and unmaps at will; mmaps of 1 or 2 pages, partial munmaps. */
  'alloc-small': { name: 'alloc-small', ...allocBase },
  /** alloc-small with 2-page mmaps only: the user-chosen offsets' default (their choices multiply the states). */
  'alloc-offsets': { name: 'alloc-offsets', ...allocBase, gntalloc: { ...allocBase.gntalloc, mmapCounts: [2] } },
  /** SET_UNMAP_NOTIFY, and close(fd) while mmapped; whole-VMA munmaps. */
  'alloc-notify': { name: 'alloc-notify', ...allocBase, unmapNotify: true, closeFd: true, munmapRanges: 'vma' },
  /** Two remote domains: each ALLOC_GREF names its grantee, and only that domain may map the ref. */
  'alloc-two-remotes': { name: 'alloc-two-remotes', ...allocBase, munmapRanges: 'vma', gntalloc: { ...allocBase.gntalloc, remotes: 2 } },
  /** Two processes: one 2-page ALLOC_GREF (both grants before the return); fork copies the gntalloc VMA (no VM_DONTCOPY) and shares the file. */
  'alloc-fork': { name: 'alloc-fork', ...allocBase, processes: 2, fork: true, munmapRanges: 'vma', gntalloc: { ...allocBase.gntalloc, counts: [2], mmapCounts: [2] } },
  /** gnttab_add_deferred may fail to allocate its entry: the still-mapped page and its ref leak. */
  'alloc-leak': { name: 'alloc-leak', ...allocBase, munmapRanges: 'vma', gntalloc: { ...allocBase.gntalloc, deferredAllocFails: true } },
  /** Two gntalloc files whose grefs interleave on the global gref_list (three pages and refs); 2-page mmaps. Large: explored for its shortest counterexample. */
  'alloc-two-files': { name: 'alloc-two-files', ...allocBase, munmapRanges: 'vma', gntalloc: { ...allocBase.gntalloc, files: 2, pages: 3, refs: 3, limit: 3, mmapCounts: [2] } },
};

/**
 * Read-side concurrency, CI-sized: tiny (one process, one 2-page map) with MADV_DONTNEED and up to
 * two MADV_DONTNEED calls in progress at once (config.readSide): gntdev's unlocked being_removed
 * scan and its shared map->unmap_data between two threads.
 */
configs['read-side'] = { ...configs.tiny!, name: 'read-side', madvDontneed: true, readSide: 2 };

/**
 * Today's kernel at the bounds docs/findings.md asks for: two processes (fork), two maps of one or
 * two pages over three refs, three virtual pages in one L1, close(fd), MADV_DONTNEED with two calls
 * in progress at once. Exhaustive search does not finish it here within ten minutes of one core
 * (docs/findings.md gives the depth reached); it is meant for the faster engine and for simulate.
 */
configs.today = {
  ...configs.tiny!,
  name: 'today',
  refs: 3,
  processes: 2,
  fork: true,
  vaPages: 3,
  ptesPerL1: 3,
  maxMaps: 2,
  mapCounts: [1, 2],
  madvDontneed: true,
  readSide: 2,
};

/** gntalloc past the exhaustive bound: two processes with fork, four pages and refs, two remote domains, 1- and 2-page allocations and mmaps, close(fd) at will. One file (two interleaving files are alloc-two-files' finding). */
configs['sim-alloc'] = {
  name: 'sim-alloc',
  ...allocBase,
  processes: 2,
  fork: true,
  closeFd: true,
  gntalloc: { ...allocBase.gntalloc, pages: 4, refs: 4, limit: 4, counts: [1, 2], mmapCounts: [1, 2], remotes: 2 },
};
/** sim-large with page references (I/O and GPU holders): the get_user_pages designs past the exhaustive bound. */
configs['sim-pages'] = { ...configs['sim-large']!, name: 'sim-pages', pins: 2, holderKinds: ['io', 'gpu'] };
/** sim-large with a GRU-like secondary MMU on process 0: the notifier protocol past the exhaustive bound. */
configs['sim-smmu'] = { ...configs['sim-large']!, name: 'sim-smmu', secondary: 'gru' };

/** Throws a one-line error naming the problem and the fix when a configuration is out of range. */
export function validateConfig(c: ModelConfig): void {
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`config ${c.name}: ${name} must be a whole number in ${lo}..${hi}, got ${v}`);
  };
  int('refs', c.refs, 1, 8);
  int('processes', c.processes, 1, 4);
  int('vaPages', c.vaPages, 1, 8);
  int('ptesPerL1', c.ptesPerL1, 1, c.vaPages);
  if (c.vaPages % c.ptesPerL1 !== 0) throw new RangeError(`config ${c.name}: vaPages (${c.vaPages}) must be a multiple of ptesPerL1 (${c.ptesPerL1})`);
  int('maxMaps', c.maxMaps, 0, 6);
  int('maxFiles', c.maxFiles, 0, 4);
  int('pins', c.pins, 0, 4);
  int('readSide', c.readSide, 0, 3);
  if (c.readSide > 0 && !c.madvDontneed) throw new RangeError(`config ${c.name}: readSide > 0 needs madvDontneed (the read-side calls that can be in progress at once are MADV_DONTNEED's)`);
  if (c.mapCounts.length === 0) throw new RangeError(`config ${c.name}: mapCounts must list at least one count`);
  for (const n of c.mapCounts) int('a map count', n, 1, Math.min(c.refs, c.vaPages));
  const g = c.gntalloc;
  if (g) {
    int('gntalloc.files', g.files, 1, 3);
    int('gntalloc.pages', g.pages, 1, 6);
    int('gntalloc.refs', g.refs, 1, 6);
    int('gntalloc.limit', g.limit, 1, 6);
    int('gntalloc.offsets', g.offsets, 1, 8);
    int('gntalloc.remotes', g.remotes, 1, 3);
    if (g.counts.length === 0) throw new RangeError(`config ${c.name}: gntalloc.counts must list at least one count`);
    for (const n of g.counts) int('a gntalloc count', n, 1, Math.min(g.pages, g.offsets));
    for (const n of g.mmapCounts) int('a gntalloc mmap count', n, 1, Math.min(g.offsets, c.vaPages));
  }
}
