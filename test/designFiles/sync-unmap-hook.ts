// A kernel internal replaced: gntdev-2022's unmap_grant_pages waits, like gnttab_unmap_refs_sync
// (2015-2022), until no page of the range is referenced, instead of handing a referenced run to
// gnttab_unmap_refs_async. A GPU userptr object drops its reference only from its own notifier
// callback, after gntdev's in the same chain: the notifier waits for the GPU, the GPU for the
// notifier. Expected: INV-4 (a cycle of waits) and deadlock fail on `gpu`.
import { anyPageReferenced, block, defineDesign, referencesOf } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-sync-unmap',
  summary: 'unmap_grant_pages waits for page references (as gnttab_unmap_refs_sync) instead of deferring',
  defaultConfig: 'gpu',
  kernel: {
    unmapGrantPages: (original) => (d, ctx, map, offset, pages) => {
      const m = d.maps[map];
      const end = m ? Math.min(offset + pages, m.count) : offset;
      if (m && m.state === 'live' && anyPageReferenced(d, map, offset, end - offset)) {
        const who = referencesOf(d, map, offset, end - offset);
        block(`unmap_grant_pages waits for page_count <= 1 on map ${map}: referenced by ${who.names.join(', ')}`, who);
      }
      original(d, ctx, map, offset, pages);
    },
  },
});
