/**
 * munmap(start, end) — do_munmap: __do_munmap (mm/mmap.c, v5.x), do_mas_align_munmap (mm/mmap.c,
 * v6.1), vms_gather_munmap_vmas (mm/vma.c, v6.12): split the VMA that straddles `start` and the
 * one that straddles `end`, calling vm_ops->open on each new copy; which struct goes with the
 * unmapped piece is the design's munmapSplit (v5.x-6.1: __split_vma(vma, start, 0) and
 * __split_vma(last, end, 1), the original struct survives; v6.12: __split_vma(vma, start, 1) and
 * __split_vma(next, end, 0), the original struct is unmapped). Then detach the VMAs inside
 * [start, end). The rest of the call (notifier start, zap, notifier end, free_pgtables,
 * remove_vma) runs as the design's munmap steps.
 */
import { castDraft, type Draft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { splitVma } from '../internal/mm.js';
import { NO_OP, type State } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

/** Splits at the range's ends, detaches the VMAs inside, and starts the munmap sequence. */
export function beginMunmap(d: Draft<State>, ctx: Ctx, p: number, start: number, end: number): void {
  const proc = d.procs[p]!;
  const originalGoes = ctx.design.munmapSplit === 'original-unmapped';
  const atStart = proc.vmas.findIndex((v) => v.start < start && start < v.end);
  if (atStart >= 0) splitVma(d, ctx, p, atStart, start, originalGoes);
  const atEnd = proc.vmas.findIndex((v) => v.start < end && end < v.end);
  if (atEnd >= 0) splitVma(d, ctx, p, atEnd, end, !originalGoes);
  const inside = proc.vmas.filter((v) => start <= v.start && v.end <= end).map((v) => ({ ...v }));
  proc.vmas = proc.vmas.filter((v) => !(start <= v.start && v.end <= end));
  proc.op = castDraft({ ...NO_OP, kind: 'munmap', step: 0, start, end, detached: inside });
}

export function doMunmap(ctx: Ctx): ActionRule<'do_munmap'> {
  return {
    guard: (s, a) => {
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      const vmas = s.procs[a.p]!.vmas;
      if (!vmas.some((v) => v.start < a.end && a.start < v.end)) return `no VMA meets [${a.start}, ${a.end})`;
      if (ctx.config.munmapRanges === 'vma' && !vmas.some((v) => v.start === a.start && v.end === a.end)) {
        return 'the configuration munmaps whole VMAs only';
      }
      return true;
    },
    effect: (d, a) => beginMunmap(d, ctx, a.p, a.start, a.end),
  };
}
