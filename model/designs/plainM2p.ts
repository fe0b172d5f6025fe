/**
 * No m2p override: a PV grant PTE holds B's machine frame, and get_user_pages finds the struct
 * page with mfn_to_pfn through the global M2P, which gives the pfn "as seen by the foreign guest
 * (which would be completely the wrong page for the local guest)" (regression case 19). A
 * what-if on `unmap-regardless` (today's driver otherwise).
 */
import type { Design } from '../design.js';
import { unmapRegardless } from './unmapRegardless.js';

export const plainM2p: Design = {
  ...unmapRegardless,
  name: 'plain-m2p',
  base: 'unmap-regardless',
  origin: 'what-if: unmap-regardless with gup through the global M2P (seed 002, the problem: blktap, 2010; regression case 19)',
  summary: "gup translates a grant PTE's frame through the global M2P: B's pfn, the wrong local page",
  gupLookup: 'm2p',
  specialPtes: false,
};
