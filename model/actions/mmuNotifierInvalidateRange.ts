/**
 * munmap steps — the MMU-notifier calls around the zap (include/linux/mmu_notifier.h; made by
 * unmap_vmas in mm/memory.c). V5: mmu_notifier_invalidate_range_start (every subscription over the
 * range, while the PTEs are still present: gntdev's invalidate unmaps the grants there, a secondary
 * MMU drops its mappings and holds off new ones) and _end (the secondary MMU may map again). V3
 * (seed 001): one mmu_notifier_invalidate_range after the PTEs were cleared, and
 * mmu_notifier_invalidate_all at exit.
 */
import type { Ctx } from '../internal/ctx.js';
import { invalidateRange, invalidateRangeEnd } from '../internal/gntdev.js';
import { stepRange, stepRule, type ActionRule } from './common.js';

export function mmuNotifierInvalidateRangeStart(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_start'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_start', (d, p) => {
    const [start, end] = stepRange(ctx, d, p);
    invalidateRange(d, ctx, p, start, end, 'start');
  });
}

export function mmuNotifierInvalidateRangeEnd(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_end'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_end', (d, p) => invalidateRangeEnd(d, ctx, p));
}

/** V3: the single callback after the PTEs of the range were cleared. */
export function mmuNotifierInvalidateRange(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range', (d, p) => {
    const [start, end] = stepRange(ctx, d, p);
    invalidateRange(d, ctx, p, start, end, 'after');
  });
}

/** V3 exit_mmap: invalidate everything (nothing is held off afterwards; ->release comes at the end). */
export function mmuNotifierInvalidateAll(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_all'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_all', (d, p) => invalidateRange(d, ctx, p, 0, ctx.config.vaPages, 'after'));
}
