/**
 * gnttab_add_deferred's allocation (drivers/xen/grant-table.c): kmalloc(sizeof(*entry), gfp)
 * returns; the entry {ref, page} is appended to deferred_list and the timer armed, or, on failure,
 * "leaking g.e. ... (total leaked ...)": leaked_count++ and the ref and page are never freed. Only
 * with config.gntalloc.deferredAllocFails is the outcome a step of its own; the caller
 * (gnttab_end_foreign_access in __del_gref) waits for it.
 */
import type { Ctx } from '../internal/ctx.js';
import type { ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `gnttab_add_deferred` (its kmalloc's outcome). */
export function gnttabAddDeferred(ctx: Ctx): ActionRule<'gnttab_add_deferred'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx);
      if (r) return r;
      if (s.alloc.kmalloc.length === 0) return 'gnttab_add_deferred is not allocating';
      if (a.kmallocFails && !ctx.config.gntalloc!.deferredAllocFails) return "the configuration's kmalloc does not fail";
      return true;
    },
    effect: (d, a) => {
      const e = d.alloc.kmalloc.shift()!;
      (a.kmallocFails ? d.alloc.leaked : d.alloc.deferred).push(e);
    },
  };
}
