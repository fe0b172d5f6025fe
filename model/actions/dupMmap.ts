/**
 * fork() — dup_mmap (kernel/fork.c): the child gets a copy of every VMA without VM_DONTCOPY
 * (PV gntdev VMAs have it, unless MADV_DOFORK cleared it; HVM ones do not), copy_page_range copies
 * their PTEs (page references included; a PV grant PTE Xen refuses to copy, leaving the reference
 * copy_present_pte took on the placeholder page), then vm_ops->open on the child's VMA
 * (gntdev_vma_open: users++); arch_dup_mmap pins
 * the child's page tables (PV). The child shares the parent's open files. MMU notifiers are not
 * inherited. The child is the first unused process. gntalloc VMAs have no VM_DONTCOPY: copied, with
 * gntalloc_vma_open.
 */
import type { Ctx } from '../internal/ctx.js';
import { gntallocDupFds, gntallocVmaOpen } from '../internal/gntalloc.js';
import { gntdevVmaOpen } from '../internal/gntdev.js';
import { allocPgtables, copyVma } from '../internal/mm.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

export function dupMmap(ctx: Ctx): ActionRule<'dup_mmap'> {
  return {
    guard: (s, a) => {
      if (!ctx.config.fork) return 'the configuration leaves fork out';
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      return s.procs.some((p) => p.state === 'unused') ? true : 'no unused process left for the child';
    },
    effect: (d, a) => {
      const parent = d.procs[a.p]!;
      const c = d.procs.findIndex((p) => p.state === 'unused');
      const child = d.procs[c]!;
      child.state = 'running';
      child.pgdPinned = ctx.design.pv;
      child.fds = [...parent.fds];
      for (const v of parent.vmas) {
        if (v.dontcopy) continue;
        child.vmas.push(copyVma(v));
        allocPgtables(d, ctx, c, v.start, v.end);
        for (let va = v.start; va < v.end; va++) {
          const pte = parent.ptes[va]!;
          if (pte.kind !== 'grant') {
            child.ptes[va] = { kind: pte.kind, map: pte.map, slot: pte.slot, special: pte.special, ...(pte.apage !== undefined ? { apage: pte.apage } : {}) };
            continue;
          }
          // a PV grant PTE (only once MADV_DOFORK cleared VM_DONTCOPY): copy_present_pte takes a
          // reference on the page vm_normal_page finds (find_special_page: the placeholder), then
          // set_ptes writes B's frame into the child's pinned L1, which Xen refuses (the frame is
          // not A's): the child's PTE stays empty and the reference is never dropped
          if (ctx.design.specialPtes && ctx.design.gupLookup === 'find-special-page') {
            const vma = parent.vmas.find((x) => x.start <= va && va < x.end)!;
            const m = d.maps[vma.map];
            const slot = m ? va - m.pagesVmStart : -1;
            if (m && slot >= 0 && slot < m.count) m.slots[slot]!.page.pins++;
          }
        }
        if (v.map !== -1) gntdevVmaOpen(d, ctx, v.map);
        if (v.gntalloc) gntallocVmaOpen(d, ctx, v);
      }
      gntallocDupFds(d, a.p, c);
    },
  };
}
