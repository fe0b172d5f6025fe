/** Every named design, in the order reports list them. */
import type { Design } from '../design.js';
import { earlyUnpin } from './earlyUnpin.js';
import { gntdev2011, gntdev2011Hvm } from './gntdev2011.js';
import { gntdev2013, gntdev2013Hvm } from './gntdev2013.js';
import { gntdev2019, gntdev2019Hvm } from './gntdev2019.js';
import { gntdev2638 } from './gntdev2638.js';
import { gntdev2022, gntdev2022Hvm } from './gntdev2022.js';
import { gntalloc612, gntdev612 } from './gntdev612.js';
import { gntalloc2011, gntalloc2011RevokeAssumed } from './gntalloc2011.js';
import { gntalloc2022 } from './gntalloc2022.js';
import { gntallocUserOffsets } from './gntallocUserOffsets.js';
import { hasForeignMappings } from './hasForeignMappings.js';
import { notifierRelease } from './notifierRelease.js';
import { notifierV3 } from './notifierV3.js';
import { notifierV5 } from './notifierV5.js';
import { draftBPageArray } from './draftBPageArray.js';
import { draftBPageArrayNoSplit } from './draftBPageArrayNoSplit.js';
import { findSpecialPage } from './findSpecialPage.js';
import { syncUnmap } from './syncUnmap.js';
import { m2pOverride } from './m2pOverride.js';
import { m2pOverrideUnmapAndReplace } from './m2pOverrideUnmapAndReplace.js';
import { plainM2p } from './plainM2p.js';
import { unmapRegardless } from './unmapRegardless.js';
import { shadowHandlePage } from './shadowHandlePage.js';
import { frontendBeforeXsa396 } from './frontendBeforeXsa396.js';
import { shadowHandlePageNoRestore } from './shadowHandlePageNoRestore.js';

export const designs: readonly Design[] = [
  earlyUnpin,
  hasForeignMappings,
  shadowHandlePage,
  shadowHandlePageNoRestore,
  notifierRelease,
  gntdev2638,
  gntdev2011,
  gntdev2011Hvm,
  gntdev2013,
  gntdev2013Hvm,
  gntdev2019,
  gntdev2019Hvm,
  gntdev2022,
  gntdev2022Hvm,
  gntdev612,
  frontendBeforeXsa396,
  notifierV3,
  notifierV5,
  plainM2p,
  m2pOverride,
  m2pOverrideUnmapAndReplace,
  draftBPageArray,
  draftBPageArrayNoSplit,
  findSpecialPage,
  unmapRegardless,
  syncUnmap,
  gntalloc2011,
  gntalloc2011RevokeAssumed,
  gntalloc2022,
  gntalloc612,
  gntallocUserOffsets,
];

/** The design of that name, or undefined. */
export function designNamed(name: string): Design | undefined {
  return designs.find((d) => d.name === name);
}
