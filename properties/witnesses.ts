/**
 * `sometimes` witnesses: situations the invariants guard, which must be reachable within the
 * bounds, or the invariants may hold vacuously. Each names the properties it keeps honest.
 */
import { sometimes, type SometimesProperty } from '../explorer/index.js';
import { userPteIntact, type Ctx, type State } from '../model/index.js';
import { INV1 } from './inv1.js';
import { INV2, INV2_QUIESCENCE } from './inv2.js';
import { INV5 } from './inv5.js';
import { INV7 } from './inv7.js';
import { BACKING, LIVE_GRANTS, NO_USE_AFTER_FREE, USERS } from './maps.js';
import { GET_OFFSET } from './offsets.js';

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
      sometimes('a grant PTE in a pinned L1', (s: State) => s.handles.some((h) => h.kind === 'user' && userPteIntact(s, ctx.config, h)), {
        witnessFor: [INV1, INV5],
      }),
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
        ),
      { witnessFor: [INV1, INV2, ...(design.pv ? [INV5] : []), ...(design.liveGrants ? [LIVE_GRANTS] : [])] },
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
          }),
        { witnessFor: [INV1, USERS, GET_OFFSET] },
      ),
    );
  }
  if (design.unmapIoctl === 'put') {
    out.push(
      sometimes(
        'the ioctl unmap happens while the map is still mmapped',
        (s: State) =>
          s.maps.some((m, id) => m.state === 'live' && !s.files[m.file]!.maps.includes(id) && s.procs.some((p) => [...p.vmas, ...p.op.detached].some((v) => v.map === id))),
        { witnessFor: [USERS, NO_USE_AFTER_FREE] },
      ),
    );
  }
  if (design.pv && design.kernelAlias && ctx.config.mapFailures !== 'none') {
    out.push(
      sometimes("one slot's user mapping succeeds while its kernel mapping fails", (s: State) => s.maps.some((m) => m.state === 'live' && m.slots.some((sl) => sl.user && !sl.kernel && !sl.beingRemoved)), {
        witnessFor: [INV2, ...(design.liveGrants ? [LIVE_GRANTS] : [])],
      }),
    );
  }
  out.push(
    sometimes('a map with grants mapped is freed', (s: State) => s.maps.some((m) => m.state === 'freed' && m.slots.some((sl) => sl.page.wasMapped)), {
      witnessFor: [NO_USE_AFTER_FREE, BACKING],
    }),
  );
  if (design.hasUnmapNotify && ctx.config.unmapNotify) {
    out.push(
      sometimes('the unmap notify clears the byte and sends the event', (s: State) => s.maps.some((m) => m.notify.cleared > 0 && m.notify.sent > 0), {
        witnessFor: [INV7],
      }),
    );
  }
  out.push(sometimes('every process has exited', (s: State) => s.procs.every((p) => p.state !== 'running' && p.state !== 'exiting'), { witnessFor: [INV2_QUIESCENCE] }));
  return out;
}
