/**
 * The state of the grant-mapping model: domain B (the granter), Xen, and domain A (Linux, mapping
 * B's pages into user address spaces through gntdev, and granting its own pages to remote domains
 * through gntalloc). Plain readonly records and arrays with fixed shapes; ids are array indices.
 * Every variable is commented in the TLA+ manner.
 *
 * Deliberately left out (docs/model.md says why): grant copy, DMA-buf maps, huge pages, mremap and
 * mprotect, the PTE lock and TLB flushes, event-channel reference counts, more than one granting
 * domain, and the exact values of handles (a handle is named by the driver slot that owns it);
 * for gntalloc: allocation failures in add_grefs, read-only grants, grant-table growth.
 */
import { freeze } from 'immer';
import type { ModelConfig } from './config.js';

// The shared constants below are frozen: a value put into the state must not be changed through it
// afterwards (immer would have copied it; a state kept as bytes would change the constant itself).

/** INVALID_GRANT_HANDLE and every other "NULL" id. */
export const NONE = -1;

// ---------------------------------------------------------------------------------------------
// Domain B: its grant table (granting to A) and the pages behind it
// ---------------------------------------------------------------------------------------------

/**
 * B's grant entry `ref`, backed by B's page `ref`. The lifecycle is acyclic (so that quiescent
 * states exist): none -> granted [-> queried] -> revoked | reused -> freed.
 * - none: not granted yet (B grants it with gnttab_grant_foreign_access);
 * - granted: GTF_permit_access is set; A may map it;
 * - queried: B's gnttab_query_foreign_access said "not in use" (frontends before XSA-396); the
 *   entry still grants the page, so A may map it now;
 * - revoked: gnttab_end_foreign_access_ref succeeded (only possible while nobody maps it);
 * - reused: the revoke failed (A mapped the ref after the query) and B reused the page anyway,
 *   its ref left on B's deferred list, which still grants the page to A;
 * - freed: B gave the page back to its allocator (it may be reused for anything), the entry ended.
 */
export interface BGrant {
  readonly state: 'none' | 'granted' | 'queried' | 'revoked' | 'reused' | 'freed';
  /** GTF_readonly: A may map it read-only only. */
  readonly readonly: boolean;
}

// ---------------------------------------------------------------------------------------------
// Xen: A's maptrack (live grant handles) and the typing of A's page-table pages
// ---------------------------------------------------------------------------------------------

/**
 * A live grant handle of domain A in Xen's maptrack. A handle is named by the driver slot that
 * holds it: (map, slot, kind). Unmapped handles leave the maptrack.
 * - user: a GNTMAP_contains_pte mapping whose host address is the user PTE at (proc, va);
 * - kernel: a host mapping of the slot's placeholder page (PV: the kernel linear alias; HVM: the
 *   page's guest frame).
 * Xen's count of live mappings of a ref (from which GTF_reading/GTF_writing follow) is the number
 * of entries naming that ref.
 */
export interface Handle {
  readonly map: number;
  readonly slot: number;
  readonly kind: 'user' | 'kernel';
  /** The B grant ref it maps. */
  readonly ref: number;
  /** user handles: the process and virtual page of the PTE Xen wrote; kernel handles: NONE. */
  readonly proc: number;
  readonly va: number;
}

// ---------------------------------------------------------------------------------------------
// Domain A: processes and their address spaces
// ---------------------------------------------------------------------------------------------

/**
 * A user PTE slot.
 * - none: not present.
 * - grant: a grant PTE written by Xen (PV), for map `map` slot `slot`; `special` is the
 *   _PAGE_SPECIAL bit (GNTMAP_guest_avail0) that makes gup_fast fall back to the slow path.
 * - page: an ordinary PTE to a struct page: the placeholder of map `map` slot `slot` (HVM gntdev
 *   inserts the placeholder pages with vm_map_pages_zero); holds a page reference. A gntalloc PTE
 *   (vm_insert_page of A's own page) has map and slot NONE and names the page in `apage`.
 */
export interface Pte {
  readonly kind: 'none' | 'grant' | 'page';
  readonly map: number;
  readonly slot: number;
  readonly special: boolean;
  /** gntalloc only: the A page (alloc.pages index) this ordinary PTE maps; absent on every other PTE. */
  readonly apage?: number;
}

/** A page-table page (L1) covering ptesPerL1 virtual pages. */
export interface L1 {
  /** Allocated (by find_grant_ptes / apply_to_page_range or fork), not yet freed by free_pgtables. */
  readonly present: boolean;
  /** PV: PagePinned, i.e. Xen types it as an L1 page table (read-only to the guest). */
  readonly pinned: boolean;
  /** Seed 000's shadow page of grant handles hung off this page's `private` (allocated on the first grant PTE). */
  readonly shadow: boolean;
}

/**
 * A VMA [start, end) in virtual pages.
 * `id` is the struct's identity: __split_vma keeps the original struct for one part and copies it
 * for the other, and gntdev 2011-2019 remembered one struct (`map->vma`).
 */
export interface Vma {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  /** vm_file: the gntdev file (each VMA holds a reference on it). */
  readonly file: number;
  /** vm_private_data: the gntdev map, NONE after vma close. */
  readonly map: number;
  /** vm_pgoff: the file offset of `start`, in pages. */
  readonly pgoff: number;
  /** VM_DONTCOPY: fork skips it (set for PV gntdev VMAs). */
  readonly dontcopy: boolean;
  /**
   * Draft B (seed 003): the map slot whose page is at index 0 of this VMA's page array, i.e. the
   * array index get_user_pages uses is pagesOffset + (va - start). A correct split shifts it for
   * the upper piece; a design that forgets leaves it.
   */
  readonly pagesOffset: number;
  /**
   * gntalloc VMAs only (absent on gntdev VMAs, whose `file` and `map` are then NONE): vm_file is
   * gntalloc file `file`; vm_private_data is vm_priv `priv` (alloc.vmPrivs).
   */
  readonly gntalloc?: { readonly file: number; readonly priv: number };
}

/** A step name of a teardown sequence (exit_mmap or munmap); see design.ts. */
export type TeardownStep =
  | 'mmu_notifier_release'
  | 'arch_exit_mmap'
  | 'arch_exit_mmap_pre'
  | 'arch_exit_mmap_post'
  | 'mmu_notifier_invalidate_all'
  | 'mmu_notifier_invalidate_range_start'
  | 'unmap_vmas'
  | 'mmu_notifier_invalidate_range'
  | 'mmu_notifier_invalidate_range_end'
  | 'free_pgtables'
  | 'remove_vma';

/**
 * The system call in progress in this mm (it holds mmap_lock, so at most one), or none.
 * - munmap: do_munmap over [start, end): the VMAs in range are detached (`detached`), then the
 *   design's munmap steps run one action each; `then` is the mmap that MAP_FIXED continues with.
 * - exit: exit_mmap, the design's exit steps one action each; then exit_files.
 * - mmap_error: gntdev_mmap failed after mapping some grants; its error path is the next action.
 */
export interface Op {
  readonly kind: 'none' | 'munmap' | 'exit' | 'mmap_error';
  /** Index into the design's step list (munmap, exit). */
  readonly step: number;
  readonly start: number;
  readonly end: number;
  /** VMAs detached from the mm but not yet closed (munmap), or the failed mmap's VMA. */
  readonly detached: readonly Vma[];
  /** MAP_FIXED: the mmap to perform once the munmap is done (NONE when none). */
  readonly thenFile: number;
  readonly thenMap: number;
}

/**
 * A secondary MMU's copy of a primary translation (seed 001: KVM's spte, GRU's TLB entry, XPmem's
 * remote PTE): virtual page `va` of the subscribed mm, and the page it reaches: a placeholder page
 * (map, slot) through a page PTE, or B's page `ref` through a grant PTE (a machine frame).
 */
export interface Spte {
  readonly va: number;
  readonly target: 'placeholder' | 'bpage';
  readonly map: number;
  readonly slot: number;
  readonly ref: number;
}

/** A secondary-MMU subscriber on an mm (mmu_notifier_register). */
export interface Smmu {
  /** none: not subscribed; registered; released: ->release ran (exit_mmap). */
  readonly state: 'none' | 'registered' | 'released';
  /** Installed secondary mappings. */
  readonly sptes: readonly Spte[];
  /** A translation read from the primary PTE and not yet installed (a fault in progress); va NONE when none. */
  readonly pending: Spte;
  /** The pending translation was invalidated after it was read (mmu_notifier_seq moved): V5 subscribers retry. */
  readonly stale: boolean;
  /** Between invalidate_range_start and _end (V5): new secondary mappings are held off. */
  readonly invalidating: boolean;
  /** XPmem: the invalidate callback sleeps until the remote side acknowledges. */
  readonly awaitingAck: boolean;
}

/** A run of a gntdev map's pages an invalidation found not being_removed. */
export interface UnmapRun {
  readonly map: number;
  readonly offset: number;
  readonly count: number;
}

/**
 * A madvise(MADV_DONTNEED) call in progress under mmap_read_lock (only with config.readSide > 0):
 * zap_page_range_single over [start, end) of one VMA, one step per action. gntdev's invalidate
 * callback is split where it touches shared state without a lock:
 * - scan: __mmu_notifier_invalidate_range_start -> gntdev_invalidate -> unmap_grant_pages reads
 *   being_removed (no lock) and finds the runs to unmap (`runs`, of map `map`); the secondary MMU
 *   and GPU callbacks run here too;
 * - claim: the next run's being_removed[] set, map->unmap_data written, users++ (__unmap_grant_pages);
 * - unmap: gnttab_unmap_refs_async(&map->unmap_data) on unmap_data as it is now;
 * - zap: zap_pte_range over the range; end: mmu_notifier_invalidate_range_end, the call returns.
 * At most config.readSide per mm; runs at most the map's pages.
 */
export interface Reader {
  readonly start: number;
  readonly end: number;
  readonly step: 'scan' | 'claim' | 'unmap' | 'zap' | 'end';
  readonly map: number;
  readonly runs: readonly UnmapRun[];
}

/** A process of A: its mm, its open gntdev files, its life. */
export interface Proc {
  /** unused: not forked yet; running; exiting: exit_mmap in progress; dead. */
  readonly state: 'unused' | 'running' | 'exiting' | 'dead';
  /** PV: the pgd is pinned (xen_pgd_pin at exec/fork); an unpinned mm's tables are ordinary memory. */
  readonly pgdPinned: boolean;
  /** XenLinux mm->context.has_foreign_mappings (seed 000). */
  readonly hasForeignMappings: boolean;
  /** The page-table pages. */
  readonly l1: readonly L1[];
  /** One PTE per virtual page. */
  readonly ptes: readonly Pte[];
  /** The mm's VMAs, sorted by start. */
  readonly vmas: readonly Vma[];
  /** fds[f]: this process holds a file descriptor on gntdev file f. */
  readonly fds: readonly boolean[];
  /**
   * The mmap_lock-holding system call in progress. With config.remoteMmput, a process whose state
   * is `exiting` with no op is one whose task has gone (exit_files ran) while another task's
   * reference keeps its mm; that task's mmput starts exit_mmap (`op` exit) later.
   */
  readonly op: Op;
  /** Read-side calls in progress on this mm (MADV_DONTNEED, config.readSide > 0): at most readSide. */
  readonly readers: readonly Reader[];
  /** The secondary MMU subscribed to this mm, if any. */
  readonly smmu: Smmu;
}

// ---------------------------------------------------------------------------------------------
// Domain A: gntdev files, maps and their placeholder pages
// ---------------------------------------------------------------------------------------------

/** An open of /dev/xen/gntdev (struct gntdev_priv). */
export interface GntdevFile {
  /** unused: not opened yet; open; released: gntdev_release ran (last reference dropped). */
  readonly state: 'unused' | 'open' | 'released';
  /** priv->maps: map ids on the list, sorted by index. */
  readonly maps: readonly number[];
  /** priv->freeable_maps (gntdev 2013-2019): maps unlinked by the unmap ioctl but still mmapped. */
  readonly freeable: readonly number[];
  /** gntdev 2011-2019 PV: the process whose mm carries this file's classic MMU notifier (priv->mm), NONE if none. */
  readonly mnProc: number;
}

/** A local struct page used as the placeholder for a foreign frame (gnttab_alloc_pages). */
export interface Page {
  readonly state: 'allocated' | 'freed';
  /** PageForeign: set by a successful map, cleared at unmap. */
  readonly foreign: boolean;
  /**
   * The p2m entry of the page's pfn (PV) or its guest frame (HVM):
   * invalid = ballooned/unpopulated; foreign = FOREIGN_FRAME(mfn) of B's page; own = the page's
   * own machine frame (pages that were not ballooned: seed 000's kernel pages, the m2p era).
   */
  readonly p2m: 'invalid' | 'foreign' | 'own' | 'absent';
  /** Extra references beyond the allocation (gup/pin, DMA, skb): page_count = 1 + pins + PTE refs. */
  readonly pins: number;
  /** Ghost (not kernel state): a grant has been mapped onto this page at some time; for witnesses. */
  readonly wasMapped: boolean;
  /**
   * Ghost: the page's kernel linear mapping went through a zero mapping during an unmap (the m2p
   * override era's two-step "unmap, then reinstate the original mapping": another CPU touching the
   * page in between faults or reads the wrong frame). The unmap runs on one CPU within one model
   * action, so the window is recorded here rather than left as a state of its own.
   */
  readonly kmapGap: boolean;
}

/** One page of a map (one entry of map_ops/unmap_ops/kmap_ops/kunmap_ops/pages). */
export interface MapSlot {
  /** The driver holds a valid user-PTE handle (unmap_ops[i].handle != INVALID_GRANT_HANDLE). */
  readonly user: boolean;
  /** The driver holds a valid kernel-alias handle (kunmap_ops[i].handle; HVM: the only handle). */
  readonly kernel: boolean;
  /** find_grant_ptes recorded the PTE at this virtual page (of the map's mm) as the host address; NONE before mmap. */
  readonly pte: number;
  /** being_removed[i] (gntdev 2022): an unmap was submitted for this page; never reset. */
  readonly beingRemoved: boolean;
  /** The placeholder page. */
  readonly page: Page;
}

/** The unmap notification of a map (IOCTL_GNTDEV_SET_UNMAP_NOTIFY). */
export interface Notify {
  /** UNMAP_NOTIFY_CLEAR_BYTE requested and not yet done. */
  readonly clear: boolean;
  /** UNMAP_NOTIFY_SEND_EVENT requested and not yet sent. */
  readonly send: boolean;
  /** The byte was cleared (times). */
  readonly cleared: number;
  /** The event was sent (times). */
  readonly sent: number;
  /** Ghost: the event was sent while the byte was still mapped (page 0 had a live grant) and not cleared. */
  readonly early: boolean;
}

/** A gntdev map (struct gntdev_grant_map). */
export interface GrantMap {
  /** live, or freed by gntdev_free_map (ids are not reused, so a stale reference stays visible). */
  readonly state: 'live' | 'freed';
  /** The file whose priv owns it. */
  readonly file: number;
  /** index: file offset in pages (mmap offset index << PAGE_SHIFT); count: pages. */
  readonly index: number;
  readonly count: number;
  /** users: the reference count. */
  readonly users: number;
  /** grants[i].ref: B's ref mapped by slot i. */
  readonly refs: readonly number[];
  readonly slots: readonly MapSlot[];
  /** live_grants (gntdev 2022): handles mapped and not yet unmapped, as the driver counts them. */
  readonly liveGrants: number;
  /** in_use (gntdev 2022): set by the first mmap, never cleared. */
  readonly inUse: boolean;
  /** GNTMAP_readonly chosen at first mmap; NONE until then (0 rw, 1 ro). */
  readonly flags: number;
  /** pages_vm_start: the VMA start at mmap; NONE before. */
  readonly pagesVmStart: number;
  /** The process whose mm the map was mmapped into; NONE before. */
  readonly mmProc: number;
  /**
   * The per-map interval notifier (gntdev 2019+): none, inserted into mmProc's mm, removed, or
   * removed-twice: mmu_interval_notifier_remove ran again on a subscription no longer in the tree
   * (a ghost of that misuse: the kernel's interval_tree_remove and mmdrop run a second time).
   */
  readonly notifier: 'none' | 'inserted' | 'removed' | 'removed-twice';
  /**
   * map->unmap_data (gntdev 2022): the run __unmap_grant_pages last wrote there, which
   * gnttab_unmap_refs_async reads (offset NONE: never written). Kept only with config.readSide > 0,
   * where another thread may write it between a write and its read; otherwise NONE and 0 (the
   * write and the read happen in one action). Offset < count, count <= count.
   */
  readonly unmapOffset: number;
  readonly unmapCount: number;
  /** map->vma (gntdev 2011-2019): the id of the VMA in mmProc's mm, NONE when NULL. */
  readonly vma: number;
  readonly notify: Notify;
}

/**
 * A reference on a struct page taken through get_user_pages from a user mapping: an O_DIRECT bio,
 * a DMA transfer, or a queued network retransmit (`io`: completes on its own); or a GPU userptr
 * object (`gpu`, i915): it drops its reference only from its own MMU-notifier callback, which the
 * kernel calls after the interval notifiers (gntdev's).
 */
export interface Holder {
  readonly kind: 'io' | 'gpu';
  /** The process and virtual page it was taken from. */
  readonly proc: number;
  readonly va: number;
  /**
   * The struct page get_user_pages returned: the placeholder of map `map` slot `slot` (maybe the
   * wrong slot), or `wrong`: the page M2P gives for B's frame `ref` (B's pfn read as A's: an
   * unrelated local page).
   */
  readonly page: 'placeholder' | 'wrong';
  readonly map: number;
  readonly slot: number;
  readonly ref: number;
  /** The device was given B's machine frame (the page was grant-mapped at dma_map time), not a local frame. */
  readonly dmaForeign: boolean;
}

/** An entry of the m2p override (2010-2014, arch/x86/xen/p2m.c): B's frame `ref` -> the local placeholder page. */
export interface M2pOverride {
  readonly ref: number;
  readonly map: number;
  readonly slot: number;
}

/**
 * A map's unmap_data (struct gntab_unmap_queue_data, one per map) while gnttab_unmap_refs_async's
 * delayed work on it is pending: the run it will unmap when it runs (at most one per map).
 */
export interface AsyncUnmap {
  readonly map: number;
  readonly offset: number;
  readonly count: number;
}

/** The whole state. */
export interface State {
  /** B's grant table: grants[ref]. */
  readonly grants: readonly BGrant[];
  /** Xen's maptrack of A: live handles, sorted by (map, slot, kind). */
  readonly handles: readonly Handle[];
  /** A's processes. */
  readonly procs: readonly Proc[];
  /** A's gntdev files. */
  readonly files: readonly GntdevFile[];
  /** A's gntdev maps, in creation order. */
  readonly maps: readonly GrantMap[];
  /** Deferred async unmaps, in submission order. */
  readonly inflight: readonly AsyncUnmap[];
  /** Page references held through get_user_pages (O_DIRECT, DMA, retransmits, GPU userptr). */
  readonly holders: readonly Holder[];
  /** The m2p override table, newest entry first (m2p_add_override adds at the head of its hash bucket). */
  readonly overrides: readonly M2pOverride[];
  /** A granting its own pages through gntalloc (empty, hence constant, without config.gntalloc). */
  readonly alloc: AllocState;
  /**
   * A design's ghost variables by name (a design file's `ghost`: counters and history flags its
   * rules and properties keep; not kernel state). Absent for designs that declare none.
   */
  readonly ghost?: Readonly<Record<string, unknown>>;
}

/** The empty system call. */
export const NO_OP: Op = freeze({ kind: 'none', step: 0, start: 0, end: 0, detached: [], thenFile: NONE, thenMap: NONE }, true);

/** No secondary translation. */
export const NO_SPTE: Spte = freeze({ va: NONE, target: 'placeholder', map: NONE, slot: NONE, ref: NONE }, true);

/** No secondary MMU. */
export const NO_SMMU: Smmu = freeze({ state: 'none', sptes: [], pending: NO_SPTE, stale: false, invalidating: false, awaitingAck: false }, true);

/** An empty PTE. */
export const NO_PTE: Pte = freeze({ kind: 'none', map: NONE, slot: NONE, special: false }, true);

/** The initial state: B has granted every ref; process 0 runs with a pinned, empty address space. */
export function initialState(config: ModelConfig, options: { readonly pv: boolean }): State {
  const l1s = config.vaPages / config.ptesPerL1;
  const proc = (state: Proc['state']): Proc => ({
    state,
    pgdPinned: options.pv && state === 'running',
    hasForeignMappings: false,
    l1: Array.from({ length: l1s }, () => ({ present: false, pinned: false, shadow: false })),
    ptes: Array.from({ length: config.vaPages }, () => NO_PTE),
    vmas: [],
    fds: Array.from({ length: config.maxFiles }, () => false),
    op: NO_OP,
    readers: [],
    smmu: NO_SMMU,
  });
  return {
    grants: Array.from({ length: config.refs }, () => ({ state: config.refsGrantedAtStart ? 'granted' : 'none', readonly: false })),
    handles: [],
    procs: Array.from({ length: config.processes }, (_, p) => proc(p === 0 ? 'running' : 'unused')),
    files: Array.from({ length: config.maxFiles }, () => ({ state: 'unused', maps: [], freeable: [], mnProc: NONE })),
    maps: [],
    inflight: [],
    holders: [],
    overrides: [],
    alloc: initialAlloc(config),
  };
}

// ---------------------------------------------------------------------------------------------
// Domain A granting its own pages: gntalloc (drivers/xen/gntalloc.c), A's grant table and its
// deferred list (drivers/xen/grant-table.c), and the remote domains that map A's grants (the
// environment). All of it is empty, hence constant, when the configuration has no gntalloc.
// ---------------------------------------------------------------------------------------------

/**
 * A page of A that gntalloc hands out (alloc_page(GFP_KERNEL | __GFP_ZERO)), from a small pool:
 * alloc_page takes the lowest free one, so a freed page is reused by the next allocation.
 */
export interface AllocPage {
  /**
   * References other than user PTEs: the gref's own (alloc_page), or the deferred or leaked entry's
   * it was handed to by gnttab_end_foreign_access. The page is free (page_count 0) when refs is 0
   * and no PTE maps it; a user PTE (vm_insert_page) holds its own reference.
   */
  readonly refs: number;
}

/** An entry of A's grant table, granting one of A's pages to a remote domain. */
export interface AllocGrant {
  /**
   * free: on the free list; granted: gnttab_grant_foreign_access wrote domid and frame, then
   * GTF_permit_access (gnttab_update_entry_v1). The remote may map it from that moment.
   * gnttab_end_foreign_access_ref's cmpxchg of the flags to 0 (fails while GTF_reading/GTF_writing,
   * i.e. while Xen counts a remote mapping) and put_free_entry bring it back to free.
   */
  readonly state: 'free' | 'granted';
  /** The grantee: remote domain 0..remotes-1 (only it may map the entry); NONE when free. */
  readonly domid: number;
  /** The frame: A's page (alloc.pages index); NONE when free. */
  readonly page: number;
  /** GTF_readonly: ALLOC_GREF without GNTALLOC_FLAG_WRITABLE. */
  readonly readonly: boolean;
}

/**
 * A live mapping by a remote domain of one of A's grant refs (GNTTABOP_map_grant_ref issued by
 * that domain). Xen's GTF_reading/GTF_writing on the entry follow from these; the mapping holds the
 * frame it mapped, whatever A does with the entry afterwards.
 */
export interface RemoteMap {
  readonly dom: number;
  readonly ref: number;
  readonly page: number;
}

/** struct gntalloc_gref: one granted page of a gntalloc file. */
export interface Gref {
  /**
   * live, or freed by kfree in __del_gref. A freed gref stays visible while anything still points at
   * it (a stale pointer is a use after free); once nothing does, its slot is emptied and may be
   * reused (forgetGarbage), keeping only its notification record until then.
   */
  readonly state: 'live' | 'freed';
  /** The gntalloc file whose ALLOC_GREF created it (file_index is an offset in that file). */
  readonly file: number;
  /** file_index, in pages. */
  readonly index: number;
  /** users: priv->list membership + one per mapping (vm_priv) of it; __del_gref at 0. */
  readonly users: number;
  /** gref_id: A's grant ref (alloc.gnttab index). */
  readonly ref: number;
  /** The shared page (alloc.pages index). */
  readonly page: number;
  /**
   * The unmap notification (IOCTL_GNTALLOC_SET_UNMAP_NOTIFY), fired by __del_gref: the clear byte,
   * then the event. `early` (ghost): it fired while a local user remained (users > 0, or a PTE
   * still mapping the page), or the event went before a requested clear.
   */
  readonly notify: Notify;
}

/** An open of /dev/xen/gntalloc (struct gntalloc_file_private_data) and the descriptors on it. */
export interface AllocFile {
  /** unused: not opened yet; open; released: gntalloc_release ran (last reference dropped). */
  readonly state: 'unused' | 'open' | 'released';
  /** priv->list: gref ids in list order (ALLOC_GREF appends; DEALLOC_GREF and release unlink). */
  readonly list: readonly number[];
  /** priv->index: the next kernel-chosen file offset, in pages; never decreases, never reused. */
  readonly index: number;
  /** fds[p]: process p holds a file descriptor on it (kept here, so that Proc stays gntdev's). */
  readonly fds: readonly boolean[];
}

/**
 * struct gntalloc_vma_private_data of one mmap, shared by the pieces of a split VMA and by a
 * forked copy. gntalloc 2011 had no such struct (vm_private_data was the first gref): the model
 * keeps the record anyway, for the ghost fields, and ignores its users count there.
 */
export interface AllocVmPriv {
  /** live, or freed by gntalloc_vma_close at users 0. */
  readonly state: 'live' | 'freed';
  /** vm_priv->gref: the first gref of the mapping. */
  readonly gref: number;
  /** vm_priv->users: the VMAs sharing it (mmap, then +1 per split piece or fork copy). */
  readonly users: number;
  /** vm_priv->count: pages. */
  readonly count: number;
  /** Ghost: the file offset the mmap asked for (vm_pgoff at mmap time). */
  readonly pgoff: number;
  /** Ghost: the grefs mmap took a reference on, in page order (what close ought to put back). */
  readonly grefs: readonly number[];
}

/** An IOCTL_GNTALLOC_ALLOC_GREF between add_grefs' grants and its splice onto the lists (no lock held). */
export interface AllocAdding {
  readonly proc: number;
  readonly file: number;
  /** queue_file/queue_gref: the new grefs, users = 1, granted, on no list yet. */
  readonly grefs: readonly number[];
}

/** struct deferred_entry on grant-table.c's deferred_list: a ref still in use and the page it holds. */
export interface Deferred {
  readonly ref: number;
  readonly page: number;
}

/** An IOCTL_GNTALLOC_ALLOC_GREF waiting for its do_cleanup to finish (gntalloc 2011's query/revoke window). */
export interface AllocCall {
  readonly p: number;
  readonly file: number;
  readonly count: number;
  /** The user-chosen offset (GNTALLOC_FLAG_FIXED, a proposal), or NONE for the kernel's choice. */
  readonly offset: number;
  readonly dom: number;
}

/**
 * gntalloc 2011's __del_gref in progress under gref_mutex: `queue` holds the grefs still to delete
 * in this call, in order; its head has been queried (gnttab_query_foreign_access said "not in
 * use") and not yet revoked: the window a remote domain may map in. `then` is the rest of the
 * ioctl that ran do_cleanup (an ALLOC_GREF), run once the queue is empty.
 */
export interface DelGref {
  readonly queue: readonly number[];
  readonly then: readonly AllocCall[];
  /**
   * gntalloc 2022 with its __del_gref split into steps (an explicit `delGrefOrder`, or the
   * orderings tool): the steps the queue's head has done so far. Empty otherwise.
   */
  readonly done: readonly DelGrefStep[];
}

/**
 * The parts of today's __del_gref (drivers/xen/gntalloc.c, v5.17+), which the orderings tool
 * permutes: `notify` (UNMAP_NOTIFY_CLEAR_BYTE's write, UNMAP_NOTIFY_SEND_EVENT), `revoke`
 * (gnttab_end_foreign_access's gnttab_try_end_foreign_access, or gnttab_add_deferred of the ref
 * and the page it still owns), `free` (put_page of the page if the gref still owns it, gref_size--,
 * list_del, kfree).
 */
export type DelGrefStep = 'notify' | 'revoke' | 'free';

/** __del_gref's parts in the kernel's order. */
export const DEL_GREF_STEPS: readonly DelGrefStep[] = freeze(['notify', 'revoke', 'free']);

/** A step of a sequence the orderings tool permutes. */
export type SequenceStep = TeardownStep | DelGrefStep;

/** gntalloc and A's grant table. */
export interface AllocState {
  /** A's pages in the gntalloc pool. */
  readonly pages: readonly AllocPage[];
  /** A's grant table entries available to gntalloc (gnttab: grant ref -> entry). */
  readonly gnttab: readonly AllocGrant[];
  /** The remote domains' live mappings of A's refs, sorted by (dom, ref). */
  readonly remote: readonly RemoteMap[];
  /** gntalloc files. */
  readonly files: readonly AllocFile[];
  /** grefs by id (a dead slot nothing points at is reused). */
  readonly grefs: readonly Gref[];
  /** gref_list: the global list, in list order (the vma close walk follows it: next_gref). */
  readonly grefList: readonly number[];
  /** gref_size: grefs counted against the module parameter `limit`. */
  readonly grefSize: number;
  /** vm_priv structs by id (a dead slot no VMA points at is reused). */
  readonly vmPrivs: readonly AllocVmPriv[];
  /** ALLOC_GREF calls between their grants and their splice, at most one per process. */
  readonly adding: readonly AllocAdding[];
  /** deferred_list: refs gnttab_end_foreign_access could not end yet, with their pages (drained by gnttab_handle_deferred). */
  readonly deferred: readonly Deferred[];
  /** Entries gnttab_add_deferred is allocating (kmalloc may fail: config.gntalloc.deferredAllocFails). */
  readonly kmalloc: readonly Deferred[];
  /** leaked_count, with the ref and page each leak lost (ghost: the kernel keeps only the count). */
  readonly leaked: readonly Deferred[];
  /** gntalloc 2011's __del_gref between its query and its revoke (gref_mutex held). */
  readonly delGref: DelGref;
}

/** The gntalloc state at the start: every page and ref free, no file open; empty without gntalloc. */
export function initialAlloc(config: ModelConfig): AllocState {
  const g = config.gntalloc;
  return {
    pages: Array.from({ length: g?.pages ?? 0 }, () => ({ refs: 0 })),
    gnttab: Array.from({ length: g?.refs ?? 0 }, () => ({ state: 'free', domid: NONE, page: NONE, readonly: false })),
    remote: [],
    files: Array.from({ length: g?.files ?? 0 }, () => ({ state: 'unused', list: [], index: 0, fds: Array.from({ length: config.processes }, () => false) })),
    grefs: [],
    grefList: [],
    grefSize: 0,
    vmPrivs: [],
    adding: [],
    deferred: [],
    kmalloc: [],
    leaked: [],
    delGref: { queue: [], then: [], done: [] },
  };
}
