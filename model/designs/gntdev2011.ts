/**
 * gntdev 2011 (v2.6.39-3.x, Daniel De Graaf): 68b025c813c2 "Add reference counting to maps"
 * (users; vma open/close; the unmap ioctl unlinks and puts, the VMA keeps the map), HVM support
 * (use_ptemod), unmap notify. One classic MMU notifier per file on the opener's mm, whose
 * invalidate/release walk priv->maps only and bound the range by map->vma; sync unmaps; no kernel
 * alias yet (kmap_ops came ~2012); the mmap error path clears map->vma but does not unmap; the
 * CLEAR_BYTE notification is written with copy_to_user into current's address space, which fails
 * at exit (current->mm is NULL by then) and then leaves the grants mapped.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const gntdev2011: Design = {
  ...gntdev2022,
  name: 'gntdev-2011',
  base: undefined,
  origin: 'Linux v2.6.39-3.x (68b025c813c2 and the De Graaf series), PV',
  summary: 'refcounted maps; per-file notifier over priv->maps only, bounded by map->vma; the unmap ioctl unlinks a still-mmapped map',
  notifier: 'per-file',
  freeableMaps: false,
  invalidateBounds: 'map-vma',
  notifierRemoval: 'final-put',
  unmapIoctl: 'put',
  mmapOnce: 'map-vma',
  tracksMapVma: true,
  unmapWait: 'none',
  liveGrants: false,
  notifyEvent: 'before-unmap',
  specialPtes: false,
  kernelAlias: false,
  mmapErrorUnmaps: false,
  mmapErrorClearsVma: true,
  clearByte: 'copy-to-user',
  munmapDowngrade: false,
};

/** gntdev 2011 in an HVM domain: a map may be mmapped again and again (map->vma is PV only). */
export const gntdev2011Hvm: Design = {
  ...gntdev2011,
  name: 'gntdev-2011-hvm',
  base: 'gntdev-2011',
  origin: 'Linux v2.6.39-3.x, HVM',
  summary: 'no grant PTEs; repeated mmaps allowed; SEND_EVENT fires before the final unmap (clear byte after event)',
  pv: false,
  mmapOnce: 'none',
};
