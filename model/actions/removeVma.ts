/**
 * exit_mmap / munmap step — remove_vma (mm/mmap.c) on each VMA being removed: vm_ops->close
 * (gntdev_vma_close) then fput of vm_file, whose last reference runs gntdev_release.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { removeVmas } from '../internal/mm.js';
import type { State } from '../state.js';
import { stepRule, type ActionRule } from './common.js';

/** remove_vma on the VMAs the sequence removes: munmap's detached ones, or every VMA at exit. */
export function removeVmaStep(d: Draft<State>, ctx: Ctx, p: number): void {
  removeVmas(d, ctx, p, d.procs[p]!.op.kind === 'munmap' ? 'detached' : 'all');
}

export function removeVma(ctx: Ctx): ActionRule<'remove_vma'> {
  return stepRule(ctx, 'remove_vma', (d, p) => removeVmaStep(d, ctx, p));
}
