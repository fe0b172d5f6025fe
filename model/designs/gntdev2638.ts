/**
 * gntdev in v2.6.38 (Gerd Hoffmann, ab31523c2fca "allow usermode to map granted pages"), before
 * reference counting: the unmap ioctl refuses a map still attached to a VMA or holding handles
 * (gntdev_del_map: -EBUSY) and frees it otherwise; gntdev_vma_close only forgets the VMA;
 * gntdev_release frees a map it cannot delete while it is still on priv->maps (regression case 8).
 * The mmap error path neither unmaps nor clears map->vma. PV only, no kernel alias, no notify.
 */
import type { Design } from '../design.js';
import { gntdev2011 } from './gntdev2011.js';

export const gntdev2638: Design = {
  ...gntdev2011,
  name: 'gntdev-2.6.38',
  base: 'gntdev-2011',
  origin: 'Linux v2.6.38 (ab31523c2fca), before 68b025c813c2',
  summary: 'no reference counting: the unmap ioctl refuses while mapped, release frees a busy map still on the list',
  unmapIoctl: 'ebusy',
  refcounted: false,
  hasUnmapNotify: false,
  mmapErrorClearsVma: false,
};
