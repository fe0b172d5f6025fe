/**
 * IOCTL_GNTDEV_MAP_GRANT_REF — gntdev_ioctl_map_grant_ref (drivers/xen/gntdev.c): gntdev_alloc_map
 * (placeholder pages from gnttab_alloc_pages, every handle INVALID, users = 1), then
 * gntdev_add_map places it at the first gap of priv->maps (a gap is used only if strictly larger
 * than count). Nothing is mapped yet: mapping is deferred to mmap. A map of n pages maps refs 0..n-1.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { NONE, type GrantMap } from '../state.js';
import { notRunning, type ActionRule } from './common.js';

export function gntdevIoctlMapGrantRef(ctx: Ctx): ActionRule<'gntdev_ioctl_map_grant_ref'> {
  return {
    guard: (s, a) => {
      const r = notRunning(s, a.p);
      if (r) return r;
      if (!s.procs[a.p]!.fds[a.file]) return `process ${a.p} holds no fd on file ${a.file}`;
      if (s.maps.length >= ctx.config.maxMaps) return `the configuration allows ${ctx.config.maxMaps} maps`;
      return true;
    },
    effect: (d, a) => {
      const f = d.files[a.file]!;
      // gntdev_add_map: walk the sorted list; insert before the first map that leaves a big enough gap
      let index = 0;
      let at = f.maps.length;
      for (let i = 0; i < f.maps.length; i++) {
        const other = d.maps[f.maps[i]!]!;
        if (index + a.count < other.index) {
          at = i;
          break;
        }
        index = other.index + other.count;
      }
      const id = d.maps.length;
      const map: GrantMap = {
        state: 'live',
        file: a.file,
        index,
        count: a.count,
        users: 1,
        refs: Array.from({ length: a.count }, (_, i) => i),
        slots: Array.from({ length: a.count }, () => ({
          user: false,
          kernel: false,
          pte: NONE,
          beingRemoved: false,
          page: { state: 'allocated', foreign: false, p2m: ctx.design.placeholder === 'own' ? 'own' : 'invalid', pins: 0, wasMapped: false, kmapGap: false },
        })),
        liveGrants: 0,
        inUse: false,
        flags: NONE,
        pagesVmStart: NONE,
        mmProc: NONE,
        notifier: 'none',
        unmapOffset: NONE,
        unmapCount: 0,
        vma: NONE,
        notify: { clear: false, send: false, cleared: 0, sent: 0, early: false },
      };
      d.maps.push(castDraft(map));
      f.maps.splice(at, 0, id);
    },
  };
}
