/**
 * What-if: today's gntdev (gntdev-2022) with the unmap policy of before 2015: grants are unmapped
 * when asked, whether or not something (an O_DIRECT bio, a DMA, a queued retransmit) still
 * references the page (regression case 9; fixed by 3f9f1c67572f and 745282256c75). Only the
 * policy differs; the kernels before 2015 differed in more (docs/designs.md).
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

export const unmapRegardless: Design = {
  ...gntdev2022,
  name: 'unmap-regardless',
  base: 'gntdev-2022',
  origin: 'what-if: gntdev-2022 with the unmap of before 3f9f1c67572f / 745282256c75 (2015)',
  summary: 'grants are unmapped at once, even while a page is still referenced (I/O in flight)',
  defaultConfig: 'gup',
  unmapWait: 'none',
};
