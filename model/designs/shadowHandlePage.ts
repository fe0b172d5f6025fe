/**
 * Seed 000, Fitzhardinge's proposal: a secondary page hung off each PTE page's `private` keeps the
 * grant handle of every grant PTE in it; unpin_page walks it and tears the grants down (user PTE
 * and kernel alias, restoring the page's physical backing) before unpinning, and set_pte can unmap
 * a grant PTE it clears with the handle found there. The early unpin stays.
 */
import type { Design } from '../design.js';
import { xenlinuxBase } from './xenlinux.js';

export const shadowHandlePage: Design = {
  ...xenlinuxBase,
  name: 'shadow-handle-page',
  summary: 'grant handles kept in a shadow page per PTE page; unpin tears the grants down first (early unpin kept)',
  unpinGrantPtes: 'shadow-teardown',
  zapGrantPte: 'shadow',
  restoreBacking: true,
};
