/**
 * gntalloc 2011 (v2.6.39, Daniel De Graaf, seed 004) as its source reads, up to v5.16:
 * __del_gref tests with gnttab_query_foreign_access whether the grant is still in use and returns
 * if so; otherwise it revokes with gnttab_end_foreign_access_ref and returns again if that fails
 * ("if (!gnttab_end_foreign_access_ref(gref->gref_id, 0)) return;", drivers/xen/gntalloc.c
 * __del_gref in v2.6.39 and v3.x-5.16; d3b6372c5881 removes both tests). A gref whose grant is
 * still mapped stays on gref_list with users 0 until a later do_cleanup, and its page with it:
 * the page is never freed under a remote mapping, it leaks instead. vm_private_data is the first
 * gref of the mapping (open/close adjust only its users; until ~v3.6, fixing commit not seen).
 *
 * XSA-396's text groups gntalloc with the frontends that "assume that a following removal of the
 * granted access will always succeed"; the source above does not free after a failed revoke. That
 * assumption is a what-if of its own, `gntalloc-2011-revoke-assumed`.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

/** gntalloc 2011 as its source reads. */
export const gntalloc2011: Design = {
  ...gntdev2022,
  name: 'gntalloc-2011',
  base: undefined,
  origin: 'Linux v2.6.39-5.16 drivers/xen/gntalloc.c __del_gref as written (query, then revoke, each returning on "in use"); vm_private_data = first gref until ~v3.6',
  summary: '__del_gref: query, then revoke, returning while either says "in use": the page is kept until a later ALLOC/DEALLOC runs do_cleanup',
  defaultConfig: 'alloc-small',
  gntalloc: { delGref: 'query-revoke-return', vmPriv: 'first-gref', offsets: 'kernel', getOffsetForVaddr: false },
};

/**
 * What-if: gntalloc 2011 as XSA-396's wording describes the frontends, the revoke assumed to
 * succeed: query, then gnttab_end_foreign_access_ref, then the ref and the page freed whatever it
 * answered. No gntalloc source frees after a failed revoke; this is the frontends' pattern
 * (domain B here: `frontend-before-xsa-396`) applied to gntalloc.
 */
export const gntalloc2011RevokeAssumed: Design = {
  ...gntalloc2011,
  name: 'gntalloc-2011-revoke-assumed',
  base: 'gntalloc-2011',
  origin: "what-if: gntalloc-2011 with XSA-396's wording (\"they assume that a following removal of the granted access will always succeed\"), not any gntalloc source",
  summary: '__del_gref: query, then revoke, then free the ref and the page whatever the revoke answered',
  gntalloc: { delGref: 'query-revoke-free', vmPriv: 'first-gref', offsets: 'kernel', getOffsetForVaddr: false },
};
