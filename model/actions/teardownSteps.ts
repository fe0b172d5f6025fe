/**
 * Every teardown step's work as a function of (draft, ctx, process), without its place in the
 * sequence (stepRule in common.ts adds that): what a design's own rule of a step builds on.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import type { State, TeardownStep } from '../state.js';
import { archExitMmapPostStep, archExitMmapPreStep, archExitMmapStep } from './archExitMmap.js';
import { freePgtablesStep } from './freePgtables.js';
import { mmuNotifierInvalidateAllStep, mmuNotifierInvalidateRangeEndStep, mmuNotifierInvalidateRangeStartStep, mmuNotifierInvalidateRangeStep } from './mmuNotifierInvalidateRange.js';
import { mmuNotifierReleaseStep } from './mmuNotifierRelease.js';
import { removeVmaStep } from './removeVma.js';
import { unmapVmasStep } from './unmapVmas.js';

/** The work of each teardown step, by step name. */
export const TEARDOWN_STEPS: { readonly [K in TeardownStep]: (d: Draft<State>, ctx: Ctx, p: number) => void } = {
  mmu_notifier_release: mmuNotifierReleaseStep,
  arch_exit_mmap: archExitMmapStep,
  arch_exit_mmap_pre: archExitMmapPreStep,
  arch_exit_mmap_post: archExitMmapPostStep,
  mmu_notifier_invalidate_all: mmuNotifierInvalidateAllStep,
  mmu_notifier_invalidate_range_start: mmuNotifierInvalidateRangeStartStep,
  unmap_vmas: unmapVmasStep,
  mmu_notifier_invalidate_range: mmuNotifierInvalidateRangeStep,
  mmu_notifier_invalidate_range_end: mmuNotifierInvalidateRangeEndStep,
  free_pgtables: freePgtablesStep,
  remove_vma: removeVmaStep,
};
