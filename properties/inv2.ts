/**
 * INV-2, each handle unmapped exactly once: the driver never holds a handle Xen does not have (an
 * unmap of it would be a double unmap), and forgets a handle only once Xen has unmapped it (else
 * it leaks: B can never revoke the grant). At quiescence no handle is live.
 */
import { actionProperty, atQuiescence, type AtQuiescenceProperty, type StepProperty } from '../explorer/index.js';
import type { Action, Ctx, GrantMap, Handle, State } from '../model/index.js';

export const INV2 = 'INV-2 each handle unmapped exactly once';
export const INV2_QUIESCENCE = 'INV-2 no handle live at quiescence';

const kinds = ['user', 'kernel'] as const;

function driverHolds(m: GrantMap | undefined, slot: number, kind: Handle['kind']): boolean {
  if (!m || m.state !== 'live') return false;
  const sl = m.slots[slot]!;
  return kind === 'user' ? sl.user : sl.kernel;
}

function xenHas(s: State, map: number, slot: number, kind: Handle['kind']): boolean {
  for (const h of s.handles) if (h.map === map && h.slot === slot && h.kind === kind) return true;
  return false;
}

export function inv2(_ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    INV2,
    (s: State, a: Action, t: State) => {
      const maps = t.maps;
      for (let id = 0; id < maps.length; id++) {
        const m = maps[id]!;
        for (let i = 0; i < m.count; i++) {
          for (const k of kinds) {
            if (driverHolds(m, i, k) && !xenHas(t, id, i, k)) return `map ${id} slot ${i}: the driver holds a ${k} handle Xen no longer has (a double unmap waiting to happen)`;
            if (driverHolds(s.maps[id], i, k) && !driverHolds(m, i, k) && xenHas(t, id, i, k)) {
              return `${a.kind} dropped map ${id} slot ${i}'s ${k} handle without unmapping it: leaked`;
            }
          }
        }
      }
      return true;
    },
    { description: 'each successful map handle is unmapped exactly once: no stale handle, no leak' },
  );
}

export function inv2Quiescence(_ctx: Ctx): AtQuiescenceProperty<State> {
  return atQuiescence(
    INV2_QUIESCENCE,
    (s: State) => {
      const h = s.handles[0];
      return h ? `${s.handles.length} handle(s) still live in Xen, e.g. map ${h.map} slot ${h.slot} ${h.kind} (ref ${h.ref})` : true;
    },
    { description: 'when nothing is left to run, Xen holds no grant handle of A' },
  );
}
