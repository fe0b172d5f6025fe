/**
 * Seed 004's proposal on today's gntalloc: user-chosen file offsets through a MAP_FIXED-like flag
 * of ALLOC_GREF ("have a flag in the create operation, similar to MAP_FIXED in mmap, that allows
 * userspace to mandate the offset if it wants control, but default to letting the kernel handle
 * it"); an offset that overlaps a gref on priv->list is refused; and
 * IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR ("given a vaddr, you can look up the vma and return its
 * pgoff").
 */
import { GNTALLOC_2022, type Design } from '../design.js';
import { gntalloc2022 } from './gntalloc2022.js';

/** Seed 004's proposal on today's gntalloc. */
export const gntallocUserOffsets: Design = {
  ...gntalloc2022,
  name: 'gntalloc-user-offsets',
  base: 'gntalloc-2022',
  origin: 'seed 004 (De Graaf, Fitzhardinge, Dec 2010): proposal',
  summary: 'user-chosen offsets with a MAP_FIXED-like flag (overlap refused), kernel offsets skip them; GET_OFFSET_FOR_VADDR answers the VMA',
  defaultConfig: 'alloc-offsets',
  gntalloc: { ...GNTALLOC_2022, offsets: 'user-fixed', getOffsetForVaddr: true },
};
