/**
 * __del_gref (drivers/xen/gntalloc.c) where it takes more than one action:
 * - gntalloc 2011 (v2.6.39-5.16), after its query: gnttab_query_foreign_access said "not in use",
 *   and now gnttab_end_foreign_access_ref runs. Between the two a remote domain may map the ref
 *   (XSA-396). Then, per design: return if it failed (`gntalloc-2011`, the source as read), or
 *   free the ref and the page whatever it answered (the what-if `gntalloc-2011-revoke-assumed`);
 *   the caller's loop goes on.
 * - today's __del_gref split into its parts (notify, revoke, free), in the design's delGrefOrder or,
 *   in the orderings tool's family model, in the order of each variant.
 * gref_mutex is held throughout: nothing else of A runs in between; the remote domains do.
 */
import type { Ctx } from '../internal/ctx.js';
import { delGrefRevoke, delGrefStep } from '../internal/gntalloc.js';
import { delGrefSplit, gntallocOf } from '../design.js';
import { DEL_GREF_STEPS, type DelGrefStep, type State } from '../state.js';
import type { ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `__del_gref` (gntalloc 2011: the revoke after the query). */
export function delGref(ctx: Ctx): ActionRule<'__del_gref'> {
  return {
    guard: (s) =>
      noGntalloc(ctx) ??
      (delGrefSplit(ctx.design) ? '__del_gref runs as __del_gref_step actions in this design' : s.alloc.delGref.queue.length > 0 ? true : 'no __del_gref is between its query and its revoke'),
    effect: (d) => delGrefRevoke(d, ctx),
  };
}

/** Whether `step` may run next on the queue's head: the design's order, or (family model) any step not done yet. */
function stepAllowed(ctx: Ctx, s: State, step: DelGrefStep): true | string {
  const done = s.alloc.delGref.done;
  if (done.includes(step)) return `${step} is done already for gref ${s.alloc.delGref.queue[0]}`;
  // the orderings tool's family model: the family search's variants allow each ordering's own step
  if (ctx.design.dynamicOrder?.sequence === 'del_gref') return true;
  const next = (gntallocOf(ctx.design).delGrefOrder ?? DEL_GREF_STEPS)[done.length];
  return next === step ? true : `the next part of __del_gref is ${next}`;
}

/** The rule of `__del_gref_step` (today's __del_gref, split into notify, revoke and free). */
export function delGrefStepRule(ctx: Ctx): ActionRule<'__del_gref_step'> {
  return {
    guard: (s, a) =>
      noGntalloc(ctx) ??
      (!delGrefSplit(ctx.design) ? '__del_gref is one action in this design (no delGrefOrder)' : s.alloc.delGref.queue.length === 0 ? 'no __del_gref is in progress' : stepAllowed(ctx, s, a.step)),
    effect: (d, a) => delGrefStep(d, ctx, a.step),
  };
}
