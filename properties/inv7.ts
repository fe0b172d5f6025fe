/**
 * INV-7: the unmap notification fires at most once each way, and the clear byte is written before
 * the event is sent: B must not get the event while the byte it watches is still shared with A
 * and not yet cleared. The model records that fact when the event is sent (notify.early), since
 * the event and the clear may happen inside one kernel call (gntdev_put_map).
 */
import { always, type AlwaysProperty } from '../explorer/index.js';
import type { Ctx, State } from '../model/index.js';

export const INV7 = 'INV-7 unmap notify fires once, clear byte before event';

export function inv7(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    INV7,
    (s: State) => {
      for (const [id, m] of s.maps.entries()) {
        const n = m.notify;
        if (n.cleared > 1) return `map ${id}: the byte was cleared ${n.cleared} times`;
        if (n.sent > 1) return `map ${id}: the event was sent ${n.sent} times`;
        if (n.early) return `map ${id}'s event was sent while its byte was still mapped and not cleared`;
      }
      return true;
    },
    { description: 'UNMAP_NOTIFY: each action at most once; CLEAR_BYTE visible before SEND_EVENT' },
  );
}
