/**
 * The 2015 kernel (Vrabel/Herbert, "xen: fix many long-standing grant mapping bugs"):
 * 3f9f1c67572f "xen/grant-table: add a mechanism to safely unmap pages that are in use" and
 * 745282256c75 "xen/gntdev: safely unmap grants in case they are still in use": gntdev's notifier
 * unmaps with gnttab_unmap_refs_sync, which waits until page_count <= 1. Fixes case 9; the wait
 * inside the notifier deadlocked against i915 (case 4, QubesOS #7481), fixed by 2022's async unmap.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const gntdev2015: Design = {
  ...gntdev2022,
  name: 'gntdev-2015',
  base: 'gntdev-2022',
  origin: 'Linux v4.0-5.18 (3f9f1c67572f, 745282256c75)',
  summary: 'the unmap waits (sync) until the page is no longer referenced, inside the MMU-notifier callback',
  defaultConfig: 'gup',
  unmapWait: 'sync',
};
