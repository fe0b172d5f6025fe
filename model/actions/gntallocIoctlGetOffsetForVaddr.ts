/**
 * IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR — seed 004's proposal ("given a vaddr, you can look up the
 * vma and return its pgoff"): find_vma(vaddr) must be a gntalloc VMA; the answer is its vm_pgoff
 * and size. It changes nothing (a self-loop); the answer is checked by the property on
 * `gntallocGetOffsetForVaddr`.
 */
import type { Ctx } from '../internal/ctx.js';
import { gntallocGetOffsetForVaddr } from '../queries.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `gntalloc_ioctl_get_offset_for_vaddr`. */
export function gntallocIoctlGetOffsetForVaddr(ctx: Ctx): ActionRule<'gntalloc_ioctl_get_offset_for_vaddr'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx) ?? notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      const answer = gntallocGetOffsetForVaddr(s, ctx, a.p, a.va);
      return typeof answer === 'string' ? answer : true;
    },
    effect: () => {},
  };
}
