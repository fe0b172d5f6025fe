/**
 * IOCTL_GNTDEV_SET_UNMAP_NOTIFY — gntdev_ioctl_notify (drivers/xen/gntdev.c): on the map of
 * priv->maps holding the page, request UNMAP_NOTIFY_CLEAR_BYTE and UNMAP_NOTIFY_SEND_EVENT
 * (modelled: both, on page 0, once). The byte is cleared when the page is unmapped, the event sent
 * at the final put. Event-channel references (evtchn_get/put) are not modelled.
 */
import type { Ctx } from '../internal/ctx.js';
import { notRunning, type ActionRule } from './common.js';

export function gntdevIoctlSetUnmapNotify(ctx: Ctx): ActionRule<'gntdev_ioctl_set_unmap_notify'> {
  return {
    guard: (s, a) => {
      if (!ctx.design.hasUnmapNotify) return 'this gntdev has no SET_UNMAP_NOTIFY';
      if (!ctx.config.unmapNotify) return 'the configuration leaves SET_UNMAP_NOTIFY out';
      const r = notRunning(s, a.p);
      if (r) return r;
      if (!s.procs[a.p]!.fds[a.file]) return `process ${a.p} holds no fd on file ${a.file}`;
      if (!s.files[a.file]!.maps.includes(a.map)) return `-ENOENT: map ${a.map} is not on priv->maps`;
      const n = s.maps[a.map]!.notify;
      if (n.clear || n.send || n.cleared > 0 || n.sent > 0) return 'the notification was set already';
      return true;
    },
    effect: (d, a) => {
      const n = d.maps[a.map]!.notify;
      n.clear = true;
      n.send = true;
    },
  };
}
