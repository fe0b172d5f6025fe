/**
 * Secondary-MMU coherence (seed 001): a secondary mapping (KVM spte, GRU TLB entry, XPmem remote
 * PTE) never survives its primary mapping into a page that was freed or reused; after ->release,
 * no secondary mapping remains.
 */
import { always, sometimes, type AlwaysProperty, type SometimesProperty } from '../explorer/index.js';
import { NONE, type Ctx, type State } from '../model/index.js';

export const SMMU_COHERENT = 'secondary MMU maps no freed or reused page';
export const SMMU_RELEASED = 'no secondary mapping after release';

export function smmuCoherent(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    SMMU_COHERENT,
    (s: State) => {
      for (const [p, proc] of s.procs.entries()) {
        for (const e of proc.smmu.sptes) {
          if (e.target === 'placeholder' && s.maps[e.map]!.slots[e.slot]!.page.state === 'freed') {
            return `process ${p}'s secondary MMU still maps page ${e.va} to map ${e.map} slot ${e.slot}'s page, which was freed`;
          }
          if (e.target === 'bpage' && s.grants[e.ref]!.state !== 'granted' && s.grants[e.ref]!.state !== 'queried') {
            return `process ${p}'s secondary MMU still maps page ${e.va} to B's page ${e.ref}, which B ${s.grants[e.ref]!.state} after the grant was unmapped`;
          }
        }
      }
      return true;
    },
    { description: 'no secondary mapping of a page after its primary mapping is gone and the page is freed or reused' },
  );
}

export function smmuReleased(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    SMMU_RELEASED,
    (s: State) => {
      for (const [p, proc] of s.procs.entries()) {
        if (proc.smmu.state !== 'released') continue;
        if (proc.smmu.sptes.length > 0 || proc.smmu.pending.va !== NONE) return `process ${p}'s secondary MMU keeps a mapping after ->release`;
      }
      return true;
    },
    { description: 'after mmu_notifier_release no secondary mapping remains' },
  );
}

export function smmuWitnesses(ctx: Ctx): SometimesProperty<State>[] {
  const out = [
    sometimes('a secondary mapping exists', (s: State) => s.procs.some((p) => p.smmu.sptes.length > 0)),
    sometimes('a secondary fault races with an invalidation', (s: State) => s.procs.some((p) => p.smmu.pending.va !== NONE && p.smmu.stale)),
    sometimes('the secondary MMU is released', (s: State) => s.procs.some((p) => p.smmu.state === 'released')),
  ];
  if (ctx.config.secondary === 'xpmem') {
    out.push(sometimes('an invalidation sleeps for the remote side', (s: State) => s.procs.some((p) => p.smmu.awaitingAck)));
  }
  return out;
}
