/**
 * gntdev 2019 (v5.5, Jason Gunthorpe, d3eeb1d77c5d "use mmu_interval_notifier_insert"): one
 * interval notifier per map over its VMA, still bounded by map->vma, removed by every
 * gntdev_vma_close ("The notifier should be attached until the original VMA is destroyed. It is
 * unclear if any of this is even sane"), so a split VMA's second close removes it again. The mmap
 * error path unmaps ("xen/gntdev: Fix partial gntdev_mmap() cleanup", v4.16, stable 4.4.120) and
 * removes the notifier while map->vma is set. Sync unmaps (since 2015).
 */
import type { Design } from '../design.js';
import { gntdev2013 } from './gntdev2013.js';

export const gntdev2019: Design = {
  ...gntdev2013,
  name: 'gntdev-2019',
  base: 'gntdev-2013',
  origin: 'Linux v5.5-5.18 (d3eeb1d77c5d), PV',
  summary: 'per-map interval notifier bounded by map->vma, removed at every VMA close (again after a split)',
  notifier: 'per-map',
  freeableMaps: false,
  notifierRemoval: 'every-close',
  unmapWait: 'sync',
  specialPtes: true,
  mmapErrorUnmaps: true,
  munmapDowngrade: true,
};

/** gntdev 2019, HVM. */
export const gntdev2019Hvm: Design = {
  ...gntdev2019,
  name: 'gntdev-2019-hvm',
  base: 'gntdev-2019',
  origin: 'Linux v5.5-5.18, HVM',
  summary: 'no notifier; repeated mmaps allowed; SEND_EVENT before the final unmap',
  pv: false,
  mmapOnce: 'none',
};
