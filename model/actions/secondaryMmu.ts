/**
 * The secondary MMU as an actor (seed 001): it subscribes to process 0's mm under mmap_lock
 * (mmu_notifier_register), and at any time makes a secondary mapping from a primary PTE of a live
 * VMA in two steps: a fault reads the PTE (KVM: get_user_pages, taking a page reference; GRU:
 * follow_page; both go through find_vma, so a VMA munmap detached is out of reach),
 * then installs the mapping. A V5 subscriber holds off between invalidate_range_start and _end and
 * retries a fault whose PTE was invalidated meanwhile; a V3 one installs it anyway. XPmem's
 * invalidate callback sleeps until the remote side acknowledges (xpmem_remote_ack).
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { pinTarget } from '../internal/smmu.js';
import { NO_SPTE, NONE, type Spte } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

function noSecondary(ctx: Ctx): string | undefined {
  return ctx.config.secondary === 'none' ? 'the configuration has no secondary MMU' : undefined;
}

/** mmu_notifier_register (mm/mmu_notifier.c): the caller holds mmap_lock. */
export function mmuNotifierRegister(ctx: Ctx): ActionRule<'mmu_notifier_register'> {
  return {
    guard: (s, a) => {
      const r = noSecondary(ctx) ?? notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      return s.procs[a.p]!.smmu.state === 'none' ? true : 'the secondary MMU is subscribed already';
    },
    effect: (d, a) => {
      d.procs[a.p]!.smmu.state = 'registered';
    },
  };
}

/** A secondary fault reads the primary PTE at `va` (KVM's gup / GRU's follow_page). */
export function smmuFault(ctx: Ctx): ActionRule<'smmu_fault'> {
  return {
    guard: (s, a) => {
      const r = noSecondary(ctx);
      if (r) return r;
      const sm = s.procs[a.p]!.smmu;
      if (sm.state !== 'registered') return 'no secondary MMU subscribed to this mm';
      if (sm.pending.va !== NONE) return 'a secondary fault is already in progress';
      if (sm.sptes.some((e) => e.va === a.va)) return `page ${a.va} is mapped by the secondary MMU already`;
      if (ctx.design.notifierProtocol === 'v5' && sm.invalidating) return 'held off: between invalidate_range_start and _end';
      const proc = s.procs[a.p]!;
      if (proc.state !== 'running') return 'get_user_pages/follow_page need a live mm';
      if (!proc.vmas.some((v) => v.start <= a.va && a.va < v.end)) return `find_vma: no VMA at page ${a.va}`;
      const pte = proc.ptes[a.va]!;
      return pte.kind === 'none' ? `no primary PTE at page ${a.va}` : true;
    },
    effect: (d, a) => {
      const pte = d.procs[a.p]!.ptes[a.va]!;
      const e: Spte =
        pte.kind === 'grant'
          ? { va: a.va, target: 'bpage', map: pte.map, slot: pte.slot, ref: d.maps[pte.map]!.refs[pte.slot]! }
          : { va: a.va, target: 'placeholder', map: pte.map, slot: pte.slot, ref: NONE };
      const sm = d.procs[a.p]!.smmu;
      sm.pending = e;
      sm.stale = false;
      pinTarget(d, ctx, e);
    },
  };
}

/** The fault installs the secondary mapping; a V5 subscriber retries instead if it was invalidated meanwhile. */
export function smmuInstall(ctx: Ctx): ActionRule<'smmu_install'> {
  return {
    guard: (s, a) => (s.procs[a.p]!.smmu.pending.va === NONE ? 'no secondary fault in progress' : true),
    effect: (d, a) => {
      const sm = d.procs[a.p]!.smmu;
      const e = { ...sm.pending };
      sm.pending = castDraft(NO_SPTE);
      if (ctx.design.notifierProtocol === 'v5' && (sm.stale || sm.invalidating)) {
        // mmu_notifier_retry: drop the translation (and the reference gup took), fault again later
        if ((ctx.config.secondary === 'kvm' || ctx.config.secondary === 'xpmem') && e.map !== NONE) d.maps[e.map]!.slots[e.slot]!.page.pins--;
      } else {
        sm.sptes.push(e);
      }
      sm.stale = false;
    },
  };
}

/** XPmem: the remote side acknowledges the invalidation; the sleeping callback returns. */
export function xpmemRemoteAck(_ctx: Ctx): ActionRule<'xpmem_remote_ack'> {
  return {
    guard: (s, a) => (s.procs[a.p]!.smmu.awaitingAck ? true : 'no invalidation waits for the remote side'),
    effect: (d, a) => {
      d.procs[a.p]!.smmu.awaitingAck = false;
    },
  };
}
