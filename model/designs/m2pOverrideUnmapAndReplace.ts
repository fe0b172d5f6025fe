/**
 * ee0726407fea "xen/m2p: use GNTTABOP_unmap_and_replace to reinstate the original mapping": the
 * kernel alias is swapped back atomically, so the linear map is never absent (case 18 fixed).
 * A what-if on `m2p-override`, as that design is.
 */
import type { Design } from '../design.js';
import { m2pOverride } from './m2pOverride.js';

export const m2pOverrideUnmapAndReplace: Design = {
  ...m2pOverride,
  name: 'm2p-override-unmap-and-replace',
  base: 'm2p-override',
  origin: 'what-if: m2p-override with the GNTTABOP_unmap_and_replace of ee0726407fea (2013-14)',
  summary: 'the m2p override with GNTTABOP_unmap_and_replace: the original kernel mapping is swapped in atomically',
  kunmap: 'unmap-and-replace',
};
