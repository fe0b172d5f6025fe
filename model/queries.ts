/**
 * Answers of the read-only ioctls, computed as the driver computes them (so that a property can
 * compare them with what the user mapped).
 */
import type { Ctx } from './internal/ctx.js';
import { vmaAt } from './internal/mm.js';
import { NONE, type State } from './state.js';

/** What IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR answers: the map's (index, count), or the errno and why. */
export type OffsetAnswer = { readonly offset: number; readonly count: number } | string;

/**
 * gntdev_ioctl_get_offset_for_vaddr: find_vma(vaddr) must be a gntdev VMA with vm_private_data
 * (2.6.38 also required vaddr == vm_start); the answer is the map's index and count, whichever
 * piece of a split VMA the address is in.
 */
export function getOffsetForVaddr(s: State, ctx: Ctx, p: number, va: number): OffsetAnswer {
  const proc = s.procs[p];
  if (!proc) return `-EINVAL: no process ${p}`;
  const v = vmaAt(proc, va);
  if (!v) return `-EINVAL: no VMA at page ${va}`;
  if (v.map === NONE) return '-EINVAL: the VMA has no vm_private_data';
  if (!ctx.design.refcounted && va !== v.start) return '-EINVAL: vaddr is not the VMA start (2.6.38)';
  const m = s.maps[v.map]!;
  return { offset: m.index, count: m.count };
}
