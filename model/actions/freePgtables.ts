/**
 * exit_mmap / munmap step — free_pgtables (mm/memory.c): frees the page-table pages no VMA needs
 * (all of them at exit, where the VMAs are removed only afterwards); Xen PV's xen_release_ptpage
 * unpins a pinned one first.
 */
import type { Ctx } from '../internal/ctx.js';
import { freePgtables as free } from '../internal/mm.js';
import { stepRule, type ActionRule } from './common.js';

export function freePgtables(ctx: Ctx): ActionRule<'free_pgtables'> {
  return stepRule(ctx, 'free_pgtables', (d, p) => free(d, ctx, p, d.procs[p]!.op.kind === 'exit'));
}
