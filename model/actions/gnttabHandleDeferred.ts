/**
 * The deferred-free timer — gnttab_handle_deferred (drivers/xen/grant-table.c, every HZ while
 * deferred_list is not empty): each entry: _gnttab_end_foreign_access_ref; on success
 * put_free_entry(ref), put_page(page), kfree(entry); on failure requeue at the tail. A run that
 * would end nothing is a stutter step and is left out (the guard says so).
 */
import type { Ctx } from '../internal/ctx.js';
import { handleDeferred, revocableDeferred } from '../internal/gnttab.js';
import type { ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `gnttab_handle_deferred` (the timer). */
export function gnttabHandleDeferred(ctx: Ctx): ActionRule<'gnttab_handle_deferred'> {
  return {
    guard: (s) => {
      const r = noGntalloc(ctx);
      if (r) return r;
      if (s.alloc.deferred.length === 0) return 'deferred_list is empty: the timer is not armed';
      return revocableDeferred(s) > 0 ? true : 'every deferred ref is still mapped: the timer would end none';
    },
    effect: (d) => handleDeferred(d),
  };
}
