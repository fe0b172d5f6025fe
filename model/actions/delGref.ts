/**
 * __del_gref after its query (drivers/xen/gntalloc.c, v2.6.39-5.16): gnttab_query_foreign_access
 * said "not in use", and now gnttab_end_foreign_access_ref runs. Between the two a remote domain may
 * map the ref (XSA-396). Then, per design: free the ref and the page whatever the revoke answered
 * (`gntalloc-2011`), or return if it failed (`gntalloc-2011-checked`, the source as read); the
 * caller's loop goes on. gref_mutex is held throughout: nothing else of A runs in between.
 */
import type { Ctx } from '../internal/ctx.js';
import { delGrefRevoke } from '../internal/gntalloc.js';
import type { ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `__del_gref` (the revoke after the query). */
export function delGref(ctx: Ctx): ActionRule<'__del_gref'> {
  return {
    guard: (s) => noGntalloc(ctx) ?? (s.alloc.delGref.queue.length > 0 ? true : 'no __del_gref is between its query and its revoke'),
    effect: (d) => delGrefRevoke(d, ctx),
  };
}
