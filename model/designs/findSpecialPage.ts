/**
 * Vrabel, "mm: provide a find_special_page vma operation" (2015): grant PTEs carry _PAGE_SPECIAL,
 * gup_fast falls back on them, and vm_normal_page asks gntdev's find_special_page, which answers
 * map->pages[(addr - pages_vm_start) >> PAGE_SHIFT] (the fix for case 19). A what-if: today's
 * lookup with the pre-2015 unmap policy, so that only the lookup differs from the other lookup
 * designs; its choices are those of `unmap-regardless`, whose lookup is already this one.
 */
import type { Design } from '../design.js';
import { unmapRegardless } from './unmapRegardless.js';

export const findSpecialPage: Design = {
  ...unmapRegardless,
  name: 'find-special-page',
  base: 'unmap-regardless',
  origin: 'what-if: gntdev-2022\'s lookup (find_special_page, v4.0, 2015) with the unmap of before 2015; the same choices as unmap-regardless',
  summary: 'special grant PTEs; vm_normal_page asks find_special_page, which indexes the map by pages_vm_start',
  gupLookup: 'find-special-page',
  specialPtes: true,
};
