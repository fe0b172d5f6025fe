/**
 * gntdev 2013 (3.x-4.x): priv->freeable_maps, the fix for a map unlinked by the unmap ioctl while
 * still mmapped (the notifier walked only priv->maps and missed it); kmap_ops/kunmap_ops map a
 * kernel alias of each page; the CLEAR_BYTE byte written through the page's kernel address (as in
 * every v4.x copy read; when 3.x switched from copy_to_user is not pinned down). Otherwise as 2011.
 */
import type { Design } from '../design.js';
import { gntdev2011 } from './gntdev2011.js';

export const gntdev2013: Design = {
  ...gntdev2011,
  name: 'gntdev-2013',
  base: 'gntdev-2011',
  origin: 'Linux 3.x-4.x (freeable_maps; kmap_ops), PV',
  summary: 'the per-file notifier also walks priv->freeable_maps; a kernel alias per page; still bounded by map->vma',
  freeableMaps: true,
  kernelAlias: true,
  clearByte: 'kernel-address',
};

/** gntdev 2013, HVM. */
export const gntdev2013Hvm: Design = {
  ...gntdev2013,
  name: 'gntdev-2013-hvm',
  base: 'gntdev-2013',
  origin: 'Linux 3.x-4.x, HVM',
  summary: 'as gntdev-2011-hvm (freeable_maps is PV only)',
  pv: false,
  mmapOnce: 'none',
};
