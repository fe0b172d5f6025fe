/**
 * gntalloc today (v5.17+): d3b6372c5881 "xen/gntalloc: don't use gnttab_query_foreign_access()"
 * (XSA-396): __del_gref calls gnttab_end_foreign_access(ref, page), which revokes at once or hands
 * the ref and the page to grant-table.c's deferred list, drained by the gnttab_handle_deferred
 * timer; struct gntalloc_vma_private_data {gref, users, count} per mapping; kernel-chosen offsets.
 */
import { GNTALLOC_2022, type Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

/** Today's gntalloc. */
export const gntalloc2022: Design = {
  ...gntdev2022,
  name: 'gntalloc-2022',
  base: undefined,
  origin: 'Linux v5.17+ drivers/xen/gntalloc.c, grant-table.c (d3b6372c5881, 6b1775f26a2d)',
  summary: '__del_gref: gnttab_end_foreign_access (revoke now, or defer the ref and page to the timer); per-VMA private data; monotonic offsets',
  defaultConfig: 'alloc-small',
  gntalloc: GNTALLOC_2022,
};
