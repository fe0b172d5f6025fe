/**
 * IOCTL_GNTALLOC_ALLOC_GREF — gntalloc_ioctl_alloc and add_grefs (drivers/xen/gntalloc.c), in two
 * steps, because the grants are live before the ioctl returns:
 * 1. `gntalloc_ioctl_alloc`: under gref_mutex do_cleanup(), the limit check (-ENOSPC),
 *    gref_size += count, op.index = priv->index and priv->index += count; unlock; then add_grefs'
 *    loop: per page kzalloc(gref) with users = 1 and file_index, alloc_page, and
 *    gnttab_grant_foreign_access(op.domid, frame, readonly): from here the remote domain may map
 *    the page, "by blindly guessing" the ref if need be.
 * 2. `add_grefs_splice`: under gref_mutex, list_splice_tail onto gref_list and priv->list;
 *    copy_to_user of the ids; return.
 * Seed 004's proposal (gntalloc-user-offsets) adds a MAP_FIXED-like flag: `offset` is the caller's,
 * refused with -EBUSY where it overlaps an allocation of the file (on priv->list or being added).
 * Abstracted: add_grefs' allocation failures and its undo path; GNTALLOC_FLAG_WRITABLE is always
 * given (entries are writable).
 */
import type { Ctx } from '../internal/ctx.js';
import { allocRefusal, cleanupPending, doCleanup } from '../internal/gntalloc.js';
import { gntallocOf } from '../design.js';
import { NONE } from '../state.js';
import { notRunning, type ActionRule } from './common.js';
import { noAllocFd, noGntalloc } from './gntallocCommon.js';

/** The rule of `gntalloc_ioctl_alloc`: up to add_grefs' grants. */
export function gntallocIoctlAlloc(ctx: Ctx): ActionRule<'gntalloc_ioctl_alloc'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx) ?? notRunning(s, a.p) ?? noAllocFd(s, a.p, a.file);
      if (r) return r;
      const g = ctx.config.gntalloc!;
      if (!g.counts.includes(a.count)) return `the configuration allocates ${g.counts.join(' or ')} pages`;
      if (a.dom < 0 || a.dom >= g.remotes) return `no remote domain ${a.dom}`;
      if (a.offset !== NONE && gntallocOf(ctx.design).offsets !== 'user-fixed') return 'this gntalloc chooses every offset itself (no MAP_FIXED-like flag)';
      // do_cleanup may free grefs first; only when it has nothing to do is a refusal certain
      if (!cleanupPending(s)) {
        const why = allocRefusal(s, ctx, a);
        if (why) return why;
      }
      return true;
    },
    effect: (d, a) => doCleanup(d, ctx, [{ p: a.p, file: a.file, count: a.count, offset: a.offset, dom: a.dom }]),
  };
}

/** The rule of `add_grefs_splice`: the splice and the ioctl's return. */
export function addGrefsSplice(ctx: Ctx): ActionRule<'add_grefs_splice'> {
  return {
    guard: (s, a) => noGntalloc(ctx) ?? (s.alloc.adding.some((x) => x.proc === a.p) ? true : `process ${a.p} is not inside ALLOC_GREF`),
    effect: (d, a) => {
      const i = d.alloc.adding.findIndex((x) => x.proc === a.p);
      const { file, grefs } = d.alloc.adding[i]!;
      d.alloc.grefList.push(...grefs);
      d.alloc.files[file]!.list.push(...grefs);
      d.alloc.adding.splice(i, 1);
    },
  };
}
