/**
 * INV-7: the unmap notification fires at most once each way, and the clear byte is written before
 * the event is sent: B must not get the event while the byte it watches is still shared with A
 * and not yet cleared (the clear is pending and the notify page, page 0, still has a live grant).
 */
import { actionProperty, type StepProperty } from '../explorer/index.js';
import type { Action, Ctx, State } from '../model/index.js';

export const INV7 = 'INV-7 unmap notify fires once, clear byte before event';

export function inv7(_ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    INV7,
    (s: State, a: Action, t: State) => {
      for (const [id, m] of t.maps.entries()) {
        const n = m.notify;
        if (n.cleared > 1) return `map ${id}: the byte was cleared ${n.cleared} times`;
        if (n.sent > 1) return `map ${id}: the event was sent ${n.sent} times`;
        const before = s.maps[id]?.notify;
        const shared = t.handles.some((h) => h.map === id && h.slot === 0);
        if (before && n.sent > before.sent && n.clear && shared) return `${a.kind} sent map ${id}'s event while its byte is still mapped and not cleared`;
      }
      return true;
    },
    { description: 'UNMAP_NOTIFY: each action at most once; CLEAR_BYTE visible before SEND_EVENT' },
  );
}
