/**
 * gntdev internals shared by the entry points (drivers/xen/gntdev.c, drivers/xen/grant-table.c):
 * unmap_grant_pages and its async completion, gntdev_put_map, gntdev_free_map, gntdev_release,
 * vma open/close, and the MMU-notifier callbacks. Era differences are the design's choices.
 */
import type { Draft } from 'immer';
import { NONE, type GrantMap, type State, type UnmapRun, type Vma } from '../state.js';
import { asCurrent, type Ctx } from './ctx.js';
import { block, Blocked } from '../../explorer/index.js';
import { smmuInvalidate, smmuInvalidateEnd, smmuRelease } from './smmu.js';
import { removeOverride, unmapUserGrant } from './xen.js';

type D = Draft<State>;

/** page_count of a slot's placeholder page: the allocation, extra pins, and PTEs that map it. */
export function pageCount(s: State, map: number, slot: number): number {
  const m = s.maps[map];
  if (!m) return 0;
  let n = 1 + m.slots[slot]!.page.pins;
  for (const p of s.procs) for (const pte of p.ptes) if (pte.kind === 'page' && pte.map === map && pte.slot === slot) n++;
  return n;
}

/**
 * live_grants after a slot's map hypercalls (gntdev 2022, 0991028cd495 "Prevent leaking grants"):
 * gntdev_map_grant_pages adds one per map that succeeded, the user PTE's (PV) and the host map's
 * (the kernel alias in PV, the only one in HVM) counted apart. Nothing in designs without it.
 */
export function liveGrantsMapped(d: D, ctx: Ctx, map: number, userOk: boolean, kernelOk: boolean): void {
  if (!ctx.design.liveGrants) return;
  const design = ctx.design;
  d.maps[map]!.liveGrants += (design.pv && userOk ? 1 : 0) + ((!design.pv || design.kernelAlias) && kernelOk ? 1 : 0);
}

/** live_grants after an unmap (__unmap_grant_pages_done, gntdev 2022): minus the handles Xen unmapped (`ok`). */
export function liveGrantsUnmapped(d: D, ctx: Ctx, map: number, ok: number): void {
  if (ctx.design.liveGrants) d.maps[map]!.liveGrants -= ok;
}

/** True when some page of [offset, offset+count) is referenced beyond its allocation (page_count > 1). */
export function anyPageReferenced(s: State, map: number, offset: number, count: number): boolean {
  for (let i = offset; i < offset + count; i++) if (pageCount(s, map, i) > 1) return true;
  return false;
}

/** The driver's "unmap_ops[i].handle is valid": the user handle in PV, the only handle in HVM. */
function primaryHandle(ctx: Ctx, m: GrantMap, i: number): boolean {
  const sl = m.slots[i]!;
  return ctx.design.pv ? sl.user : sl.kernel;
}

/**
 * unmap_grant_pages(map, offset, pages) (drivers/xen/gntdev.c): unmaps the map's grants in the range, in runs.
 * 2022 (live_grants): nothing if live_grants == 0; runs of pages not yet being_removed, which it
 * marks. Before: runs of pages whose handle is still valid (holes skipped).
 */
export function unmapGrantPages(d: D, ctx: Ctx, map: number, offset: number, pages: number): void {
  const m = d.maps[map];
  if (!m || m.state === 'freed') return;
  const end = Math.min(offset + pages, m.count);
  if (ctx.design.liveGrants) {
    if (m.liveGrants === 0) return;
    let i = offset;
    while (i < end) {
      while (i < end && m.slots[i]!.beingRemoved) i++;
      const start = i;
      while (i < end && !m.slots[i]!.beingRemoved) m.slots[i++]!.beingRemoved = true;
      if (i > start) unmapRun(d, ctx, map, start, i - start);
    }
    return;
  }
  let i = offset;
  while (i < end) {
    while (i < end && !primaryHandle(ctx, m, i)) i++;
    const start = i;
    while (i < end && primaryHandle(ctx, m, i)) i++;
    // before 2022 an error (copy_to_user's -EFAULT) ends the loop: "while (pages && !err)"
    if (i > start && !unmapRun(d, ctx, map, start, i - start)) return;
  }
}

/**
 * Whether the CLEAR_BYTE write works: 2011's copy_to_user into map->vma->vm_start + addr needs
 * current to be a task of the map's mm (it is not at exit: exit_mm set current->mm to NULL before
 * mmput ran exit_mmap; nor for another process's task).
 */
function clearByteWrites(d: D, ctx: Ctx, m: GrantMap): boolean {
  if (!ctx.design.pv || ctx.design.clearByte === 'kernel-address') return true;
  const cur = ctx.current;
  return cur !== undefined && cur === m.mmProc && d.procs[cur]?.state === 'running';
}

/**
 * __unmap_grant_pages: the CLEAR_BYTE notification if the run holds its page, then the unmap.
 * 2022: writes the run into the map's one map->unmap_data, takes a map reference and calls
 * gnttab_unmap_refs_async(&map->unmap_data), which unmaps at once unless a page is still
 * referenced, and then schedules its delayed work on that same unmap_data (`inflight` holds a
 * map's unmap_data while its work is pending: at most one entry per map). A second run of the map
 * while the work is pending overwrites unmap_data, so the pending work later runs on the new run,
 * and the older run is never unmapped; if the new run must wait too, gnttab_unmap_refs_async
 * re-initialises the pending work (INIT_DELAYED_WORK) and queues it again: one work for two
 * references (drivers/xen/gntdev.c __unmap_grant_pages, drivers/xen/grant-table.c
 * gnttab_unmap_refs_async, v6.1-6.12). Before 2022 the unmap is synchronous (gnttab_unmap_refs, or
 * _sync which first waits for the references: see the guards).
 */
function unmapRun(d: D, ctx: Ctx, map: number, offset: number, count: number): boolean {
  const m = d.maps[map]!;
  if (m.notify.clear && offset <= 0 && 0 < offset + count) {
    // v3.0-era PV: "err = copy_to_user(tmp, &err, 1); if (err) return -EFAULT;" before unmapping
    if (!clearByteWrites(d, ctx, m)) return false;
    m.notify.clear = false;
    m.notify.cleared++;
  }
  if (ctx.design.unmapWait === 'async') {
    m.users++;
    writeUnmapData(d, ctx, map, offset, count);
    unmapRefsAsync(d, ctx, map, offset, count);
    return true;
  }
  if (ctx.design.unmapWait === 'sync' && anyPageReferenced(d, map, offset, count)) {
    // gnttab_unmap_refs_sync waits (in the caller's context) until page_count <= 1
    const who = referencesOf(d, map, offset, count);
    block(`gnttab_unmap_refs_sync waits for page_count <= 1 on map ${map} [${offset}, ${offset + count}): referenced by ${who.names.join(', ')}`, who);
  }
  const ok = ctx.kernel.gnttabUnmapRefs(d, ctx, map, offset, count);
  for (let i = offset; i < offset + count; i++) {
    m.slots[i]!.user = false;
    m.slots[i]!.kernel = false;
  }
  liveGrantsUnmapped(d, ctx, map, ok);
  return true;
}

/**
 * __unmap_grant_pages writes the run into map->unmap_data; a pending delayed work will read it.
 * The map keeps its own copy only where another thread may write it before the read (readSide).
 */
function writeUnmapData(d: D, ctx: Ctx, map: number, offset: number, count: number): void {
  const m = d.maps[map]!;
  if (ctx.config.readSide > 0) {
    m.unmapOffset = offset;
    m.unmapCount = count;
  }
  const pending = d.inflight.find((u) => u.map === map);
  if (pending) {
    pending.offset = offset;
    pending.count = count;
  }
}

/**
 * gnttab_unmap_refs_async(&map->unmap_data) (drivers/xen/grant-table.c): unmap the run now and
 * call the done callback, or, while a page of it is referenced, schedule the delayed work on the
 * map's unmap_data (already scheduled: it stays one work).
 */
function unmapRefsAsync(d: D, ctx: Ctx, map: number, offset: number, count: number): void {
  if (anyPageReferenced(d, map, offset, count)) {
    if (!d.inflight.some((u) => u.map === map)) d.inflight.push({ map, offset, count });
    return;
  }
  completeUnmap(d, ctx, map, offset, count);
}

/**
 * The scan of unmap_grant_pages by a thread that does not hold the map's lock (there is none):
 * the runs of [offset, offset + pages) whose being_removed[] it reads as false now (nothing if
 * live_grants is 0). Another thread may set them before this one does.
 */
export function scanUnmapRuns(s: State, map: number, offset: number, pages: number): UnmapRun[] {
  const m = s.maps[map];
  if (!m || m.state === 'freed' || m.liveGrants === 0) return [];
  const end = Math.min(offset + pages, m.count);
  const runs: UnmapRun[] = [];
  let i = offset;
  while (i < end) {
    while (i < end && m.slots[i]!.beingRemoved) i++;
    const start = i;
    while (i < end && !m.slots[i]!.beingRemoved) i++;
    if (i > start) runs.push({ map, offset: start, count: i - start });
  }
  return runs;
}

/** The runs an invalidation of [start, end) of proc's mm finds in gntdev's per-map notifiers, without acting on them. */
export function scanInvalidate(s: State, ctx: Ctx, proc: number, start: number, end: number): UnmapRun[] {
  if (!splitInvalidate(ctx)) return [];
  const out: UnmapRun[] = [];
  s.maps.forEach((m, id) => {
    if (m.state !== 'live' || m.notifier !== 'inserted' || m.mmProc !== proc) return;
    const lo = m.pagesVmStart;
    const hi = lo + m.count;
    if (lo >= end || hi <= start) return;
    const ms = Math.max(start, lo);
    out.push(...scanUnmapRuns(s, id, ms - lo, Math.min(end, hi) - ms));
  });
  return out;
}

/** The second half of unmap_grant_pages for one scanned run: being_removed[] set, then __unmap_grant_pages' notify and its write of map->unmap_data, users++. */
export function claimRun(d: D, ctx: Ctx, run: UnmapRun): void {
  const m = d.maps[run.map];
  if (!m || m.state === 'freed') return;
  for (let i = run.offset; i < run.offset + run.count; i++) m.slots[i]!.beingRemoved = true;
  if (m.notify.clear && run.offset <= 0 && 0 < run.offset + run.count) {
    m.notify.clear = false;
    m.notify.cleared++;
  }
  m.users++;
  writeUnmapData(d, ctx, run.map, run.offset, run.count);
}

/** __unmap_grant_pages' call gnttab_unmap_refs_async(&map->unmap_data), on unmap_data as it is now. */
export function submitUnmapData(d: D, ctx: Ctx, map: number): void {
  const m = d.maps[map];
  if (!m || m.state === 'freed' || m.unmapOffset === NONE) return;
  unmapRefsAsync(d, ctx, map, m.unmapOffset, m.unmapCount);
}

/** Who holds references on pages [offset, offset+count) of a map: holder indices, the secondary MMU, user PTEs. */
export function referencesOf(s: State, map: number, offset: number, count: number): { readonly holders: number[]; readonly names: string[] } {
  const holders: number[] = [];
  const names: string[] = [];
  s.holders.forEach((h, i) => {
    if (h.page === 'placeholder' && h.map === map && h.slot >= offset && h.slot < offset + count) {
      holders.push(i);
      names.push(`${h.kind} holder ${i}`);
    }
  });
  for (const [p, proc] of s.procs.entries()) {
    if ([proc.smmu.pending, ...proc.smmu.sptes].some((e) => e.map === map && e.slot >= offset && e.slot < offset + count)) names.push(`process ${p}'s secondary MMU`);
    if (proc.ptes.some((pte) => pte.kind === 'page' && pte.map === map && pte.slot >= offset && pte.slot < offset + count)) names.push(`process ${p}'s page PTEs`);
  }
  return { holders, names };
}

/**
 * gnttab_unmap_refs over a run (drivers/xen/grant-table.c, v6.1): GNTTABOP_unmap_grant_ref of each
 * valid user handle, ClearPageForeign, then clear_foreign_p2m_mapping (p2m back from FOREIGN_FRAME,
 * then the kernel aliases); in the m2p override era (2010-2014) m2p_remove_override of each page.
 * Returns how many handles Xen unmapped successfully. Callers go through `ctx.kernel`.
 */
export function gnttabUnmapRefs(d: D, ctx: Ctx, map: number, offset: number, count: number): number {
  const m = d.maps[map]!;
  let ok = 0;
  for (let i = offset; i < offset + count; i++) {
    const sl = m.slots[i]!;
    if (sl.user && unmapUserGrant(d, ctx.config, map, i) === 'okay') ok++;
    sl.page.foreign = false;
  }
  ok += ctx.kernel.clearForeignP2mMapping(d, ctx, map, offset, count);
  for (let i = offset; i < offset + count; i++) removeOverride(d, map, i);
  return ok;
}

/**
 * The async unmap of a run done: gnttab_unmap_refs, then __unmap_grant_pages_done: count the
 * successful unmaps, set every handle of the run to INVALID_GRANT_HANDLE, live_grants -= successes,
 * and drop the reference __unmap_grant_pages took.
 */
export function completeUnmap(d: D, ctx: Ctx, map: number, offset: number, count: number): void {
  const m = d.maps[map]!;
  const ok = ctx.kernel.gnttabUnmapRefs(d, ctx, map, offset, count);
  for (let i = offset; i < offset + count; i++) {
    m.slots[i]!.user = false;
    m.slots[i]!.kernel = false;
  }
  liveGrantsUnmapped(d, ctx, map, ok);
  ctx.kernel.gntdevPutMap(d, ctx, map);
}

/** gntdev_put_map (drivers/xen/gntdev.c): drop a reference; the last one unmaps (HVM), removes the notifier, sends the event, frees. */
export function putMap(d: D, ctx: Ctx, map: number): void {
  const m = d.maps[map];
  if (!m || m.state === 'freed') return;
  if (ctx.design.refcounted) {
    m.users--;
    if (m.users > 0) return;
  }
  const sendEvent = () => {
    if (m.notify.send) {
      m.notify.send = false;
      m.notify.sent++;
      if (m.notify.clear && d.handles.some((h) => h.map === map && h.slot === 0)) m.notify.early = true;
    }
  };
  if (ctx.design.notifyEvent === 'before-unmap') sendEvent();
  if (!ctx.design.pv) {
    // HVM: the grants stay mapped until the last reference; unmap them now.
    m.users = 1;
    ctx.kernel.unmapGrantPages(d, ctx, map, 0, m.count);
    m.users--;
    if (m.users > 0) return;
  }
  if (m.notifier === 'inserted' && ctx.design.notifierRemoval === 'final-put') m.notifier = 'removed';
  if (ctx.design.notifyEvent === 'after-unmap') sendEvent();
  freeMap(d, map);
}

/** gntdev_free_map: gnttab_free_pages (the placeholder pages go back), unlink from freeable_maps, free. */
export function freeMap(d: D, map: number): void {
  const m = d.maps[map]!;
  for (const sl of m.slots) sl.page.state = 'freed';
  const f = d.files[m.file]!;
  const i = f.freeable.indexOf(map);
  if (i >= 0) f.freeable.splice(i, 1);
  m.state = 'freed';
}

/** gntdev_vma_open (split, fork): one more user. */
export function gntdevVmaOpen(d: D, ctx: Ctx, map: number): void {
  const m = d.maps[map];
  if (m && m.state === 'live' && ctx.design.refcounted) m.users++;
}

/**
 * mmu_interval_notifier_remove (mm/mmu_notifier.c, v5.5+): takes the subscription out of the mm's
 * interval tree and mmdrop()s the mm. It does not check that the subscription is still in the
 * tree: a second call runs interval_tree_remove and mmdrop again (recorded as removed-twice).
 */
export function removeIntervalNotifier(m: Draft<GrantMap>): void {
  m.notifier = m.notifier === 'inserted' ? 'removed' : 'removed-twice';
}

/**
 * gntdev_vma_close. 2011-2019: map->vma = NULL; 2019 (v5.5-6.0) also removes the interval
 * notifier here under use_ptemod, on every close: after a split each piece's close removes it.
 * Then vm_private_data = NULL and gntdev_put_map.
 */
export function gntdevVmaClose(d: D, ctx: Ctx, proc: number, vma: Vma): void {
  const m = d.maps[vma.map];
  const live = d.procs[proc]!.vmas.find((v) => v.id === vma.id) ?? d.procs[proc]!.op.detached.find((v) => v.id === vma.id);
  if (live) live.map = NONE;
  if (!m || m.state === 'freed') return;
  if (ctx.design.tracksMapVma && ctx.design.pv) {
    if (ctx.design.notifierRemoval === 'every-close') removeIntervalNotifier(m);
    m.vma = NONE;
  }
  // 2.6.38 has no reference count: close only forgets the VMA
  if (ctx.design.refcounted) ctx.kernel.gntdevPutMap(d, ctx, vma.map);
}

/** The VMA struct `id` of process `proc`, attached or detached. */
function vmaById(s: State, proc: number, id: number): Vma | undefined {
  const p = s.procs[proc];
  if (!p || id === NONE) return undefined;
  return p.vmas.find((v) => v.id === id) ?? p.op.detached.find((v) => v.id === id);
}

/**
 * Unmaps the part of a map that an invalidation of [start, end) covers, bounded as the era does:
 * by map->vma's current bounds (2011-2019; offsets relative to that VMA's start) or by the map's
 * original extent [pages_vm_start, +count) (2022).
 */
function invalidateMap(d: D, ctx: Ctx, map: number, start: number, end: number): void {
  const m = d.maps[map]!;
  let lo: number;
  let hi: number;
  if (ctx.design.invalidateBounds === 'map-vma') {
    const v = vmaById(d, m.mmProc, m.vma);
    if (!v) return;
    lo = v.start;
    hi = v.end;
  } else {
    lo = m.pagesVmStart;
    hi = m.pagesVmStart + m.count;
  }
  if (lo >= end || hi <= start) return;
  const ms = Math.max(start, lo);
  const me = Math.min(end, hi);
  ctx.kernel.unmapGrantPages(d, ctx, map, ms - lo, me - ms);
}

/**
 * Whether a map is mmapped for its notifier's purposes: 2011-2019 look at map->vma; without
 * map->vma, a map mmapped into this mm (pages_vm_start set) counts.
 */
function notifierSees(ctx: Ctx, m: GrantMap, proc: number): boolean {
  if (m.state !== 'live') return false;
  return ctx.design.tracksMapVma ? m.vma !== NONE : m.pagesVmStart !== NONE && m.mmProc === proc;
}

/** The maps a file's classic notifier walks: priv->maps, then priv->freeable_maps. */
function perFileMaps(s: State, ctx: Ctx, file: number): number[] {
  const f = s.files[file]!;
  return ctx.design.freeableMaps ? [...f.maps, ...f.freeable] : [...f.maps];
}

/**
 * The invalidate callbacks of every subscription of proc's mm over [start, end), in the kernel's
 * order (__mmu_notifier_invalidate_range_start: interval notifiers first, then the classic list):
 * gntdev's per-map interval notifiers, then classic subscribers (gntdev 2011-2019's per-file
 * notifier, the secondary MMU). `kind` is V5's invalidate_range_start, or V3's invalidate_range
 * after the PTEs were cleared.
 */
export function invalidateRange(d: D, ctx: Ctx, proc: number, start: number, end: number, kind: 'start' | 'after' = 'start'): void {
  // the invalidation runs in a task of proc's mm (munmap, madvise, the mmap error path) while it runs
  const cur = asCurrent(ctx, d.procs[proc]!.state === 'running', proc);
  try {
    if (ctx.design.notifier === 'per-map') invalidateGntdev(d, cur, proc, start, end);
    smmuInvalidate(d, ctx, proc, start, end, kind);
    gpuInvalidate(d, proc, start, end);
    if (ctx.design.notifier !== 'per-map') invalidateGntdev(d, cur, proc, start, end);
  } catch (e) {
    throw inNotifierChain(e);
  }
}

/**
 * The waits that blocked inside an MMU-notifier chain (invalidateRange, notifierRelease): the
 * wait-for graph (INV-4) reads it, so that it sees a blocked chain whichever action ran it, the
 * model's or a design's own, and whichever wait blocked, the model's or a design's.
 */
export const blockedInNotifierChain: WeakSet<object> = new WeakSet();

/** Marks a wait that blocks inside a notifier chain on its way out (any other error passes as it is). */
function inNotifierChain(e: unknown): unknown {
  if (e instanceof Blocked) blockedInNotifierChain.add(e);
  return e;
}

/**
 * The classic subscriptions' part of an invalidate_range_start over [start, end) of proc's mm
 * (the secondary MMU, a GPU userptr object), for a caller that runs gntdev's interval notifier in
 * steps of its own (a read-side call with config.readSide > 0).
 */
export function invalidateClassic(d: D, ctx: Ctx, proc: number, start: number, end: number): void {
  smmuInvalidate(d, ctx, proc, start, end, 'start');
  gpuInvalidate(d, proc, start, end);
}

/**
 * Whether gntdev's invalidation runs as the read-side steps scan, claim, unmap (2022 per-map
 * notifiers). Those steps are the model's own unmap_grant_pages cut apart: a design that replaces
 * unmap_grant_pages (ctx.kernel) runs its replacement whole, in the scan step, instead.
 */
export function splitInvalidate(ctx: Ctx): boolean {
  if (ctx.kernel.unmapGrantPages !== unmapGrantPages) return false;
  return ctx.design.pv && ctx.design.notifier === 'per-map' && ctx.design.invalidateBounds === 'pages-vm-start' && ctx.design.unmapWait === 'async';
}

/**
 * A GPU userptr object's own notifier callback (i915, a classic subscriber: after the interval
 * notifiers): it waits for the GPU, then drops its page references in the range.
 */
function gpuInvalidate(d: D, proc: number, start: number, end: number): void {
  for (let i = d.holders.length - 1; i >= 0; i--) {
    const h = d.holders[i]!;
    if (h.kind !== 'gpu' || h.proc !== proc || h.va < start || h.va >= end) continue;
    dropHolder(d, i);
  }
}

/** The holder's reference goes (put_page) and the holder with it. */
export function dropHolder(d: D, i: number): void {
  const h = d.holders[i]!;
  if (h.page === 'placeholder') {
    const page = d.maps[h.map]?.slots[h.slot]?.page;
    if (page && page.pins > 0) page.pins--;
  }
  d.holders.splice(i, 1);
}

/** invalidate_range_end over proc's mm: only the secondary MMU has a callback. */
export function invalidateRangeEnd(d: D, _ctx: Ctx, proc: number): void {
  smmuInvalidateEnd(d, proc);
}

/** gntdev's invalidate over [start, end) of proc's mm. */
function invalidateGntdev(d: D, ctx: Ctx, proc: number, start: number, end: number): void {
  if (!ctx.design.pv) return;
  if (ctx.design.notifier === 'per-map') {
    for (let m = 0; m < d.maps.length; m++) {
      const map = d.maps[m]!;
      if (map.state === 'live' && map.notifier === 'inserted' && map.mmProc === proc) invalidateMap(d, ctx, m, start, end);
    }
  } else if (ctx.design.notifier === 'per-file') {
    for (let f = 0; f < d.files.length; f++) {
      if (d.files[f]!.mnProc !== proc) continue;
      for (const m of perFileMaps(d, ctx, f)) if (notifierSees(ctx, d.maps[m]!, proc)) invalidateMap(d, ctx, m, start, end);
    }
  }
}

/**
 * mmu_notifier_release on proc's mm: interval subscriptions get invalidate(0..ULONG_MAX) and stay
 * in the tree; classic subscriptions get ->release (mn_release: unmap every map with a VMA) and are
 * unhooked.
 */
export function notifierRelease(d: D, outer: Ctx, proc: number): void {
  // exit_mmap runs after exit_mm cleared current->mm
  const ctx = asCurrent(outer, false, proc);
  try {
    // __mmu_notifier_release: the interval notifiers (mn_itree_release) first, then the classic list
    if (ctx.design.pv && ctx.design.notifier === 'per-map') invalidateGntdev(d, ctx, proc, 0, Number.MAX_SAFE_INTEGER);
    smmuRelease(d, ctx, proc);
    gpuInvalidate(d, proc, 0, Number.MAX_SAFE_INTEGER);
    if (ctx.design.pv && ctx.design.notifier === 'per-file') {
      for (let f = 0; f < d.files.length; f++) {
        if (d.files[f]!.mnProc !== proc) continue;
        releaseFileNotifier(d, ctx, f);
      }
    }
  } catch (e) {
    throw inNotifierChain(e);
  }
}

/** A file's classic notifier ->release (mn_release): unmap every map that has a VMA, then unhook it. */
function releaseFileNotifier(d: D, ctx: Ctx, file: number): void {
  const proc = d.files[file]!.mnProc;
  for (const m of perFileMaps(d, ctx, file)) {
    const map = d.maps[m]!;
    if (notifierSees(ctx, map, proc)) ctx.kernel.unmapGrantPages(d, ctx, m, 0, map.count);
  }
  d.files[file]!.mnProc = NONE;
}

/**
 * gntdev_release (last fput): put every map on priv->maps (refcounted eras). 2.6.38: gntdev_del_map
 * each map; a map still mapped (map->vma or a handle set) is refused, and the release loop frees it
 * while it is still on the list (the use-after-free behind regression case 8). Then
 * mmu_notifier_unregister (per-file notifier eras) and kfree(priv).
 */
export function gntdevRelease(d: D, outer: Ctx, file: number, by: number): void {
  const ctx = asCurrent(outer, d.procs[by]?.state === 'running', by);
  const f = d.files[file]!;
  const maps = [...f.maps];
  if (ctx.design.refcounted) {
    f.maps.length = 0;
    for (const m of maps) ctx.kernel.gntdevPutMap(d, ctx, m);
  } else {
    for (const m of maps) {
      const map = d.maps[m]!;
      if (!mapBusy(ctx, map)) f.maps.splice(f.maps.indexOf(m), 1);
      freeMap(d, m);
    }
  }
  // mmu_notifier_unregister runs ->release if the mm has not released the subscription yet
  if (f.mnProc !== NONE) releaseFileNotifier(d, ctx, file);
  f.state = 'released';
}

/** 2.6.38 gntdev_del_map's -EBUSY test: still attached to a VMA, or a handle still set. */
export function mapBusy(ctx: Ctx, m: GrantMap): boolean {
  return m.vma !== NONE || m.slots.some((_, i) => primaryHandle(ctx, m, i));
}
