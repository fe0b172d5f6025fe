// A kernel internal replaced: gnttab_unmap_refs unmaps only the first page of each batch it is
// given, but its callers mark every handle of the batch invalid, as if all were unmapped: Xen
// keeps the other grants mapped with no handle left to unmap them. Every action that unmaps
// (the notifier, munmap, the final put, the async work) goes through it. Expected: INV-2 fails.
import { defineDesign } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-unmap-refs-stops-early',
  summary: 'gnttab_unmap_refs stops after the first page of a batch',
  kernel: {
    gnttabUnmapRefs: (original) => (d, ctx, map, offset, count) => original(d, ctx, map, offset, Math.min(count, 1)),
  },
});
