/**
 * munmap steps — the MMU-notifier calls around the zap (include/linux/mmu_notifier.h; made by
 * unmap_vmas in mm/memory.c). V5: mmu_notifier_invalidate_range_start (every subscription over the
 * range, while the PTEs are still present: gntdev's invalidate unmaps the grants there, a secondary
 * MMU drops its mappings and holds off new ones) and _end (the secondary MMU may map again). V3
 * (seed 001): one mmu_notifier_invalidate_range after the PTEs were cleared, and
 * mmu_notifier_invalidate_all at exit.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { invalidateRange, invalidateRangeEnd } from '../internal/gntdev.js';
import type { State } from '../state.js';
import { stepRange, stepRule, type ActionRule } from './common.js';

/** mmu_notifier_invalidate_range_start over the sequence's range in p's mm. */
export function mmuNotifierInvalidateRangeStartStep(d: Draft<State>, ctx: Ctx, p: number): void {
  const [start, end] = stepRange(ctx, d, p);
  invalidateRange(d, ctx, p, start, end, 'start');
}

/** mmu_notifier_invalidate_range_end in p's mm. */
export function mmuNotifierInvalidateRangeEndStep(d: Draft<State>, ctx: Ctx, p: number): void {
  invalidateRangeEnd(d, ctx, p);
}

/** V3's mmu_notifier_invalidate_range over the sequence's range, after the PTEs were cleared. */
export function mmuNotifierInvalidateRangeStep(d: Draft<State>, ctx: Ctx, p: number): void {
  const [start, end] = stepRange(ctx, d, p);
  invalidateRange(d, ctx, p, start, end, 'after');
}

/** V3's mmu_notifier_invalidate_all over p's whole address space. */
export function mmuNotifierInvalidateAllStep(d: Draft<State>, ctx: Ctx, p: number): void {
  invalidateRange(d, ctx, p, 0, ctx.config.vaPages, 'after');
}

export function mmuNotifierInvalidateRangeStart(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_start'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_start', (d, p) => mmuNotifierInvalidateRangeStartStep(d, ctx, p));
}

export function mmuNotifierInvalidateRangeEnd(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range_end'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range_end', (d, p) => mmuNotifierInvalidateRangeEndStep(d, ctx, p));
}

/** V3: the single callback after the PTEs of the range were cleared. */
export function mmuNotifierInvalidateRange(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_range'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_range', (d, p) => mmuNotifierInvalidateRangeStep(d, ctx, p));
}

/** V3 exit_mmap: invalidate everything (nothing is held off afterwards; ->release comes at the end). */
export function mmuNotifierInvalidateAll(ctx: Ctx): ActionRule<'mmu_notifier_invalidate_all'> {
  return stepRule(ctx, 'mmu_notifier_invalidate_all', (d, p) => mmuNotifierInvalidateAllStep(d, ctx, p));
}
