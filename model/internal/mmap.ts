/**
 * gntdev_mmap (drivers/xen/gntdev.c) as mmap_region (mm/mmap.c) calls it, and its error path.
 * Shared by the mmap rule and by the MAP_FIXED continuation of munmap.
 */
import { castDraft, type Draft } from 'immer';
import type { MapFail } from '../action.js';
import { NO_OP, NONE, type State, type Vma } from '../state.js';
import type { Ctx } from './ctx.js';
import { invalidateRange, invalidateRangeEnd, liveGrantsMapped, removeIntervalNotifier } from './gntdev.js';
import { allocPgtables, freePgtables, fput, freeVmaId, insertVma, zapVmas } from './mm.js';
import { mapKernelGrant, mapUserGrant } from './xen.js';

type D = Draft<State>;

/** Why gntdev_mmap refuses this map (an errno and its cause), or undefined when it accepts. */
export function mmapRefusal(s: State, ctx: Ctx, p: number, file: number, map: number): string | undefined {
  const f = s.files[file];
  if (!f || f.state !== 'open') return `file ${file} is not open`;
  if (!f.maps.includes(map)) return `-EINVAL: map ${map} is not on priv->maps`;
  const m = s.maps[map]!;
  const d = ctx.design;
  if (d.mmapOnce === 'in-use' && m.inUse) return '-EINVAL: in_use: the map was mmapped once already';
  if (d.mmapOnce === 'map-vma' && d.pv && m.vma !== NONE) return '-EINVAL: map->vma is set';
  if (d.pv && d.notifier === 'per-file' && f.mnProc !== p) return '-EINVAL: "Huh? Other mm?" (priv->mm is another mm)';
  // A handle is named by its slot, so a slot whose old handle leaked cannot be mapped again: the
  // model stops there (the leak is already an INV-2 violation on this path). docs/model.md.
  if (s.handles.some((h) => h.map === map)) return 'model bound: Xen still holds a handle of this map (leaked), it is not mapped again';
  return undefined;
}

/** get_unmapped_area: the lowest free range of `count` pages, or NONE. */
export function freeRange(s: State, ctx: Ctx, p: number, count: number): number {
  const vmas = s.procs[p]!.vmas;
  for (let va = 0; va + count <= ctx.config.vaPages; va++) {
    if (!vmas.some((v) => v.start < va + count && va < v.end)) return va;
  }
  return NONE;
}

/**
 * mmap_region + gntdev_mmap for a range known to be free: take a map reference, set the VMA up,
 * (PV) insert the interval notifier, allocate page tables and record the PTE addresses
 * (find_grant_ptes), then map every grant (gntdev_map_grant_pages: a user-PTE map and a kernel-alias
 * map per page in PV, one host map per page in HVM) and (HVM) insert the pages into the VMA.
 * A failed map leaves the VMA detached and the error path pending (gntdev_mmap_error_path).
 */
export function doMmapAt(d: D, ctx: Ctx, p: number, file: number, map: number, va: number, fail: MapFail): void {
  const design = ctx.design;
  if (mmapRefusal(d, ctx, p, file, map) !== undefined) return; // a MAP_FIXED continuation whose map went away: -EINVAL
  const proc = d.procs[p]!;
  const m = d.maps[map]!;
  if (design.refcounted) m.users++;
  if (design.mmapOnce === 'in-use') m.inUse = true;
  const vma: Vma = { id: freeVmaId(proc), start: va, end: va + m.count, file, map, pgoff: m.index, dontcopy: design.pv, pagesOffset: 0 };
  if (m.flags === NONE) m.flags = 0;
  m.pagesVmStart = va;
  m.mmProc = p;
  if (design.pv && design.tracksMapVma) m.vma = vma.id;
  if (design.setsHasForeignMappings) proc.hasForeignMappings = true;
  if (design.pv && design.notifier === 'per-map') {
    if (fail === 'notifier') {
      mmapNotifierInsertFailed(d, ctx, map);
      return;
    }
    m.notifier = 'inserted';
  }
  let failed = false;
  if (design.pv) allocPgtables(d, ctx, p, va, va + m.count);
  // HVM before 2022 may mmap a map again: "Note: it could already be mapped"
  const alreadyMapped = !design.pv && m.slots[0]!.kernel;
  for (let i = 0; i < m.count && !alreadyMapped; i++) {
    const sl = m.slots[i]!;
    const ref = m.refs[i]!;
    let userOk = true;
    if (design.pv) {
      sl.pte = va + i;
      userOk = mapUserGrant(d, ctx.config, design, map, i, ref, p, va + i, true, fail === `user${i}`);
      sl.user = userOk;
    }
    let kernelOk = true;
    if (!design.pv || design.kernelAlias) {
      kernelOk = mapKernelGrant(d, map, i, ref, true, fail === `kernel${i}`);
      sl.kernel = kernelOk;
    }
    // gnttab_map_refs: SetPageForeign for each successful map
    if ((design.pv && userOk) || (!design.pv && kernelOk)) sl.page.foreign = true;
    if (userOk || kernelOk) sl.page.wasMapped = true;
    // set_foreign_p2m_mapping: only where every map of the slot succeeded; a failed p2m update undoes both
    if (userOk && kernelOk && !ctx.kernel.setForeignP2mMapping(d, ctx, map, i, fail === `p2m${i}`)) {
      userOk = false;
      kernelOk = false;
    }
    // 2010-2014: gnttab_map_refs -> m2p_add_override for each successful user map (which maps the kernel alias)
    if (design.m2pOverride && design.pv && userOk) d.overrides.unshift({ ref, map, slot: i });
    liveGrantsMapped(d, ctx, map, userOk, kernelOk);
    if (!userOk || !kernelOk) failed = true;
  }
  if (failed) {
    proc.op = castDraft({ ...NO_OP, kind: 'mmap_error', start: va, end: va + m.count, detached: [vma] });
    return;
  }
  if (!design.pv) {
    // vm_map_pages_zero: the placeholder pages become ordinary PTEs of the VMA
    for (let i = 0; i < m.count; i++) proc.ptes[va + i] = { kind: 'page', map, slot: i, special: false };
  }
  insertVma(proc, vma);
}

/**
 * gntdev_mmap when mmu_interval_notifier_insert_locked fails (per-map notifier eras): out_unlock_put,
 * before anything was mapped: map->vma = NULL (2019), unmap_grant_pages (which finds nothing to
 * unmap), gntdev_put_map drops the reference the mmap took. The mmap returns the error; no VMA.
 */
export function mmapNotifierInsertFailed(d: D, ctx: Ctx, map: number): void {
  const m = d.maps[map]!;
  if (ctx.design.tracksMapVma) m.vma = NONE;
  ctx.kernel.unmapGrantPages(d, ctx, map, 0, m.count);
  ctx.kernel.gntdevPutMap(d, ctx, map);
}

/**
 * The failed mmap's error path: gntdev's out_put_map (PV, v4.16+: unmap_grant_pages over the whole
 * map; 2011-2019 clear map->vma, which 2.6.38 forgot), gntdev_put_map; then mmap_region's
 * unmap_and_free_vma: fput, and unmap_region over the range (zap, free page tables). unmap_region
 * is munmap's too: it makes the MMU-notifier calls the design's munmap sequence lists
 * (Design.munmapSteps: invalidate_range_start before the zap, _end or V3's invalidate_range after),
 * in the kernel's order. vm_ops->close is not called: the VMA was never linked.
 */
export function mmapErrorPath(d: D, ctx: Ctx, p: number): void {
  const proc = d.procs[p]!;
  const op = proc.op;
  const vma = { ...op.detached[0]! };
  const m = d.maps[vma.map];
  if (m && m.state === 'live') {
    if (ctx.design.pv) {
      if (ctx.design.mmapErrorUnmaps) ctx.kernel.unmapGrantPages(d, ctx, vma.map, 0, m.count);
      if (ctx.design.tracksMapVma && ctx.design.mmapErrorClearsVma) {
        // v5.5-6.0 out_put_map: "if (map->vma) { mmu_interval_notifier_remove(&map->notifier); map->vma = NULL; }"
        if (ctx.design.notifierRemoval === 'every-close' && m.vma !== NONE) removeIntervalNotifier(m);
        m.vma = NONE;
      }
    }
    if (ctx.design.refcounted) ctx.kernel.gntdevPutMap(d, ctx, vma.map);
  }
  proc.op = castDraft(NO_OP);
  fput(d, ctx, vma.file, p);
  const steps = ctx.design.munmapSteps;
  if (steps.includes('mmu_notifier_invalidate_range_start')) invalidateRange(d, ctx, p, vma.start, vma.end, 'start');
  zapVmas(d, ctx, p, vma.start, vma.end, [vma]);
  if (steps.includes('mmu_notifier_invalidate_range_end')) invalidateRangeEnd(d, ctx, p);
  if (steps.includes('mmu_notifier_invalidate_range')) invalidateRange(d, ctx, p, vma.start, vma.end, 'after');
  freePgtables(d, ctx, p);
}
