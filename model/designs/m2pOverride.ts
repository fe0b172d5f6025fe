/**
 * The m2p override (seed 002, 2010-2014, arch/x86/xen/p2m.c): m2p_add_override records B's frame
 * -> the local page, so mfn_to_pfn finds the placeholder; one frame mapped at two places has two
 * entries and the lookup returns the newest. The kernel alias is unmapped in two steps:
 * GNTTABOP_unmap_grant_ref leaves a zero mapping, then m2p_remove_override reinstates the original
 * (regression case 18). A what-if: gntdev-2022 without special PTEs, with the m2p override and
 * the pre-2015 unmap; the 2010-2014 drivers differed in more (docs/designs.md).
 */
import type { Design } from '../design.js';
import { unmapRegardless } from './unmapRegardless.js';

export const m2pOverride: Design = {
  ...unmapRegardless,
  name: 'm2p-override',
  base: 'unmap-regardless',
  origin: 'what-if: gntdev-2022 with the m2p override of 2010-2014 (9b705f0e98c4; seed 002) and its two-step kernel unmap',
  summary: 'a local m2p override finds the placeholder; the kernel alias is unmapped, then reinstated, in two steps',
  gupLookup: 'm2p-override',
  m2pOverride: true,
  kunmap: 'two-step',
  specialPtes: false,
};
