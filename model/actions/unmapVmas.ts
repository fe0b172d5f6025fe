/**
 * exit_mmap / munmap step — unmap_vmas (mm/memory.c, v6.1): zap every PTE of the VMAs being
 * unmapped (unmap_single_vma -> zap_pte_range). The kernel's unmap_vmas makes the MMU-notifier calls
 * around the zap itself (V5: invalidate_range_start/_end; V3: invalidate_range after). The model
 * lists munmap's notifier calls as steps of their own (Design.munmapSteps), so in a munmap this
 * step is the zap alone, and a munmap sequence without them makes none; exit_mmap's sequence cannot
 * list them, so there this step makes them, as the kernel's does.
 */
import type { Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { zapRange, zapVmas } from '../internal/mm.js';
import type { State } from '../state.js';
import { stepRange, stepRule, type ActionRule } from './common.js';

/** unmap_vmas' work in p's mm: munmap's detached VMAs zapped alone, or every VMA zapped with the notifier calls (exit_mmap). */
export function unmapVmasStep(d: Draft<State>, ctx: Ctx, p: number): void {
  const [start, end] = stepRange(ctx, d, p);
  const proc = d.procs[p]!;
  const munmap = proc.op.kind === 'munmap';
  const vmas = (munmap ? proc.op.detached : proc.vmas).map((x) => ({ start: x.start, end: x.end }));
  if (munmap) zapVmas(d, ctx, p, start, end, vmas);
  else zapRange(d, ctx, p, start, end, vmas);
}

export function unmapVmas(ctx: Ctx): ActionRule<'unmap_vmas'> {
  return stepRule(ctx, 'unmap_vmas', (d, p) => unmapVmasStep(d, ctx, p));
}
