/**
 * exit_mmap step — mmu_notifier_release (mm/mmu_notifier.c __mmu_notifier_release): classic
 * subscriptions get ->release and are unhooked (gntdev 2011-2019: mn_release unmaps every map
 * with a VMA); interval subscriptions get invalidate(0..ULONG_MAX, MMU_NOTIFY_RELEASE) and stay.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { notifierRelease } from '../internal/gntdev.js';
import type { State } from '../state.js';
import { stepRule, type ActionRule } from './common.js';

/** mmu_notifier_release's work on p's mm. */
export function mmuNotifierReleaseStep(d: Draft<State>, ctx: Ctx, p: number): void {
  notifierRelease(d, ctx, p);
}

export function mmuNotifierRelease(ctx: Ctx): ActionRule<'mmu_notifier_release'> {
  return stepRule(ctx, 'mmu_notifier_release', (d, p) => mmuNotifierReleaseStep(d, ctx, p));
}
