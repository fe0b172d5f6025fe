/**
 * Core mm helpers the entry points share (mm/mmap.c, mm/memory.c, kernel/fork.c, fs/file_table.c):
 * finding and splitting VMAs, zapping PTEs, freeing page tables, fput. They mutate a draft.
 */
import { castDraft, type Draft } from 'immer';
import { NO_PTE, NONE, type Proc, type State, type Vma } from '../state.js';
import type { Ctx } from './ctx.js';
import { allocFput, forgetGarbage, gntallocVmaClose, gntallocVmaOpen } from './gntalloc.js';
import { gntdevRelease, gntdevVmaClose, gntdevVmaOpen, invalidateRange, invalidateRangeEnd, liveGrantsUnmapped } from './gntdev.js';
import { l1Of, removeOverride, restoredP2m, unmapKernelGrant, unmapUserGrant, userPteIntact } from './xen.js';

type D = Draft<State>;

/** The VMA containing virtual page `va`, or undefined (find_vma + a start check). */
export function vmaAt(p: Proc, va: number): Vma | undefined {
  return p.vmas.find((v) => v.start <= va && va < v.end);
}

/** The lowest VMA id not used by any VMA of the mm (attached or detached). */
export function freeVmaId(p: Proc): number {
  const used = new Set([...p.vmas, ...p.op.detached].map((v) => v.id));
  let id = 0;
  while (used.has(id)) id++;
  return id;
}

/** A plain copy of a VMA (fork's vm_area_dup), field by field. */
export function copyVma(v: Vma): Vma {
  const { id, start, end, file, map, pgoff, dontcopy, pagesOffset } = v;
  return { id, start, end, file, map, pgoff, dontcopy, pagesOffset, ...(v.gntalloc ? { gntalloc: { file: v.gntalloc.file, priv: v.gntalloc.priv } } : {}) };
}

/** Inserts a VMA keeping the mm's list sorted by start. */
export function insertVma(p: Draft<Proc>, v: Vma): void {
  let i = 0;
  while (i < p.vmas.length && p.vmas[i]!.start < v.start) i++;
  p.vmas.splice(i, 0, v);
}

/**
 * __split_vma(mm, vma, addr, new_below): the new struct is a copy; with new_below it takes the
 * lower part [start, addr), else the upper part [addr, end); the original keeps the rest. Then
 * vm_ops->open(new) (mm/mmap.c; mm/vma.c in v6.12). Which calls munmap makes is the design's
 * munmapSplit (beginMunmap). Draft B's per-VMA page array is split along (the upper piece starts further in), unless the
 * design forgets.
 */
export function splitVma(d: D, ctx: Ctx, proc: number, vmaIndex: number, addr: number, newBelow: boolean): void {
  const p = d.procs[proc]!;
  const orig = p.vmas[vmaIndex]!;
  const id = freeVmaId(p);
  const shift = ctx.design.pageArraySplit ? addr - orig.start : 0;
  const lower = { start: orig.start, end: addr, pgoff: orig.pgoff, pagesOffset: orig.pagesOffset };
  const upper = { start: addr, end: orig.end, pgoff: orig.pgoff + (addr - orig.start), pagesOffset: orig.pagesOffset + shift };
  const mine = newBelow ? upper : lower;
  const theirs = newBelow ? lower : upper;
  const copy: Vma = { ...orig, id, ...theirs };
  orig.start = mine.start;
  orig.end = mine.end;
  orig.pgoff = mine.pgoff;
  orig.pagesOffset = mine.pagesOffset;
  insertVma(p, copy);
  if (copy.map !== NONE) gntdevVmaOpen(d, ctx, copy.map);
  if (copy.gntalloc) gntallocVmaOpen(d, ctx, copy);
}

/** struct file's reference count: file descriptors plus VMAs (attached, detached, being closed). */
export function fileRefs(s: State, file: number): number {
  let n = 0;
  for (const p of s.procs) {
    if (p.fds[file]) n++;
    for (const v of p.vmas) if (v.file === file) n++;
    for (const v of p.op.detached) if (v.file === file) n++;
  }
  return n;
}

/** fput by process `by`'s task: after a reference was dropped, the last one runs f_op->release (gntdev_release). */
export function fput(d: D, ctx: Ctx, file: number, by: number): void {
  if (d.files[file]!.state === 'open' && fileRefs(d, file) === 0) gntdevRelease(d, ctx, file, by);
}

/**
 * Clears the PTE at (proc, va) as zap_pte_range does. What happens to a grant PTE still present is
 * the design's choice (Design.zapGrantPte): cleared like any PTE (an implicit unmap), or unmapped
 * with its handle by XenLinux's zap hook or seed 000's shadow page. A page PTE drops its
 * reference (derived: page_count counts PTEs).
 */
export function zapPte(d: D, ctx: Ctx, proc: number, va: number): void {
  const p = d.procs[proc]!;
  const pte = p.ptes[va]!;
  if (pte.kind === 'grant' && ctx.design.zapGrantPte !== 'clear') {
    teardownGrantSlot(d, ctx, pte.map, pte.slot);
  }
  p.ptes[va] = castDraft(NO_PTE);
}

/**
 * The zap alone (unmap_single_vma -> zap_pte_range, no notifier call): every PTE of the VMAs
 * `vmas` within [start, end).
 */
export function zapVmas(d: D, ctx: Ctx, proc: number, start: number, end: number, vmas: readonly { readonly start: number; readonly end: number }[]): void {
  for (const v of vmas.map((x) => ({ start: x.start, end: x.end }))) {
    for (let va = Math.max(v.start, start); va < Math.min(v.end, end); va++) zapPte(d, ctx, proc, va);
  }
}

/**
 * unmap_vmas over the VMAs `vmas` within [start, end), with the notifier calls the kernel's
 * unmap_vmas makes around the zap: V5 brackets it with invalidate_range_start/_end, V3 calls
 * invalidate_range after the PTEs are cleared.
 */
export function zapRange(d: D, ctx: Ctx, proc: number, start: number, end: number, vmas: readonly { readonly start: number; readonly end: number }[]): void {
  const v5 = ctx.design.notifierProtocol === 'v5';
  if (v5) invalidateRange(d, ctx, proc, start, end, 'start');
  zapVmas(d, ctx, proc, start, end, vmas);
  if (v5) invalidateRangeEnd(d, ctx, proc);
  else invalidateRange(d, ctx, proc, start, end, 'after');
}

/**
 * Tears a slot's grant down the way XenLinux's zap hook and seed 000's shadow page do: unmap the
 * user PTE and the kernel alias with their handles, restore the page's physical backing when the
 * design has that flag, and forget the handles (whatever Xen answered; live_grants counts only
 * what Xen unmapped).
 */
export function teardownGrantSlot(d: D, ctx: Ctx, map: number, slot: number): void {
  const m = d.maps[map];
  if (!m || m.state === 'freed') return;
  const sl = m.slots[slot]!;
  let ok = 0;
  if (sl.user && unmapUserGrant(d, ctx.config, map, slot) === 'okay') ok++;
  if (sl.kernel && unmapKernelGrant(d, map, slot) === 'okay') ok++;
  liveGrantsUnmapped(d, ctx, map, ok);
  removeOverride(d, map, slot);
  sl.user = false;
  sl.kernel = false;
  sl.page.foreign = false;
  if (sl.page.p2m === 'foreign') sl.page.p2m = ctx.design.restoreBacking ? restoredP2m(ctx.design) : 'absent';
}

/** Unpins one page-table page (MMUEXT_UNPIN_TABLE); with the shadow page, its grant PTEs are torn down first. */
export function unpinL1(d: D, ctx: Ctx, proc: number, l1: number): void {
  const p = d.procs[proc]!;
  const t = p.l1[l1]!;
  if (!t.pinned) return;
  if (ctx.design.unpinGrantPtes === 'shadow-teardown' && t.shadow) {
    const k = ctx.config.ptesPerL1;
    for (let va = l1 * k; va < (l1 + 1) * k; va++) {
      const pte = p.ptes[va]!;
      if (pte.kind === 'grant') teardownGrantSlot(d, ctx, pte.map, pte.slot);
    }
    t.shadow = false;
  }
  t.pinned = false;
}

/** xen_pgd_unpin: unpins the pgd and every page-table page of the mm. */
export function unpinMm(d: D, ctx: Ctx, proc: number): void {
  const p = d.procs[proc]!;
  if (!p.pgdPinned) return;
  for (let l = 0; l < p.l1.length; l++) unpinL1(d, ctx, proc, l);
  p.pgdPinned = false;
}

/**
 * free_pgtables: frees the page-table pages that no VMA covers any more, or all of them (`all`, at
 * exit) (xen_release_ptpage unpins a pinned one first). A page table freed with a grant PTE in it leaves that PTE's handle dangling.
 */
export function freePgtables(d: D, ctx: Ctx, proc: number, all = false): void {
  const p = d.procs[proc]!;
  const k = ctx.config.ptesPerL1;
  for (let l = 0; l < p.l1.length; l++) {
    const t = p.l1[l]!;
    if (!t.present) continue;
    const lo = l * k;
    const hi = lo + k;
    if (!all && p.vmas.some((v) => v.start < hi && lo < v.end)) continue;
    unpinL1(d, ctx, proc, l);
    for (let va = lo; va < hi; va++) p.ptes[va] = castDraft(NO_PTE);
    t.present = false;
    t.shadow = false;
  }
}

/**
 * Allocates the page-table pages covering [start, end) (apply_to_page_range / __pte_alloc);
 * xen_alloc_ptpage pins a new one when the mm's pgd is pinned.
 */
export function allocPgtables(d: D, ctx: Ctx, proc: number, start: number, end: number): void {
  const p = d.procs[proc]!;
  for (let va = start; va < end; va++) {
    const t = p.l1[l1Of(ctx.config, va)]!;
    if (!t.present) {
      t.present = true;
      t.pinned = p.pgdPinned;
    }
  }
}

/**
 * remove_vma on every VMA of a set (the munmap's detached VMAs, or all of them at exit):
 * vm_ops->close on each (gntdev_vma_close, gntalloc_vma_close), then the VMAs are gone, then fput
 * of each vm_file; `beforeFput` runs between the two (v6.12's MAP_FIXED: the new mapping's mmap).
 */
export function removeVmas(d: D, ctx: Ctx, proc: number, which: 'detached' | 'all', beforeFput?: () => void): void {
  const p = d.procs[proc]!;
  const vmas = (which === 'detached' ? p.op.detached : p.vmas).map((v) => ({ ...v }));
  for (const v of vmas) {
    if (v.map !== NONE) gntdevVmaClose(d, ctx, proc, v);
    if (v.gntalloc) gntallocVmaClose(d, ctx, v);
  }
  if (which === 'detached') p.op.detached = [];
  else p.vmas = [];
  beforeFput?.();
  for (const f of new Set(vmas.filter((v) => v.file !== NONE).map((v) => v.file))) fput(d, ctx, f, proc);
  for (const f of new Set(vmas.flatMap((v) => (v.gntalloc ? [v.gntalloc.file] : [])))) allocFput(d, ctx, f);
  if (ctx.config.gntalloc) forgetGarbage(d, ctx);
}

/** True when a user handle of `proc` still has its PTE (used to name implicit unmaps). */
export function hasIntactGrant(s: State, ctx: Ctx, proc: number): boolean {
  return s.handles.some((h) => h.kind === 'user' && h.proc === proc && userPteIntact(s, ctx.config, h));
}
