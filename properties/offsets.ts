/**
 * GET_OFFSET_FOR_VADDR, both drivers: the answer names the mapping the address lies in. Its
 * [offset, offset + count) contains the address's file offset and lies within the mapping: the
 * gntdev map [index, index + count), or the gntalloc mmap [pgoff, pgoff + count) (the model's
 * ghost copy of what the mmap asked for). libxc passes the answer to the unmap ioctl.
 */
import { always, type AlwaysProperty } from '../explorer/index.js';
import { getOffsetForVaddr, gntallocGetOffsetForVaddr, NONE, type Ctx, type State } from '../model/index.js';

/** The property's name. */
export const GET_OFFSET = 'GET_OFFSET_FOR_VADDR answers the mapping the address lies in';

/** GET_OFFSET_FOR_VADDR answers the mapping the address lies in (both drivers). */
export function getOffset(ctx: Ctx): AlwaysProperty<State> {
  return always(
    GET_OFFSET,
    (s: State) => {
      for (const [p, proc] of s.procs.entries()) {
        if (proc.state !== 'running') continue;
        for (const v of proc.vmas) {
          let lo: number;
          let hi: number;
          let answerOf: (va: number) => ReturnType<typeof getOffsetForVaddr>;
          if (v.gntalloc) {
            const vp = s.alloc.vmPrivs[v.gntalloc.priv]!;
            [lo, hi] = [vp.pgoff, vp.pgoff + vp.count];
            answerOf = (va) => gntallocGetOffsetForVaddr(s, ctx, p, va);
          } else if (v.map !== NONE) {
            const m = s.maps[v.map]!;
            [lo, hi] = [m.index, m.index + m.count];
            answerOf = (va) => getOffsetForVaddr(s, ctx, p, va);
          } else continue;
          for (let va = v.start; va < v.end; va++) {
            const a = answerOf(va);
            if (typeof a === 'string') continue;
            const at = v.pgoff + (va - v.start);
            if (at < a.offset || at >= a.offset + a.count) return `process ${p} page ${va} (file offset ${at}): the answer [${a.offset}, ${a.offset + a.count}) does not contain it`;
            if (a.offset < lo || a.offset + a.count > hi) return `process ${p} page ${va}: the answer [${a.offset}, ${a.offset + a.count}) leaves the mapping [${lo}, ${hi})`;
          }
        }
      }
      return true;
    },
    { description: 'IOCTL_*_GET_OFFSET_FOR_VADDR answers an offset and count that contain the address and lie within its mapping' },
  );
}
