/**
 * exit_mmap / munmap step — free_pgtables (mm/memory.c): frees the page-table pages no VMA needs
 * (all of them at exit, where the VMAs are removed only afterwards); Xen PV's xen_release_ptpage
 * unpins a pinned one first.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { freePgtables as free } from '../internal/mm.js';
import type { State } from '../state.js';
import { stepRule, type ActionRule } from './common.js';

/** free_pgtables' work in p's mm: every page table at exit, those no VMA covers in a munmap. */
export function freePgtablesStep(d: Draft<State>, ctx: Ctx, p: number): void {
  free(d, ctx, p, d.procs[p]!.op.kind === 'exit');
}

export function freePgtables(ctx: Ctx): ActionRule<'free_pgtables'> {
  return stepRule(ctx, 'free_pgtables', (d, p) => freePgtablesStep(d, ctx, p));
}
