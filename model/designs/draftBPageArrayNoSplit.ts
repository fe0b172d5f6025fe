/** Draft B with the split forgotten: after a partial munmap the surviving piece indexes its array from its own start. */
import type { Design } from '../design.js';
import { draftBPageArray } from './draftBPageArray.js';

export const draftBPageArrayNoSplit: Design = {
  ...draftBPageArray,
  name: 'draft-b-page-array-no-split',
  base: 'draft-b-page-array',
  summary: 'Draft B without splitting the page array when the VMA splits',
  pageArraySplit: false,
};
