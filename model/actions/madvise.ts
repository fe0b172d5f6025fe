/**
 * madvise (mm/madvise.c) on gntdev VMAs:
 * - MADV_DONTNEED: madvise_dontneed_single_vma -> zap_page_range_single (mm/memory.c, v6.12):
 *   mmu_notifier_invalidate_range_start, unmap_single_vma, _end, under mmap_read_lock. Allowed on
 *   gntdev's VM_MIXEDMAP VMAs (madvise_dontneed_free_valid_vma -> can_madv_lru_vma refuses only
 *   VM_LOCKED|VM_PFNMAP|VM_HUGETLB). With config.readSide 0 it is one action; with readSide > 0 it
 *   runs as steps (Reader in state.ts), up to readSide calls per mm at once, also between the steps
 *   of a munmap that downgraded its mmap_lock.
 * - MADV_DOFORK: madvise_vma_behavior clears VM_DONTCOPY (refused only on VM_IO, which gntdev does
 *   not set), under mmap_write_lock: fork then copies a PV gntdev VMA.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { claimRun, invalidateClassic, invalidateRange, invalidateRangeEnd, scanInvalidate, splitInvalidate, submitUnmapData } from '../internal/gntdev.js';
import { vmaAt, zapPte, zapRange } from '../internal/mm.js';
import type { Reader, State } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

/** Why [start, end) cannot be MADV_DONTNEED'd in one VMA of p now, or undefined. */
function dontneedRefusal(s: State, ctx: Ctx, p: number, start: number, end: number): string | undefined {
  if (!ctx.config.madvDontneed) return 'the configuration leaves MADV_DONTNEED out';
  const r = notRunning(s, p);
  if (r) return r;
  const proc = s.procs[p]!;
  const v = vmaAt(proc, start);
  if (!v || end > v.end) return `no single VMA covers [${start}, ${end})`;
  if (ctx.config.readSide === 0) return mmBusy(s, p);
  // mmap_read_lock: no writer, unless a munmap downgraded its lock to read
  if (proc.op.kind !== 'none' && !(proc.op.kind === 'munmap' && ctx.design.munmapDowngrade)) return `mmap_lock held for writing: ${proc.op.kind} in progress`;
  return proc.readers.length >= ctx.config.readSide ? `the configuration allows ${ctx.config.readSide} MADV_DONTNEED call(s) in progress per mm` : undefined;
}

/** madvise(MADV_DONTNEED) over [start, end): one action, or the start of a read-side call in steps. */
export function madviseDontneed(ctx: Ctx): ActionRule<'madvise_dontneed_single_vma'> {
  return {
    guard: (s, a) => dontneedRefusal(s, ctx, a.p, a.start, a.end) ?? true,
    effect: (d, a) => {
      const proc = d.procs[a.p]!;
      if (ctx.config.readSide === 0) {
        zapRange(d, ctx, a.p, a.start, a.end, [{ start: a.start, end: a.end }]);
        return;
      }
      const r: Reader = { start: a.start, end: a.end, step: 'scan', map: -1, runs: [] };
      proc.readers.push(castDraft(r));
    },
  };
}

/** One step of the MADV_DONTNEED call `r` of process p (readSide > 0). */
export function madviseStep(ctx: Ctx): ActionRule<'madvise_step'> {
  return {
    guard: (s, a) => (s.procs[a.p]?.readers[a.r] ? true : `no MADV_DONTNEED call ${a.r} in progress in process ${a.p}`),
    effect: (d, a) => {
      const proc = d.procs[a.p]!;
      const r = proc.readers[a.r]!;
      switch (r.step) {
        case 'scan': {
          // __mmu_notifier_invalidate_range_start: the interval notifiers (gntdev: unlocked scan
          // of being_removed), then the classic subscriptions (secondary MMU, GPU userptr)
          const runs = scanInvalidate(d, ctx, a.p, r.start, r.end);
          if (splitInvalidate(ctx)) invalidateClassic(d, ctx, a.p, r.start, r.end);
          else invalidateRange(d, ctx, a.p, r.start, r.end, 'start');
          r.runs = runs;
          r.step = runs.length > 0 ? 'claim' : 'zap';
          return;
        }
        case 'claim': {
          const run = r.runs[0]!;
          claimRun(d, ctx, { map: run.map, offset: run.offset, count: run.count });
          r.map = run.map;
          r.step = 'unmap';
          return;
        }
        case 'unmap': {
          submitUnmapData(d, ctx, r.map);
          r.runs.splice(0, 1);
          r.step = r.runs.length > 0 ? 'claim' : 'zap';
          return;
        }
        case 'zap': {
          for (let va = r.start; va < r.end; va++) zapPte(d, ctx, a.p, va);
          r.step = 'end';
          return;
        }
        case 'end':
          invalidateRangeEnd(d, ctx, a.p);
          proc.readers.splice(a.r, 1);
          return;
      }
    },
  };
}

/** madvise(MADV_DOFORK) on the VMA starting at `start` (mmap_write_lock): VM_DONTCOPY cleared. */
export function madviseDofork(ctx: Ctx): ActionRule<'madvise_dofork'> {
  return {
    guard: (s, a) => {
      if (!ctx.config.madvDofork) return 'the configuration leaves MADV_DOFORK out';
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      const v = s.procs[a.p]!.vmas.find((x) => x.start === a.start);
      if (!v) return `no VMA starts at page ${a.start}`;
      return v.dontcopy ? true : 'VM_DONTCOPY is not set';
    },
    effect: (d, a) => {
      d.procs[a.p]!.vmas.find((x) => x.start === a.start)!.dontcopy = false;
    },
  };
}
