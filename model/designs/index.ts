/** Every named design, in the order reports list them. */
import type { Design } from '../design.js';
import { earlyUnpin } from './earlyUnpin.js';
import { gntdev2022, gntdev2022Hvm } from './gntdev2022.js';
import { hasForeignMappings } from './hasForeignMappings.js';
import { notifierRelease } from './notifierRelease.js';
import { shadowHandlePage } from './shadowHandlePage.js';
import { shadowHandlePageNoRestore } from './shadowHandlePageNoRestore.js';

export const designs: readonly Design[] = [
  earlyUnpin,
  hasForeignMappings,
  shadowHandlePage,
  shadowHandlePageNoRestore,
  notifierRelease,
  gntdev2022,
  gntdev2022Hvm,
];

/** The design of that name, or undefined. */
export function designNamed(name: string): Design | undefined {
  return designs.find((d) => d.name === name);
}
