/**
 * exit_mmap / munmap step — remove_vma (mm/mmap.c; mm/vma.c in v6.12) on each VMA being removed:
 * vm_ops->close (gntdev_vma_close) then fput of vm_file, whose last reference runs gntdev_release.
 * For a MAP_FIXED mmap under v6.12 (mm/mmap.c __mmap_region): vms_clean_up_area closes the old
 * VMAs, then the new VMA's f_op->mmap runs, and vms_complete_munmap_vmas puts their files last.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { removeVmas } from '../internal/mm.js';
import { doMmapAt } from '../internal/mmap.js';
import { NONE, type State } from '../state.js';
import { stepRule, type ActionRule } from './common.js';

/**
 * remove_vma on the VMAs the sequence removes: munmap's detached ones, or every VMA at exit; a
 * MAP_FIXED munmap under v6.12's order runs the new mapping's mmap between the closes and the fputs.
 */
export function removeVmaStep(d: Draft<State>, ctx: Ctx, p: number): void {
  const op = d.procs[p]!.op;
  if (op.kind !== 'munmap') {
    removeVmas(d, ctx, p, 'all');
    return;
  }
  if (op.thenMap === NONE || ctx.design.mapFixedOrder !== 'v6.12') {
    removeVmas(d, ctx, p, 'detached');
    return;
  }
  const { thenFile, thenMap, start } = op;
  op.thenMap = NONE;
  removeVmas(d, ctx, p, 'detached', () => doMmapAt(d, ctx, p, thenFile, thenMap, start, 'none'));
}

export function removeVma(ctx: Ctx): ActionRule<'remove_vma'> {
  return stepRule(ctx, 'remove_vma', (d, p) => removeVmaStep(d, ctx, p));
}
