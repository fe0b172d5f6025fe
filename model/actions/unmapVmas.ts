/**
 * exit_mmap / munmap step — unmap_vmas (mm/memory.c): zap every PTE of the VMAs being unmapped
 * (zap_pte_range). The kernel's unmap_vmas brackets the zap with
 * mmu_notifier_invalidate_range_start/_end itself; when the design's sequence lists those as
 * steps of their own (munmap), this step is the zap alone.
 */
import type { Ctx } from '../internal/ctx.js';
import { invalidateRange } from '../internal/gntdev.js';
import { zapPte } from '../internal/mm.js';
import { stepRange, stepsOf, stepRule, type ActionRule } from './common.js';

export function unmapVmas(ctx: Ctx): ActionRule<'unmap_vmas'> {
  return stepRule(ctx, 'unmap_vmas', (d, p) => {
    const [start, end] = stepRange(ctx, d, p);
    const bracketed = !stepsOf(ctx, d, p).includes('mmu_notifier_invalidate_range_start');
    if (bracketed) invalidateRange(d, ctx, p, start, end);
    const proc = d.procs[p]!;
    const vmas = proc.op.kind === 'munmap' ? proc.op.detached : proc.vmas;
    for (const v of vmas.map((x) => ({ start: x.start, end: x.end }))) {
      for (let va = Math.max(v.start, start); va < Math.min(v.end, end); va++) zapPte(d, ctx, p, va);
    }
  });
}
