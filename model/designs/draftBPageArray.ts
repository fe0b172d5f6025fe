/**
 * Draft B (seed 003, Vrabel, 2014): the m2p override goes; each VMA carries an array of pages that
 * get_user_pages consults (gup_fast fails on the foreign frame, the slow path reads the array);
 * gntdev must split the array when the VMA is split.
 */
import type { Design } from '../design.js';
import { unmapRegardless } from './unmapRegardless.js';

export const draftBPageArray: Design = {
  ...unmapRegardless,
  name: 'draft-b-page-array',
  base: 'unmap-regardless',
  origin: 'seed 003: Xen-devel "Linux grant map/unmap improvement proposal (Draft B)" (2014-10)',
  summary: 'a per-VMA page array, split with the VMA, answers get_user_pages; no m2p override',
  gupLookup: 'vma-page-array',
  pageArraySplit: true,
  specialPtes: false,
};
