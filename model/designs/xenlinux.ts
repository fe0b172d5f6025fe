/**
 * The driver the seed 000 designs share (XenLinux 2.6.18-xen gntdev, as discussed in "Vanilla
 * Linux and has_foreign_mapping", 2008): no MMU notifier; a grant PTE is unmapped when the core mm
 * zaps it, through the VMA's zap_pte hook (gntdev_clear_pte); placeholder pages are ordinary kernel
 * pages whose backing the kernel alias replaces. Everything else is today's driver (reference
 * counted maps, the unmap ioctl unlinks, live_grants/being_removed accounting, one mmap per map),
 * so that the five seed 000 designs differ only in how exit_mmap tears the grants down. Not a
 * design of its own.
 */
import { EXIT_MMAP_STEPS, MUNMAP_STEPS, type Design } from '../design.js';

export const xenlinuxBase: Omit<Design, 'name' | 'summary'> = {
  origin: 'seed 000: Xen-devel "Vanilla Linux and has_foreign_mapping" (2008-04)',
  defaultConfig: 'standard',
  pv: true,
  exitSteps: EXIT_MMAP_STEPS,
  munmapSteps: MUNMAP_STEPS,
  archExitMmap: 'unpin',
  unpinGrantPtes: 'xen',
  zapGrantPte: 'zap-hook',
  restoreBacking: true,
  notifier: 'none',
  freeableMaps: false,
  invalidateBounds: 'pages-vm-start',
  notifierRemoval: 'final-put',
  unmapIoctl: 'put',
  mmapOnce: 'in-use',
  tracksMapVma: false,
  unmapWait: 'none',
  liveGrants: true,
  notifyEvent: 'after-unmap',
  hasUnmapNotify: false,
  specialPtes: false,
  placeholder: 'own',
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
};
