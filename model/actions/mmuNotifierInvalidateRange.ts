/**
 * munmap steps — mmu_notifier_invalidate_range_start / _end (include/linux/mmu_notifier.h, called
 * by unmap_vmas in mm/memory.c): start runs every subscription overlapping the range (gntdev's
 * invalidate unmaps the grants there) while the PTEs are still present; end has no gntdev callback.
 */
import type { Ctx } from '../internal/ctx.js';
import { invalidateRange } from '../internal/gntdev.js';
import { stepRange, stepRule, type ActionRule } from './common.js';

export function mmuNotifierInvalidateRangeStart(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_start'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_start', (d, p) => {
    const [start, end] = stepRange(ctx, d, p);
    invalidateRange(d, ctx, p, start, end);
  });
}

export function mmuNotifierInvalidateRangeEnd(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_end'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_end', () => {});
}
