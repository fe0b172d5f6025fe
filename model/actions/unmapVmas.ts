/**
 * exit_mmap / munmap step — unmap_vmas (mm/memory.c): zap every PTE of the VMAs being unmapped
 * (zap_pte_range). The kernel's unmap_vmas makes the MMU-notifier calls around the zap itself
 * (V5: invalidate_range_start/_end; V3: invalidate_range after); when the design's sequence lists
 * those calls as steps of their own (munmap), this step is the zap alone.
 */
import type { Ctx } from '../internal/ctx.js';
import { zapPte, zapRange } from '../internal/mm.js';
import { stepRange, stepsOf, stepRule, type ActionRule } from './common.js';

export function unmapVmas(ctx: Ctx): ActionRule<'unmap_vmas'> {
  return stepRule(ctx, 'unmap_vmas', (d, p) => {
    const [start, end] = stepRange(ctx, d, p);
    const steps = stepsOf(ctx, d, p);
    const proc = d.procs[p]!;
    const vmas = (proc.op.kind === 'munmap' ? proc.op.detached : proc.vmas).map((x) => ({ start: x.start, end: x.end }));
    if (steps.includes('mmu_notifier_invalidate_range_start') || steps.includes('mmu_notifier_invalidate_range')) {
      for (const v of vmas) for (let va = Math.max(v.start, start); va < Math.min(v.end, end); va++) zapPte(d, ctx, p, va);
      return;
    }
    zapRange(d, ctx, p, start, end, vmas);
  });
}
