/**
 * Answers of the read-only ioctls, computed as the driver computes them (so that a property can
 * compare them with what the user mapped).
 */
import { gntallocOf } from './design.js';
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

/**
 * What IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR answers (seed 004's proposal, as Fitzhardinge put it:
 * "given a vaddr, you can look up the vma and return its pgoff"): find_vma(vaddr) must be a
 * gntalloc VMA; the answer is its vm_pgoff and its size in pages (for a split VMA: the piece).
 */
export function gntallocGetOffsetForVaddr(s: State, ctx: Ctx, p: number, va: number): OffsetAnswer {
  if (!gntallocOf(ctx.design).getOffsetForVaddr) return '-ENOTTY: this gntalloc has no GET_OFFSET_FOR_VADDR';
  const proc = s.procs[p];
  if (!proc) return `-EINVAL: no process ${p}`;
  const v = vmaAt(proc, va);
  if (!v) return `-EINVAL: no VMA at page ${va}`;
  if (!v.gntalloc) return '-EINVAL: not a gntalloc VMA';
  return { offset: v.pgoff, count: v.end - v.start };
}
