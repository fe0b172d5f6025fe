/**
 * A secondary MMU subscribed to an mm's MMU notifiers (seed 001, "EMMU Notifiers V5": KVM's sptes,
 * GRU's TLB, XPmem's remote PTEs), and the notifier protocol's two versions:
 * - V5 (merged): invalidate_range_start drops the secondary mappings of the range and holds off new
 *   ones until invalidate_range_end; a fault that read a PTE before the start retries;
 *   ->release at the start of exit_mmap drops everything for good.
 * - V3: one invalidate_range callback after the PTEs are cleared, invalidate_all at exit; nothing
 *   is held off, so a fault that read a PTE before the clear installs a stale mapping after it.
 * KVM and XPmem hold a page reference for each mapping (get_user_pages); GRU does not (follow_page).
 */
import { castDraft, type Draft } from 'immer';
import { NO_SPTE, NONE, type Spte, type State } from '../state.js';
import type { Ctx } from './ctx.js';

type D = Draft<State>;

/** Whether this kind of subscriber holds a page reference per mapping. */
function pins(ctx: Ctx): boolean {
  return ctx.config.secondary === 'kvm' || ctx.config.secondary === 'xpmem';
}

/** Drops a page reference the subscriber held on a placeholder page. */
function unpin(d: D, ctx: Ctx, e: Spte): void {
  if (!pins(ctx) || e.map === NONE) return;
  const page = d.maps[e.map]?.slots[e.slot]?.page;
  if (page && page.pins > 0) page.pins--;
}

/** Takes the page reference of a new translation (get_user_pages). */
export function pinTarget(d: D, ctx: Ctx, e: Spte): void {
  if (!pins(ctx) || e.map === NONE) return;
  const page = d.maps[e.map]?.slots[e.slot]?.page;
  if (page) page.pins++;
}

/**
 * The subscriber's invalidate callback over [start, end): drop the mappings in range, mark a pending
 * translation of the range stale. `start` (V5) also holds off new mappings until the end; XPmem's
 * callback then sleeps until the remote side acknowledges (the caller's next step waits).
 */
export function smmuInvalidate(d: D, ctx: Ctx, p: number, start: number, end: number, kind: 'start' | 'after'): void {
  const s = d.procs[p]!.smmu;
  if (s.state !== 'registered') return;
  const inRange = (e: Spte) => e.va !== NONE && start <= e.va && e.va < end;
  for (const e of s.sptes.filter(inRange)) unpin(d, ctx, e);
  s.sptes = s.sptes.filter((e) => !inRange(e));
  if (inRange(s.pending)) s.stale = true;
  if (kind === 'start') s.invalidating = true;
  if (ctx.config.secondary === 'xpmem') s.awaitingAck = true;
}

/** invalidate_range_end: new secondary mappings may be made again. */
export function smmuInvalidateEnd(d: D, p: number): void {
  d.procs[p]!.smmu.invalidating = false;
}

/** ->release: tear every secondary mapping down for good (exit_mmap). */
export function smmuRelease(d: D, ctx: Ctx, p: number): void {
  const s = d.procs[p]!.smmu;
  if (s.state !== 'registered') return;
  for (const e of s.sptes) unpin(d, ctx, e);
  if (s.pending.va !== NONE) unpin(d, ctx, s.pending);
  s.sptes = [];
  s.pending = castDraft(NO_SPTE);
  s.stale = false;
  s.invalidating = false;
  s.state = 'released';
}
