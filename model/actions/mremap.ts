/**
 * mremap(old_addr, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, new_addr) of a whole VMA to a free
 * range — move_vma (mm/mremap.c, v6.12), under mmap_write_lock:
 * 1. copy_vma (mm/vma.c): a new VMA at the new range, vm_ops->open on it (gntdev_vma_open: users++);
 * 2. move_page_tables: mmu_notifier_invalidate_range_start(MMU_NOTIFY_UNMAP, old range) (gntdev
 *    unmaps the grants there, or defers them while a page is referenced), then move_ptes:
 *    ptep_get_and_clear of each old PTE and set_pte_at at the new address. A grant PTE still
 *    present is cleared without GNTTABOP_unmap_grant_ref, and Xen refuses the foreign frame at the
 *    new address (get_page_from_l1e: the frame is not A's), so the new PTE stays empty; an ordinary
 *    page PTE (HVM, gntalloc) moves; then _end;
 * 3. do_vmi_munmap of the old range: its VMA is closed (gntdev_vma_close: users--).
 * gntdev keeps pages_vm_start and its interval notifier on the old range: nothing tells it the VMA
 * moved (gntdev_vmops has no mremap hook). Whole, same-size moves only: a partial mremap would
 * split the VMA first, as munmap does.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { gntallocVmaOpen } from '../internal/gntalloc.js';
import { gntdevVmaOpen, invalidateRange, invalidateRangeEnd } from '../internal/gntdev.js';
import { allocPgtables, freePgtables, freeVmaId, insertVma, removeVmas, zapPte } from '../internal/mm.js';
import { NO_OP, NO_PTE, type Vma } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

export function mremap(ctx: Ctx): ActionRule<'mremap'> {
  return {
    guard: (s, a) => {
      if (!ctx.config.mremap) return 'the configuration leaves mremap out';
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      const proc = s.procs[a.p]!;
      const v = proc.vmas.find((x) => x.start === a.start);
      if (!v) return `no VMA starts at page ${a.start}`;
      const len = v.end - v.start;
      if (a.to === a.start) return 'the new address is the old one';
      if (a.to + len > ctx.config.vaPages) return 'the new range leaves the address space';
      return proc.vmas.some((x) => x.start < a.to + len && a.to < x.end) ? 'MREMAP_FIXED onto a mapped range is not modelled (it would munmap it first)' : true;
    },
    effect: (d, a) => {
      const proc = d.procs[a.p]!;
      const o = proc.vmas.find((x) => x.start === a.start)!;
      const len = o.end - o.start;
      const ga = o.gntalloc ? { file: o.gntalloc.file, priv: o.gntalloc.priv } : undefined;
      const fields = { file: o.file, map: o.map, pgoff: o.pgoff, dontcopy: o.dontcopy, pagesOffset: o.pagesOffset };
      const old: Vma = { id: o.id, start: o.start, end: o.end, ...fields, ...(ga ? { gntalloc: ga } : {}) };
      // copy_vma: the new struct, vm_ops->open
      const moved: Vma = { id: freeVmaId(proc), start: a.to, end: a.to + len, ...fields, ...(ga ? { gntalloc: { file: ga.file, priv: ga.priv } } : {}) };
      insertVma(proc, moved);
      if (fields.map !== -1) gntdevVmaOpen(d, ctx, fields.map);
      if (ga) gntallocVmaOpen(d, ctx, moved);
      // move_page_tables under the MMU_NOTIFY_UNMAP invalidation of the old range
      invalidateRange(d, ctx, a.p, a.start, a.start + len, 'start');
      allocPgtables(d, ctx, a.p, a.to, a.to + len);
      for (let k = 0; k < len; k++) {
        const pte = proc.ptes[a.start + k]!;
        if (pte.kind === 'page') {
          proc.ptes[a.to + k] = castDraft({ kind: pte.kind, map: pte.map, slot: pte.slot, special: pte.special, ...(pte.apage !== undefined ? { apage: pte.apage } : {}) });
          proc.ptes[a.start + k] = castDraft(NO_PTE);
        } else if (pte.kind === 'grant') zapPte(d, ctx, a.p, a.start + k);
      }
      invalidateRangeEnd(d, ctx, a.p);
      // do_vmi_munmap of the old range: detach, (nothing left to zap), free page tables, close
      proc.vmas.splice(proc.vmas.findIndex((x) => x.id === old.id), 1);
      proc.op = castDraft({ ...NO_OP, kind: 'munmap', start: a.start, end: a.start + len, detached: [old] });
      freePgtables(d, ctx, a.p);
      removeVmas(d, ctx, a.p, 'detached');
      proc.op = castDraft(NO_OP);
    },
  };
}
