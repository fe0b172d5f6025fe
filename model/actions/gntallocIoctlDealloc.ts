/**
 * IOCTL_GNTALLOC_DEALLOC_GREF — gntalloc_ioctl_dealloc (drivers/xen/gntalloc.c): under gref_mutex,
 * find_grefs(priv, index, count) on priv->list; each: list_del(next_file) and users-- ("The later
 * call to do_cleanup() will remove from gref_list and free the memory if the pages aren't mapped
 * anywhere"); then do_cleanup(). A run that is not on the list (-EINVAL) is not enumerated.
 */
import type { Ctx } from '../internal/ctx.js';
import { doCleanup, findGrefs } from '../internal/gntalloc.js';
import { notRunning, type ActionRule } from './common.js';
import { noAllocFd, noGntalloc } from './gntallocCommon.js';

/** The rule of `gntalloc_ioctl_dealloc`. */
export function gntallocIoctlDealloc(ctx: Ctx): ActionRule<'gntalloc_ioctl_dealloc'> {
  return {
    guard: (s, a) =>
      noGntalloc(ctx) ??
      notRunning(s, a.p) ??
      noAllocFd(s, a.p, a.file) ??
      (findGrefs(s, a.file, a.index, a.count) ? true : `-EINVAL: no run of ${a.count} gref(s) at offset ${a.index} on priv->list`),
    effect: (d, a) => {
      const run = findGrefs(d, a.file, a.index, a.count)!;
      const f = d.alloc.files[a.file]!;
      f.list = f.list.filter((id) => !run.includes(id));
      for (const id of run) d.alloc.grefs[id]!.users--;
      doCleanup(d, ctx, []);
    },
  };
}
