/**
 * IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR — gntdev_ioctl_get_offset_for_vaddr (drivers/xen/gntdev.c):
 * under mmap_read_lock, find_vma(vaddr); a gntdev VMA with vm_private_data answers the map's
 * (index << PAGE_SHIFT, count). It changes nothing: the transition is a self-loop, and the answer
 * is checked by the property on `getOffsetForVaddr`.
 */
import type { Ctx } from '../internal/ctx.js';
import { getOffsetForVaddr } from '../queries.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

export function gntdevIoctlGetOffsetForVaddr(ctx: Ctx): ActionRule<'gntdev_ioctl_get_offset_for_vaddr'> {
  return {
    guard: (s, a) => {
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      const answer = getOffsetForVaddr(s, ctx, a.p, a.va);
      return typeof answer === 'string' ? answer : true;
    },
    effect: () => {},
  };
}
