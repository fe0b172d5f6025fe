/**
 * `sometimes` witnesses: situations the invariants guard, which must be reachable within the
 * bounds, or the invariants may hold vacuously. The property records (properties/index.ts) say
 * which properties each one keeps honest.
 */
import { sometimes, type SometimesProperty } from '../explorer/index.js';
import { userPteIntact, type Ctx, type State } from '../model/index.js';

/** Live handles of a map (the driver's view). */
function mapHasHandles(s: State, map: number): boolean {
  const m = s.maps[map];
  return !!m && m.state === 'live' && m.slots.some((sl) => sl.user || sl.kernel);
}

export function witnesses(ctx: Ctx): SometimesProperty<State>[] {
  const { design } = ctx;
  const out: SometimesProperty<State>[] = [];
  if (design.pv) {
    out.push(
      sometimes('a grant PTE in a pinned L1', (s: State) => s.handles.some((h) => h.kind === 'user' && userPteIntact(s, ctx.config, h))),
    );
  }
  out.push(
    sometimes(
      'a process exits with grants mapped',
      (s: State) =>
        s.procs.some(
          (p, i) =>
            p.state === 'exiting' &&
            p.op.step === 0 &&
            (design.pv
              ? s.handles.some((h) => h.kind === 'user' && h.proc === i && userPteIntact(s, ctx.config, h))
              : p.ptes.some((pte) => pte.kind === 'page' && mapHasHandles(s, pte.map))),
        )
    ),
  );
  if (ctx.config.munmapRanges === 'any' && ctx.config.mapCounts.some((n) => n > 1)) {
    out.push(
      sometimes(
        'a VMA splits with live grants',
        (s: State) =>
          s.maps.some((_, id) => {
            if (!mapHasHandles(s, id)) return false;
            const pieces = s.procs.reduce((n, p) => n + [...p.vmas, ...p.op.detached].filter((v) => v.map === id).length, 0);
            return pieces >= 2;
          })
      ),
    );
  }
  if (design.unmapIoctl === 'put') {
    out.push(
      sometimes(
        'the ioctl unmap happens while the map is still mmapped',
        (s: State) =>
          s.maps.some((m, id) => m.state === 'live' && !s.files[m.file]!.maps.includes(id) && s.procs.some((p) => [...p.vmas, ...p.op.detached].some((v) => v.map === id)))
      ),
    );
  }
  if (design.pv && design.kernelAlias && ctx.config.mapFailures !== 'none') {
    out.push(
      sometimes("one slot's user mapping succeeds while its kernel mapping fails", (s: State) => s.maps.some((m) => m.state === 'live' && m.slots.some((sl) => sl.user && !sl.kernel && !sl.beingRemoved))),
    );
  }
  out.push(
    sometimes('a map with grants mapped is freed', (s: State) => s.maps.some((m) => m.state === 'freed' && m.slots.some((sl) => sl.page.wasMapped))),
  );
  if (design.hasUnmapNotify && ctx.config.unmapNotify) {
    out.push(
      sometimes('the unmap notify clears the byte and sends the event', (s: State) => s.maps.some((m) => m.notify.cleared > 0 && m.notify.sent > 0)),
    );
  }
  out.push(sometimes('every process has exited', (s: State) => s.procs.every((p) => p.state !== 'running' && p.state !== 'exiting')));
  return out;
}
