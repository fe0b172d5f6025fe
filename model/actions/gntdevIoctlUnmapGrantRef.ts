/**
 * IOCTL_GNTDEV_UNMAP_GRANT_REF — gntdev_ioctl_unmap_grant_ref (drivers/xen/gntdev.c): find the map
 * by (index, count) on priv->maps and unlink it. Refcounted eras drop the list's reference (the
 * VMA keeps a still-mmapped map alive); 2013-2019 PV park it on priv->freeable_maps so that the
 * notifier still finds it. 2.6.38 (gntdev_del_map) refuses with -EBUSY while a VMA or a handle is
 * set, and frees the map otherwise. The PTEs are not touched.
 */
import type { Ctx } from '../internal/ctx.js';
import { freeMap, mapBusy } from '../internal/gntdev.js';
import { notRunning, type ActionRule } from './common.js';

export function gntdevIoctlUnmapGrantRef(ctx: Ctx): ActionRule<'gntdev_ioctl_unmap_grant_ref'> {
  return {
    guard: (s, a) => {
      const r = notRunning(s, a.p);
      if (r) return r;
      if (!s.procs[a.p]!.fds[a.file]) return `process ${a.p} holds no fd on file ${a.file}`;
      if (!s.files[a.file]!.maps.includes(a.map)) return `-ENOENT: map ${a.map} is not on priv->maps`;
      if (ctx.design.unmapIoctl === 'ebusy' && mapBusy(ctx, s.maps[a.map]!)) return '-EBUSY: the map is still mapped (gntdev_del_map)';
      return true;
    },
    effect: (d, a) => {
      const f = d.files[a.file]!;
      f.maps.splice(f.maps.indexOf(a.map), 1);
      if (ctx.design.freeableMaps && ctx.design.pv) f.freeable.push(a.map);
      if (ctx.design.refcounted) ctx.kernel.gntdevPutMap(d, ctx, a.map);
      else freeMap(d, a.map);
    },
  };
}
