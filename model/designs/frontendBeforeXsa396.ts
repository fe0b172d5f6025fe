/**
 * What-if pairing: today's gntdev in A against a frontend B written as blkfront, netfront and
 * scsifront were before XSA-396 (CVE-2022-23036..23038): B asks gnttab_query_foreign_access
 * whether A still maps the ref, and on "not in use" calls gnttab_end_foreign_access(ref, 0, 0UL)
 * and reuses the page whatever the revoke answered (blkfront's blkif_completion before
 * abf1fd5919d6; netfront before 31185df7e2b1). A backend that maps the ref between the query and
 * the revoke keeps the page after B reused it (regression case 12). A is unchanged: the bug is B's.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const frontendBeforeXsa396: Design = {
  ...gntdev2022,
  name: 'frontend-before-xsa-396',
  base: 'gntdev-2022',
  origin: 'what-if: gntdev-2022 as backend A, B as the pre-XSA-396 frontends (blkfront before abf1fd5919d6, netfront before 31185df7e2b1)',
  summary: "B queries, then revokes and reuses the page whatever the revoke answered: A may map between B's query and its revoke",
  defaultConfig: 'small',
  granterRevoke: 'query-then-reuse',
};
