/**
 * gntalloc 2011 (v2.6.39, Daniel De Graaf, seed 004) as XSA-396 (CVE-2022-23039) describes it
 * (the query lasted until v5.17; the first-gref vm_private_data until ~v3.6, fixing commit not seen):
 * __del_gref tests with gnttab_query_foreign_access whether the grant is still in use and, if not,
 * revokes it with gnttab_end_foreign_access_ref and frees the ref and the page, assuming the revoke
 * succeeds ("which is not true in case the backend has mapped the granted page between those two
 * operations"). vm_private_data is the first gref (open/close adjust only its users).
 *
 * The pre-2022 source as read (torvalds/linux drivers/xen/gntalloc.c) returns from __del_gref when
 * gnttab_end_foreign_access_ref fails; that variant is `gntalloc-2011-checked`. The fix's own text
 * says the query "is not needed at all" (d3b6372c5881).
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

/** gntalloc 2011 as XSA-396 describes it. */
export const gntalloc2011: Design = {
  ...gntdev2022,
  name: 'gntalloc-2011',
  base: undefined,
  origin: 'Linux v2.6.39 gntalloc (seed 004): the query until v5.17, vm_private_data = first gref until ~v3.6; as XSA-396 describes it',
  summary: '__del_gref: query, then revoke, then free the ref and the page (the revoke assumed to succeed); vm_private_data = the first gref',
  defaultConfig: 'alloc-small',
  gntalloc: { delGref: 'query-revoke-free', vmPriv: 'first-gref', offsets: 'kernel', getOffsetForVaddr: false },
};

/** The pre-2022 source as read: the failed revoke returns, the gref stays on gref_list (users 0) until a later do_cleanup. */
export const gntalloc2011Checked: Design = {
  ...gntalloc2011,
  name: 'gntalloc-2011-checked',
  base: 'gntalloc-2011',
  origin: 'Linux v2.6.39-5.16 drivers/xen/gntalloc.c __del_gref as written',
  summary: '__del_gref: query, then revoke, returning while either says "in use": the page is kept until a later ALLOC/DEALLOC runs do_cleanup',
  gntalloc: { delGref: 'query-revoke-return', vmPriv: 'first-gref', offsets: 'kernel', getOffsetForVaddr: false },
};
