/**
 * exit_mmap / munmap step — remove_vma (mm/mmap.c) on each VMA being removed: vm_ops->close
 * (gntdev_vma_close) then fput of vm_file, whose last reference runs gntdev_release.
 */
import type { Ctx } from '../internal/ctx.js';
import { removeVmas } from '../internal/mm.js';
import { stepRule, type ActionRule } from './common.js';

export function removeVma(ctx: Ctx): ActionRule<'remove_vma'> {
  return stepRule(ctx, 'remove_vma', (d, p) => removeVmas(d, ctx, p, d.procs[p]!.op.kind === 'munmap' ? 'detached' : 'all'));
}
