// Why this test? Every variation point of Design must be patchable, whichever design the catalog
// lists first (the gntalloc point was refused), and a patch of a point must take effect: each
// point's patch (everyPoint.ts) is checked with its recorded outcome, and whether it reaches
// anything its base does not.
import { describe, expect, it } from 'vitest';
import { variationPoints } from '../../extend.js';
import { POINTS } from './everyPoint.js';
import { outcomeOf, type Outcome } from './helpers.js';

/**
 * Each point's patch: distinct states, the properties violated (short name:counterexample length),
 * the witnesses not reached, and whether it reaches states or transitions its base does not.
 */
const RECORDED: Readonly<Record<string, Outcome>> = {
  pv: { states: 279, violated: [], unreached: [], changes: true },
  exitSteps: { states: 279, violated: [], unreached: [], changes: true },
  munmapSteps: { states: 236, violated: ['INV-1:5', 'INV-2:8', 'INV-2q:14', 'backing:8', 'live_grants:9'], unreached: [], changes: true },
  munmapSplit: { states: 301, violated: ['INV-1:6', 'INV-2:16', 'INV-2q:16', 'INV-5:12', 'backing:16', 'notifier:15'], unreached: [], changes: true },
  munmapDowngrade: { states: 21921, violated: ['INV-1:9', 'INV-2:10', 'INV-2q:20', 'backing:22', 'live_grants:10'], unreached: [], changes: true },
  mapFixedOrder: { states: 4101, violated: [], unreached: [], changes: true },
  archExitMmap: { states: 279, violated: [], unreached: [], changes: true },
  unpinGrantPtes: { states: 279, violated: [], unreached: [], changes: true },
  zapGrantPte: { states: 227, violated: [], unreached: [], changes: true },
  restoreBacking: { states: 2373, violated: ['backing:10'], unreached: [], changes: true },
  notifier: { states: 444, violated: ['INV-1:7', 'INV-2:10', 'INV-2q:11', 'INV-5:7', 'backing:10'], unreached: [], changes: true },
  freeableMaps: { states: 301, violated: ['INV-1:6', 'INV-2:16', 'INV-2q:16', 'INV-5:12', 'backing:16'], unreached: [], changes: true },
  invalidateBounds: { states: 279, violated: ['INV-1:6', 'INV-2:10', 'INV-2q:10', 'INV-5:6', 'backing:10'], unreached: [], changes: true },
  notifierRemoval: { states: 279, violated: ['no-UAF:10', 'notifier:10'], unreached: ['an interval notifier is removed'], changes: true },
  unmapIoctl: { states: 213, violated: [], unreached: [], changes: true },
  mmapOnce: { states: 513, violated: ['INV-1:13', 'INV-2:17', 'INV-2q:17', 'INV-5:13', 'backing:17'], unreached: [], changes: true },
  tracksMapVma: { states: 279, violated: [], unreached: [], changes: true },
  unmapWait: { states: 383, violated: ['INV-2q:5', 'INV-4:5', 'deadlock:5'], unreached: [], changes: true },
  liveGrants: { states: 279, violated: [], unreached: [], changes: true },
  notifyEvent: { states: 1994, violated: ['INV-7:6'], unreached: [], changes: true },
  clearByte: { states: 2991, violated: ['INV-1:4', 'INV-2:5', 'INV-2q:11', 'INV-5:7', 'INV-7:6', 'backing:5'], unreached: [], changes: true },
  hasUnmapNotify: { states: 2597, violated: [], unreached: [], changes: true },
  specialPtes: { states: 279, violated: [], unreached: ['gup holds a page of a grant mapping', 'I/O is in flight while its grant is being unmapped'], changes: true },
  placeholder: { states: 279, violated: [], unreached: [], changes: true },
  setsHasForeignMappings: { states: 312, violated: ['INV-1:6', 'INV-2:7', 'INV-2q:11', 'INV-5:6', 'live_grants:7'], unreached: [], changes: true },
  refcounted: { states: 442, violated: ['INV-1:7', 'INV-2:4', 'INV-2q:11', 'INV-5:7', 'backing:4', 'no-UAF:4', 'notifier:4'], unreached: ['the ioctl unmap happens while the map is still mmapped'], changes: true },
  kernelAlias: { states: 279, violated: [], unreached: [], changes: true },
  mmapErrorUnmaps: { states: 6889, violated: ['INV-1:5', 'INV-2:5', 'INV-2q:12', 'INV-7:6', 'backing:5'], unreached: [], changes: true },
  mmapErrorClearsVma: { states: 5289, violated: ['INV-1:6', 'INV-2:5', 'INV-2q:13', 'INV-5:12', 'INV-7:6', 'backing:5', 'no-UAF:5', 'notifier:5'], unreached: [], changes: true },
  notifierProtocol: { states: 1662, violated: ['smmu:13'], unreached: [], changes: true },
  gupLookup: { states: 747, violated: ['INV-6:4'], unreached: [], changes: true },
  pageArraySplit: { states: 853, violated: ['INV-6:5', 'no-access:7'], unreached: [], changes: true },
  m2pOverride: { states: 747, violated: ['no-access:7'], unreached: [], changes: true },
  kunmap: { states: 747, violated: ['kmap:5', 'no-access:7'], unreached: [], changes: true },
  granterRevoke: { states: 17090, violated: ['INV-3B:5'], unreached: [], changes: true },
  gntalloc: { states: 18152, violated: ['INV-3:6', 'a-acct:6', 'a-leak:12', 'a-users:7'], unreached: [], changes: true },
  'gntalloc.delGref': { states: 13788, violated: ['INV-3:6', 'a-acct:6', 'a-leak:12'], unreached: [], changes: true },
  'gntalloc.vmPriv': { states: 14516, violated: ['a-leak:13', 'a-users:7'], unreached: [], changes: true },
  'gntalloc.offsets': { states: 12344, violated: [], unreached: [], changes: true },
  'gntalloc.getOffsetForVaddr': { states: 9480, violated: [], unreached: [], changes: true },
  'gntalloc.delGrefOrder': { states: 13938, violated: ['INV-3:6', 'a-acct:6', 'a-no-UAF:6'], unreached: [], changes: true },
};

describe('a patch of each variation point', () => {
  it('covers every point of Design, gntalloc included', () => {
    expect(Object.keys(POINTS).filter((k) => !k.includes('.')).sort()).toEqual([...variationPoints()].sort());
    expect(variationPoints()).toContain('gntalloc');
  });

  it('dynamicOrder is refused, naming what to use instead', () => {
    expect(() => POINTS.dynamicOrder.design()).toThrow(/dynamicOrder is the orderings tool's own marker .* 'grantcheck orderings --design-file FILE' or checkOrderings/);
  });

  const actual: Record<string, Outcome> = {};
  for (const [point, { design, config }] of Object.entries(POINTS)) {
    if (point === 'dynamicOrder') continue;
    it(`${point} on ${config}`, () => {
      const d = design();
      actual[point] = outcomeOf(d, config);
      expect(actual[point]).toEqual(RECORDED[point]);
    });
  }
});
