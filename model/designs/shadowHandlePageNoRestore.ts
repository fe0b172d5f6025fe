/**
 * Seed 000, Abd-El-Malek's objection to the shadow page: without a "restore physical backing"
 * flag, the generic teardown unmaps the kernel alias of a page whose backing the driver had
 * removed but does not put the page's own frame back, and the page is later freed without it.
 */
import type { Design } from '../design.js';
import { shadowHandlePage } from './shadowHandlePage.js';

export const shadowHandlePageNoRestore: Design = {
  ...shadowHandlePage,
  name: 'shadow-handle-page-no-restore',
  base: 'shadow-handle-page',
  summary: 'the shadow page without the "restore physical backing" flag: pages are freed with no backing',
  restoreBacking: false,
};
