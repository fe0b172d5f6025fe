// A patch of a patch: ghost-unmap-while-referenced.ts with gntdev's pre-2015 unmap, which does not
// wait for page references (Design.unmapWait 'none'). Its ghost flag and property come along.
// Expected on gup-io: 'no grant unmapped under a page reference' fails.
import { defineDesign } from 'grantcheck';
import flagged from './ghost-unmap-while-referenced.js';

export default defineDesign({
  base: flagged,
  name: 'gntdev-2022-unmap-at-once',
  summary: 'unmap_grant_pages unmaps at once, referenced or not',
  points: { unmapWait: 'none' },
});
