/**
 * The interval notifier's lifecycle (mm/mmu_notifier.c): a gntdev map's mmu_interval_notifier is
 * inserted once, removed once, and never reached after it is gone: not removed a second time
 * (mmu_interval_notifier_remove would run interval_tree_remove and mmdrop again), and not left in
 * the mm's tree when the map is freed (the mm would call gntdev_invalidate on freed memory).
 */
import { always, sometimes, type AlwaysProperty, type SometimesProperty } from '../explorer/index.js';
import type { Ctx, State } from '../model/index.js';

export const NOTIFIER_LIFECYCLE = 'interval notifier inserted once, removed once, never used after removal';

export function notifierLifecycle(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    NOTIFIER_LIFECYCLE,
    (s: State) => {
      for (const [id, m] of s.maps.entries()) {
        if (m.notifier === 'removed-twice') return `map ${id}'s interval notifier was removed again after its removal (mmu_interval_notifier_remove on a subscription no longer in process ${m.mmProc}'s tree)`;
        if (m.state === 'freed' && m.notifier === 'inserted') return `map ${id} was freed with its interval notifier still in process ${m.mmProc}'s tree`;
      }
      return true;
    },
    { description: "a map's interval notifier is removed exactly once, before the map is freed" },
  );
}

/** The removal happens, and a map whose notifier is inserted is mapped by two VMAs (the split that 2019 closes twice). */
export function notifierWitnesses(ctx: Ctx): SometimesProperty<State>[] {
  const out = [sometimes('an interval notifier is removed', (s: State) => s.maps.some((m) => m.notifier === 'removed'))];
  if (ctx.config.munmapRanges === 'any' && ctx.config.mapCounts.some((n) => n > 1)) {
    out.push(
      sometimes('a map with an inserted notifier is split into two VMAs', (s: State) =>
        s.maps.some((m, id) => m.notifier === 'inserted' && s.procs.reduce((n, p) => n + [...p.vmas, ...p.op.detached].filter((v) => v.map === id).length, 0) >= 2),
      ),
    );
  }
  return out;
}
