// Why this test? Each defect issue 19 found in writing patches of the built-in designs, as a user
// would: a removed step that came back, the gntalloc point refused, a recipe's returned value or a
// guard's odd answer silently taken, INV-4 judging the built-in rules instead of the patch's. Each
// test here failed on the code before its fix (the patches are written inline against the
// repository's modules, so that they run on that code too).
import { describe, expect, it } from 'vitest';
import { configByName, modelOf } from '../../catalog.js';
import { block, check, ModelError } from '../../explorer/index.js';
import { defineDesign, DesignError, variationPoints } from '../../extend.js';
import { designNamed, MUNMAP_STEPS, type Design } from '../../model/index.js';

const INV1 = 'INV-1 no implicit unmap';
const INV4 = 'INV-4 no cycle of waits';

/** The violations of the properties named (deadlocks left out), each with its length and last action. */
function violations(design: Design, config: string, properties: string[]) {
  const r = check(modelOf(design, configByName(config)), { properties, checkDeadlock: false });
  return r.violations.map((v) => ({ property: v.property, length: v.length, last: v.trace.at(-1)!.action?.kind, clause: v.clause }));
}

describe('a notifier step removed from munmapSteps stays removed (defect 1)', () => {
  const withoutNotifier = defineDesign({
    base: 'gntdev-2022',
    name: 'munmap-without-notifier',
    summary: 'munmap zaps without the notifier calls',
    points: { munmapSteps: MUNMAP_STEPS.filter((s) => !s.startsWith('mmu_notifier_')) },
  });

  it('munmap then clears live grant PTEs: INV-1 fails at unmap_vmas', () => {
    expect(violations(withoutNotifier, 'tiny', [INV1])).toEqual([
      { property: INV1, length: 5, last: 'unmap_vmas', clause: 'unmap_vmas implicitly unmapped map 0 slot 0 (process 0 page 0): the PTE was cleared while the handle is live' },
    ]);
  });

  it("the mmap error path's unmap_region makes the notifier calls munmapSteps lists, and only those", () => {
    // gntdev_mmap's error path leaves the mapped grants to unmap_region (before v5.4): with the
    // notifier calls, the interval notifier unmaps them first; without, the zap clears them.
    const errorPathZaps = { points: { mmapErrorUnmaps: false } } as const;
    const base = defineDesign({ base: 'gntdev-2022', name: 'error-path-zaps', summary: 'the error path leaves the grants to the zap', ...errorPathZaps });
    const patched = defineDesign({ base: withoutNotifier, name: 'error-path-zaps-without-notifier', summary: 'and no notifier calls', ...errorPathZaps });
    // with the notifier calls, the error path's shortest implicit unmap needs the file closed first
    // (the interval notifier goes with the map's last reference); without them, the error path
    // alone zaps the live grant PTE the failed mmap left
    const shortest = (d: Design) => {
      const v = check(modelOf(d, configByName('small')), { properties: [INV1], checkDeadlock: false }).violations[0]!;
      return v.trace.slice(1).map((s) => s.action!.kind);
    };
    expect(shortest(base)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'close', 'gntdev_mmap_error_path']);
    expect(shortest(patched)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'gntdev_mmap_error_path']);
  });
});

describe('every field of Design is a patchable point, whichever design comes first (defect 3)', () => {
  it('the points are every field of Design but its names, gntalloc included', () => {
    expect(variationPoints()).toContain('gntalloc');
    expect(variationPoints()).toContain('dynamicOrder');
    expect(variationPoints()).not.toContain('name');
  });

  it("gntalloc's choices may be patched in part, on any base", () => {
    const d = defineDesign({ base: 'gntdev-2022', name: 'gntalloc-checked', summary: 'x', points: { gntalloc: { delGref: 'query-revoke-return' } } });
    expect(d.gntalloc).toEqual({ delGref: 'query-revoke-return', vmPriv: 'per-vma', offsets: 'kernel', getOffsetForVaddr: false });
    const e = defineDesign({ base: 'gntalloc-2011', name: 'gntalloc-2011-today-offsets', summary: 'x', points: { gntalloc: { vmPriv: 'per-vma' } } });
    expect(e.gntalloc).toEqual({ ...designNamed('gntalloc-2011')!.gntalloc, vmPriv: 'per-vma' });
    expect(() => defineDesign({ base: 'gntalloc-2022', name: 'x', summary: 'x', points: { gntalloc: { delgref: 'x' } as never } })).toThrow(/unknown gntalloc choice 'delgref' \(did you mean 'delGref'\?\)/);
    expect(() => defineDesign({ base: 'gntalloc-2022', name: 'x', summary: 'x', points: { gntalloc: { delGref: 'revoke' } as never } })).toThrow(/gntalloc\.delGref is "revoke", not one of 'query-revoke-free', 'query-revoke-return', 'end-foreign-access'/);
  });
});

describe("a rule's odd answers are ModelErrors naming the rule, the action and the value (defect 4)", () => {
  const tiny = configByName('tiny');
  const exitReturning = (value: unknown) =>
    defineDesign({
      base: 'gntdev-2022',
      name: 'exit-returns',
      summary: 'do_exit returns a value',
      rules: { do_exit: (_ctx, original) => ({ guard: original!.guard, effect: (d, a) => (original!.effect(d, a), value) as unknown as void }) },
    });
  const guardAnswering = (value: unknown) =>
    defineDesign({ base: 'gntdev-2022', name: 'exit-guard', summary: 'do_exit answers oddly', rules: { do_exit: (_ctx, original) => ({ guard: () => value as true, effect: original!.effect }) } });

  it('a recipe that returns a value (immer would take it for the next state)', () => {
    expect(() => check(modelOf(exitReturning(42), tiny))).toThrow(ModelError);
    expect(() => check(modelOf(exitReturning(42), tiny))).toThrow("design 'exit-returns': the effect of rules.do_exit returned 42 for do_exit(p=0); an effect changes the draft it is given and returns nothing");
    expect(() => check(modelOf(exitReturning({ ...modelOf(designNamed('gntdev-2022')!, tiny).initStates()[0]! }), tiny))).toThrow(/the effect of rules\.do_exit returned \{"grants":.*for do_exit\(p=0\)/);
  });

  it('a guard that answers anything but true or a string', () => {
    for (const [value, shown] of [
      [42, '42'],
      [undefined, 'undefined'],
      [{ ok: true }, '{"ok":true}'],
      [false, 'false'],
    ] as const) {
      const m = modelOf(guardAnswering(value), tiny);
      expect(() => m.whyDisabled(m.initStates()[0]!, { kind: 'do_exit', p: 0 })).toThrow(ModelError);
      expect(() => check(m)).toThrow(`design 'exit-guard': the guard of rules.do_exit answered ${shown} for do_exit(p=0); a guard answers true (enabled) or a string saying why the action is disabled`);
    }
  });
});

describe("INV-4 judges the design's own rules (defect 5)", () => {
  it('a patched notifier release that waits for page references is a cycle with a GPU holder', () => {
    // gntdev-2022 unmaps asynchronously: nothing waits, INV-4 holds. The patch makes the release
    // wait, as gnttab_unmap_refs_sync did, for the references of the pages it unmaps.
    const waiting = defineDesign({
      base: 'gntdev-2022',
      name: 'release-waits',
      summary: 'mmu_notifier_release waits for the page references of the grants it unmaps',
      rules: {
        mmu_notifier_release: (_ctx, original) => ({
          guard: original!.guard,
          effect: (d, a) => {
            const held = d.holders.flatMap((h, i) => (h.proc === a.p && h.page === 'placeholder' ? [i] : []));
            if (held.length > 0) block(`mmu_notifier_release waits for page references held by ${held.join(', ')}`, { holders: held });
            original!.effect(d, a);
          },
        }),
      },
    });
    expect(violations(designNamed('gntdev-2022')!, 'gpu', [INV4])).toEqual([]);
    expect(violations(waiting, 'gpu', [INV4])).toEqual([{ property: INV4, length: 5, last: 'do_exit', clause: expect.stringMatching(/mmu_notifier_release waits for page references held by 0/) }]);
  });
});

describe('ghost variables', () => {
  it('are part of the state (fingerprinted): a flag a rule sets splits states its base has as one', async () => {
    const { bool } = await import('../../explorer/layout/schema.js');
    const flagged = defineDesign({
      base: 'gntdev-2022',
      name: 'munmapped-flag',
      summary: 'a ghost flag: some munmap began',
      ghost: { munmapped: { layout: bool(), initial: false } },
      rules: { do_munmap: (_ctx, original) => ({ guard: original!.guard, effect: (d, a) => (original!.effect(d, a), void (d.ghost.munmapped = true)) }) },
    });
    const m = modelOf(flagged, configByName('tiny'));
    expect(m.initStates()[0]!.ghost).toEqual({ munmapped: false });
    expect(modelOf(designNamed('gntdev-2022')!, configByName('tiny')).initStates()[0]!.ghost).toBeUndefined();
    expect(check(m).stats.distinctStates).toBeGreaterThan(check(modelOf(designNamed('gntdev-2022')!, configByName('tiny'))).stats.distinctStates);
    expect(() => defineDesign({ base: flagged, name: 'again', summary: 'x', ghost: { munmapped: { layout: bool(), initial: true } } })).toThrow(/ghost variable 'munmapped' is declared by its base already/);
  });

  it('an initial value that does not fit its layout is refused, naming the variable', async () => {
    const { int } = await import('../../explorer/layout/schema.js');
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', ghost: { unmaps: { layout: int(0, 3), initial: 9 } } })).toThrow(
      new DesignError("defineDesign: ghost variable 'unmaps': its initial value does not fit its layout (ghost.unmaps is 9, outside the layout's range 0..3); give an initial value inside the layout"),
    );
  });
});
