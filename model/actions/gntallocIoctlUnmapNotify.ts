/**
 * IOCTL_GNTALLOC_SET_UNMAP_NOTIFY — gntalloc_ioctl_unmap_notify (drivers/xen/gntalloc.c): the gref
 * at `index & ~(PAGE_SIZE-1)` must be on priv->list (-ENOENT); evtchn_get the new port, evtchn_put
 * the old; store {flags, pgoff, event}. Modelled: UNMAP_NOTIFY_CLEAR_BYTE and
 * UNMAP_NOTIFY_SEND_EVENT together, once per gref; __del_gref fires them. Event-channel
 * references are not modelled.
 */
import type { Ctx } from '../internal/ctx.js';
import { findGrefs } from '../internal/gntalloc.js';
import { notRunning, type ActionRule } from './common.js';
import { noAllocFd, noGntalloc } from './gntallocCommon.js';

/** The rule of `gntalloc_ioctl_unmap_notify`. */
export function gntallocIoctlUnmapNotify(ctx: Ctx): ActionRule<'gntalloc_ioctl_unmap_notify'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx) ?? notRunning(s, a.p) ?? noAllocFd(s, a.p, a.file);
      if (r) return r;
      if (!ctx.config.unmapNotify) return 'the configuration leaves SET_UNMAP_NOTIFY out';
      const run = findGrefs(s, a.file, a.index, 1);
      if (!run) return `-ENOENT: no gref at offset ${a.index} on priv->list`;
      const n = s.alloc.grefs[run[0]!]!.notify;
      if (n.clear || n.send || n.cleared > 0 || n.sent > 0) return 'the notification was set already';
      return true;
    },
    effect: (d, a) => {
      const id = findGrefs(d, a.file, a.index, 1)![0]!;
      const n = d.alloc.grefs[id]!.notify;
      n.clear = true;
      n.send = true;
    },
  };
}
