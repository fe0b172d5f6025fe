/**
 * fork() — dup_mmap (kernel/fork.c): the child gets a copy of every VMA without VM_DONTCOPY
 * (PV gntdev VMAs have it; HVM ones do not), copy_page_range copies their PTEs (page references
 * included), then vm_ops->open on the child's VMA (gntdev_vma_open: users++); arch_dup_mmap pins
 * the child's page tables (PV). The child shares the parent's open files. MMU notifiers are not
 * inherited. The child is the first unused process. gntalloc VMAs have no VM_DONTCOPY: copied, with
 * gntalloc_vma_open.
 */
import type { Ctx } from '../internal/ctx.js';
import { gntallocDupFds, gntallocVmaOpen } from '../internal/gntalloc.js';
import { gntdevVmaOpen } from '../internal/gntdev.js';
import { allocPgtables } from '../internal/mm.js';
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
        child.vmas.push({ ...v });
        allocPgtables(d, ctx, c, v.start, v.end);
        for (let va = v.start; va < v.end; va++) child.ptes[va] = { ...parent.ptes[va]! };
        if (v.map !== -1) gntdevVmaOpen(d, ctx, v.map);
        if (v.gntalloc) gntallocVmaOpen(d, ctx, v);
      }
      gntallocDupFds(d, a.p, c);
    },
  };
}
