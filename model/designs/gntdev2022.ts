/**
 * Today's gntdev (v6.1+): dbe97cff7dd9 "Avoid blocking in unmap_grant_pages()" (async unmap,
 * being_removed, live_grants), 0991028cd495 "Prevent leaking grants" (user and kernel successes
 * counted separately), 5c13a4a0291b "Accommodate VMA splitting" (no map->vma, invalidate bounded by
 * pages_vm_start, in_use, the interval notifier removed at the final put).
 */
import { EXIT_MMAP_STEPS, MUNMAP_STEPS, type Design } from '../design.js';

export const gntdev2022: Design = {
  name: 'gntdev-2022',
  origin: 'Linux v6.1+ (dbe97cff7dd9, 0991028cd495, 5c13a4a0291b), PV',
  summary: 'async unmap with being_removed and live_grants; per-map interval notifier over pages_vm_start, removed at the final put; one mmap per map',
  defaultConfig: 'standard',
  pv: true,
  exitSteps: EXIT_MMAP_STEPS,
  munmapSteps: MUNMAP_STEPS,
  munmapSplit: 'original-survives',
  munmapDowngrade: true,
  mapFixedOrder: 'munmap-first',
  archExitMmap: 'unpin',
  unpinGrantPtes: 'xen',
  zapGrantPte: 'clear',
  restoreBacking: true,
  notifier: 'per-map',
  freeableMaps: false,
  invalidateBounds: 'pages-vm-start',
  notifierRemoval: 'final-put',
  unmapIoctl: 'put',
  mmapOnce: 'in-use',
  tracksMapVma: false,
  unmapWait: 'async',
  liveGrants: true,
  notifyEvent: 'after-unmap',
  hasUnmapNotify: true,
  clearByte: 'kernel-address',
  specialPtes: true,
  placeholder: 'ballooned',
  setsHasForeignMappings: false,
  refcounted: true,
  kernelAlias: true,
  mmapErrorUnmaps: true,
  mmapErrorClearsVma: true,
  notifierProtocol: 'v5',
  gupLookup: 'find-special-page',
  pageArraySplit: true,
  m2pOverride: false,
  kunmap: 'clear',
  granterRevoke: 'checked',
};

/** The same driver in an HVM/PVH domain: grants mapped onto the placeholder pages, which the VMA maps as ordinary pages. */
export const gntdev2022Hvm: Design = {
  ...gntdev2022,
  name: 'gntdev-2022-hvm',
  base: 'gntdev-2022',
  origin: 'Linux v6.1+, HVM/PVH (use_ptemod = 0)',
  summary: 'no grant PTEs: one host map per page, pages inserted into the VMA; grants unmapped at the final put (async)',
  pv: false,
};
