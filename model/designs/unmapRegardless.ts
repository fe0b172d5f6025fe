/**
 * The unmap policy before 2015: gntdev unmaps a grant when asked, whether or not something (an
 * O_DIRECT bio, a DMA, a queued retransmit) still references the page (regression case 9).
 * Otherwise today's driver, so that only the policy differs.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const unmapRegardless: Design = {
  ...gntdev2022,
  name: 'unmap-regardless',
  base: 'gntdev-2022',
  origin: 'Linux before 3f9f1c67572f / 745282256c75 (2015)',
  summary: 'grants are unmapped at once, even while a page is still referenced (I/O in flight)',
  defaultConfig: 'gup',
  unmapWait: 'none',
};
