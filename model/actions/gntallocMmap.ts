/**
 * mmap(fd, offset, length, MAP_SHARED) on gntalloc — mmap_region (mm/mmap.c) -> gntalloc_mmap
 * (drivers/xen/gntalloc.c): VM_SHARED required; find_grefs(priv, vm_pgoff << PAGE_SHIFT,
 * vma_pages) must find a contiguous run on priv->list (-ENOENT); vm_priv = {gref: the first,
 * users: 1, count}; per page gref->users++ and vm_insert_page of the gref's page (an ordinary PTE
 * holding a page reference), walking next_file. No VM_DONTCOPY: fork copies the VMA. The kernel
 * picks the address (lowest free range); private mappings (refused) and vm_insert_page failures are
 * not modelled, and a gref with MAX_USERS users is not mmapped again (a bound).
 */
import type { Ctx } from '../internal/ctx.js';
import { findGrefs, newVmPrivId } from '../internal/gntalloc.js';
import { allocPgtables, freeVmaId, insertVma } from '../internal/mm.js';
import { freeRange } from '../internal/mmap.js';
import { NONE, type Vma } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';
import { noAllocFd, noGntalloc } from './gntallocCommon.js';

/**
 * A bound: no mmap of a gref that has this many users. It keeps the state space finite where users
 * only grows (gntalloc 2011's open/close count only the first gref, so the others gain a user per
 * mmap for ever); today's counts stay below it within the configurations' bounds.
 */
export const MAX_USERS = 3;

/** The rule of `gntalloc_mmap`. */
export function gntallocMmap(ctx: Ctx): ActionRule<'gntalloc_mmap'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx) ?? notRunning(s, a.p) ?? mmBusy(s, a.p) ?? noAllocFd(s, a.p, a.file);
      if (r) return r;
      if (!ctx.config.gntalloc!.mmapCounts.includes(a.count)) return `the configuration mmaps ${ctx.config.gntalloc!.mmapCounts.join(' or ')} pages`;
      const run = findGrefs(s, a.file, a.pgoff, a.count);
      if (!run) return `-ENOENT: no run of ${a.count} gref(s) at offset ${a.pgoff} on priv->list`;
      if (run.some((id) => s.alloc.grefs[id]!.users >= MAX_USERS)) return `model bound: a gref of the run has ${MAX_USERS} users already`;
      return freeRange(s, ctx, a.p, a.count) === NONE ? '-ENOMEM: no free range' : true;
    },
    effect: (d, a) => {
      const run = findGrefs(d, a.file, a.pgoff, a.count)!;
      const proc = d.procs[a.p]!;
      const va = freeRange(d, ctx, a.p, a.count);
      const priv = newVmPrivId(d, ctx);
      d.alloc.vmPrivs[priv] = { state: 'live', gref: run[0]!, users: 1, count: a.count, pgoff: a.pgoff, grefs: run };
      const vma: Vma = { id: freeVmaId(proc), start: va, end: va + a.count, file: NONE, map: NONE, pgoff: a.pgoff, dontcopy: false,
        pagesOffset: 0, gntalloc: { file: a.file, priv } };
      insertVma(proc, vma);
      allocPgtables(d, ctx, a.p, va, va + a.count);
      run.forEach((id, i) => {
        const g = d.alloc.grefs[id]!;
        g.users++;
        proc.ptes[va + i] = { kind: 'page', map: NONE, slot: NONE, special: false, apage: g.page };
      });
    },
  };
}
