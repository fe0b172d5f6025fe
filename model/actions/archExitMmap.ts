/**
 * exit_mmap step — arch_exit_mmap: Xen PV's xen_exit_mmap (arch/x86/xen/mmu_pv.c) unpins the pgd
 * and every page-table page (xen_pgd_unpin) so that the rest of the teardown can write them as
 * plain memory. XenLinux (seed 000) skips it while mm->context.has_foreign_mappings is set, or
 * splits it into arch_exit_mmap_pre (before unmap_vmas) and _post (after). HVM: nothing.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { unpinMm } from '../internal/mm.js';
import type { State } from '../state.js';
import { stepRule, type ActionRule } from './common.js';

/** arch_exit_mmap's work in p's mm (the step without its place in the sequence). */
export function archExitMmapStep(d: Draft<State>, ctx: Ctx, p: number): void {
  if (ctx.design.archExitMmap === 'unpin' || !d.procs[p]!.hasForeignMappings) unpinMm(d, ctx, p);
}

/** arch_exit_mmap_pre's work (seed 000): the early unpin, unless the mm has foreign mappings. */
export function archExitMmapPreStep(d: Draft<State>, ctx: Ctx, p: number): void {
  if (!d.procs[p]!.hasForeignMappings) unpinMm(d, ctx, p);
}

/** arch_exit_mmap_post's work (seed 000): the unpin postponed until after unmap_vmas. */
export function archExitMmapPostStep(d: Draft<State>, ctx: Ctx, p: number): void {
  unpinMm(d, ctx, p);
}

export function archExitMmap(ctx: Ctx): ActionRule<'arch_exit_mmap'> {
  return stepRule(ctx, 'arch_exit_mmap', (d, p) => archExitMmapStep(d, ctx, p));
}

/** arch_exit_mmap_pre (seed 000): the early unpin, unless the mm has foreign mappings. */
export function archExitMmapPre(ctx: Ctx): ActionRule<'arch_exit_mmap_pre'> {
  return stepRule(ctx, 'arch_exit_mmap_pre', (d, p) => archExitMmapPreStep(d, ctx, p));
}

/** arch_exit_mmap_post (seed 000): the unpin postponed until after unmap_vmas. */
export function archExitMmapPost(ctx: Ctx): ActionRule<'arch_exit_mmap_post'> {
  return stepRule(ctx, 'arch_exit_mmap_post', (d, p) => archExitMmapPostStep(d, ctx, p));
}
