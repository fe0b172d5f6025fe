/**
 * The delayed work of gnttab_unmap_refs_async — gnttab_unmap_work -> __gnttab_unmap_refs_async
 * (drivers/xen/grant-table.c): it reads the map's unmap_data as it is now (a later
 * __unmap_grant_pages of the same map may have overwritten it); while a page of that run is still
 * referenced (page_count > 1) it re-arms itself (5 ms, growing); otherwise it unmaps the run and
 * calls the done callback (gntdev: __unmap_grant_pages_done, then put_map).
 */
import type { Ctx } from '../internal/ctx.js';
import { anyPageReferenced, completeUnmap } from '../internal/gntdev.js';
import type { ActionRule } from './common.js';

export function gnttabUnmapWork(ctx: Ctx): ActionRule<'gnttab_unmap_work'> {
  return {
    guard: (s, a) => {
      const u = s.inflight.find((x) => x.map === a.map && x.offset === a.offset);
      if (!u) return 'no deferred unmap of this run';
      return anyPageReferenced(s, u.map, u.offset, u.count) ? 'a page of the run is still referenced (page_count > 1): retry later' : true;
    },
    effect: (d, a) => {
      const i = d.inflight.findIndex((u) => u.map === a.map && u.offset === a.offset);
      const { map, offset, count } = d.inflight[i]!;
      d.inflight.splice(i, 1);
      completeUnmap(d, ctx, map, offset, count);
    },
  };
}
