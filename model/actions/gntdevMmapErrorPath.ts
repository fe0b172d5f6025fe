/**
 * The error path of a failed gntdev_mmap (drivers/xen/gntdev.c out_put_map) and of mmap_region
 * (mm/mmap.c unmap_and_free_vma): unmap what was mapped (v4.16+, stable 4.4.120), put the map, then fput and
 * unmap_region over the range. Other CPUs may run between the failure and this path.
 */
import type { Ctx } from '../internal/ctx.js';
import { mmapErrorPath } from '../internal/mmap.js';
import type { ActionRule } from './common.js';

export function gntdevMmapErrorPath(ctx: Ctx): ActionRule<'gntdev_mmap_error_path'> {
  return {
    guard: (s, a) => (s.procs[a.p]?.op.kind === 'mmap_error' ? true : `no failed mmap pending in process ${a.p}`),
    effect: (d, a) => mmapErrorPath(d, ctx, a.p),
  };
}
