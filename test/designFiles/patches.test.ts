// Why this test? The patches the README shows, one per kind (steps removed, steps reordered, a rule
// replaced, actions added, a kernel internal replaced, ghost state and properties added, a patch of
// a patch, a change that reaches nothing new), each with its recorded outcome on its configuration.
import { describe, expect, it } from 'vitest';
import type { Design } from 'grantcheck';
import exitZapWithoutNotifier from './exit-zap-without-notifier.js';
import ghostFlag from './ghost-unmap-while-referenced.js';
import { outcomeOf, type Outcome } from './helpers.js';
import munmapWithoutNotifier from './munmap-without-notifier.js';
import notifierAfterZap from './notifier-after-zap.js';
import p2mFailure from './p2m-failure.js';
import syncUnmap from './sync-unmap-hook.js';
import unmapAtOnce from './unmap-at-once.js';
import unmapIoctlNoPut from './unmap-ioctl-no-put.js';
import stopsEarly from './unmap-refs-stops-early.js';

/** [file, design, configuration, outcome: distinct states, violated (short name:length), witnesses not reached, reaches anything new] */
const RECORDED: readonly (readonly [string, Design, string, Outcome])[] = [
  ['munmap-without-notifier.ts', munmapWithoutNotifier, 'tiny', { states: 236, violated: ['INV-1:5', 'INV-2:8', 'INV-2q:14', 'backing:8', 'live_grants:9'], unreached: [], changes: true }],
  ['notifier-after-zap.ts', notifierAfterZap, 'tiny', { states: 291, violated: ['INV-1:5', 'INV-2:6', 'INV-2q:16', 'live_grants:6'], unreached: [], changes: true }],
  ['unmap-ioctl-no-put.ts', unmapIoctlNoPut, 'tiny', { states: 295, violated: ['users:3'], unreached: [], changes: true }],
  ['p2m-failure.ts', p2mFailure, 'small', { states: 7081, violated: [], unreached: [], changes: true }],
  ['unmap-refs-stops-early.ts', stopsEarly, 'tiny', { states: 301, violated: ['INV-1:6', 'INV-2:5', 'INV-2q:10', 'INV-5:6', 'backing:10', 'live_grants:5'], unreached: [], changes: true }],
  ['sync-unmap-hook.ts', syncUnmap, 'gpu', { states: 383, violated: ['INV-2q:5', 'INV-4:5', 'deadlock:5'], unreached: [], changes: true }],
  ['ghost-unmap-while-referenced.ts', ghostFlag, 'gup-io', { states: 2835, violated: ['INV-1:7', 'INV-2:9', 'INV-2q:13', 'INV-5:7', 'backing:18', 'live_grants:9', 'users:14'], unreached: [], changes: false }],
  ['unmap-at-once.ts', unmapAtOnce, 'gup-io', { states: 1025, violated: ['no grant unmapped under a page reference:6', 'no-access:7'], unreached: [], changes: true }],
  ['exit-zap-without-notifier.ts', exitZapWithoutNotifier, 'tiny', { states: 279, violated: [], unreached: [], changes: false }],
];

describe('the design files of test/designFiles', () => {
  for (const [file, design, config, recorded] of RECORDED) {
    it(`${file} on ${config}`, () => {
      expect(outcomeOf(design, config)).toEqual(recorded);
    });
  }
});
