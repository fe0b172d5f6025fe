/**
 * What-if: today's gntdev (gntdev-2022) with the unmap of 2015-2022: gnttab_unmap_refs_sync
 * (3f9f1c67572f "xen/grant-table: add a mechanism to safely unmap pages that are in use",
 * 745282256c75 "xen/gntdev: safely unmap grants in case they are still in use"), which waits in
 * the MMU-notifier callback until page_count <= 1. Fixes case 9; the wait inside the notifier
 * deadlocked against i915 (case 4, QubesOS #7481), fixed by 2022's async unmap (dbe97cff7dd9).
 * Only the unmap policy is 2015's; the kernels of 2015-2022 differed in more (docs/designs.md),
 * and `gntdev-2019` models the v5.5-5.18 driver with this wait.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const syncUnmap: Design = {
  ...gntdev2022,
  name: 'sync-unmap',
  base: 'gntdev-2022',
  origin: 'what-if: gntdev-2022 with the sync unmap of 3f9f1c67572f/745282256c75 (v4.0-5.18)',
  summary: 'the unmap waits (sync) until the page is no longer referenced, inside the MMU-notifier callback',
  defaultConfig: 'gup',
  unmapWait: 'sync',
};
