// Teardown-order synthesis (issue 10): every ordering of a sequence checked, and the constraints
// that separate safe from unsafe orderings derived from the data alone.
import { describe, expect, it } from 'vitest';
import { check, deriveConstraints, formatConstraint, linearExtensions, pathOfActions, permutations, satisfies, type Constraint } from '../../explorer/index.js';
import { modelOf } from '../../catalog.js';
import { checkOrderings, formatOrderings, withOrder, OrderingsError } from '../../orderings.js';
import { configs, designNamed } from '../../model/index.js';
import { INV1, INV3 } from '../../properties/index.js';

describe('the combinatorics', () => {
  it('permutations and linear extensions', () => {
    expect(permutations(['a', 'b', 'c'])).toHaveLength(6);
    expect(linearExtensions(['a', 'b', 'c', 'd'], [['a', 'b'], ['c', 'd']])).toHaveLength(6);
    expect(linearExtensions(['a', 'b'], [['a', 'b'], ['b', 'a']])).toEqual([]);
  });

  it('derives a necessary and sufficient pairwise constraint', () => {
    const space = permutations(['a', 'b', 'c']);
    const d = deriveConstraints(space, (o) => o.indexOf('a') < o.indexOf('b'));
    expect(d.necessary.map(formatConstraint)).toEqual(['a before b']);
    expect(d.sufficient).toEqual({ constraints: d.necessary, exact: true });
  });

  it('derives a disjunction when either of two steps would do', () => {
    const space = permutations(['x', 'y', 'z', 'w']);
    const d = deriveConstraints(space, (o) => o.indexOf('z') > Math.min(o.indexOf('x'), o.indexOf('y')));
    expect(d.necessary.map(formatConstraint)).toEqual(['z after one of x or y']);
    expect(d.sufficient?.exact).toBe(true);
  });

  it('states no constraint when every or no ordering is safe', () => {
    const space = permutations(['a', 'b']);
    expect(deriveConstraints(space, () => true).summary).toMatch(/every one of the 2 orderings is safe/);
    expect(deriveConstraints(space, () => false).summary).toMatch(/none of the 2 orderings is safe/);
  });

  it('finds a sufficient set when the necessary constraints alone are not', () => {
    // safe: exactly the two orderings a<b<c and b<a<c... plus c last; necessary: c after a, c after b
    const space = permutations(['a', 'b', 'c']);
    const safe = (o: readonly string[]) => o[2] === 'c' && o[0] === 'a';
    const d = deriveConstraints(space, safe);
    for (const o of space) {
      const allowed = d.sufficient!.constraints.every((c: Constraint) => satisfies(o, c));
      if (allowed) expect(safe(o)).toBe(true);
    }
    for (const c of d.necessary) for (const o of space.filter(safe)) expect(satisfies(o, c)).toBe(true);
  });
});

describe('gntdev-2022: every ordering of exit_mmap (on tiny)', () => {
  const r = checkOrderings({ design: 'gntdev-2022', sequence: 'exit_mmap', config: 'tiny' });

  it('checks all 120 orderings, sharing one combined exploration', () => {
    expect(r.orderings).toHaveLength(120);
    expect(r.exhaustive).toBe(true);
    // sharing: one family search expands fewer states than the 120 separate searches together
    const separate = check(modelOf(designNamed('gntdev-2022')!, configs.tiny!)).stats.distinctStates;
    expect(r.stats.expansions).toBeLessThan(120 * separate);
  });

  it("today's order holds; the orderings that unpin before any grant unmap fail INV-1 and INV-5", () => {
    const today = r.orderings.find((o) => o.order.join() === 'mmu_notifier_release,arch_exit_mmap,unmap_vmas,free_pgtables,remove_vma')!;
    expect(today.status).toBe('holds');
    const unpinFirst = r.orderings.find((o) => o.order.join() === 'arch_exit_mmap,mmu_notifier_release,unmap_vmas,free_pgtables,remove_vma')!;
    expect(unpinFirst.violated).toContain(INV1);
    expect(unpinFirst.violated).toContain('INV-5 grant PTEs only in pinned L1s');
  });

  it('derives the constraint by itself: the unpin (and the frees) after the grant unmaps, by release or by unmap_vmas', () => {
    expect(r.overall.necessary.map(formatConstraint)).toEqual([
      'arch_exit_mmap after one of mmu_notifier_release or unmap_vmas',
      'free_pgtables after one of mmu_notifier_release or unmap_vmas',
      'remove_vma after one of mmu_notifier_release or unmap_vmas',
    ]);
    expect(r.overall.sufficient?.exact).toBe(true);
    expect(formatOrderings(r)).toContain('48 of 120 orderings are safe');
  });

  it("each unsafe ordering's counterexample replays on the design with that fixed order and breaks the property", () => {
    const design = designNamed('gntdev-2022')!;
    for (const o of r.orderings.filter((x) => x.status === 'violated').slice(0, 12)) {
      const m = modelOf(withOrder(design, 'exit_mmap', o.order), configs.tiny!);
      expect(o.counterexamples.map((c) => c.property)).toEqual(o.violated);
      for (const cx of o.counterexamples) {
        const path = pathOfActions(m, 0, cx.actions);
        expect(path.actions).toHaveLength(cx.length);
        const res = check(m, { properties: [cx.property], checkDeadlock: cx.property === 'deadlock', stopAtFirstViolation: true });
        expect(res.violations[0]!.length, `${o.order.join('<')}: ${cx.property}`).toBe(cx.length);
      }
    }
  });

  it('every ordering ran in full somewhere (none holds vacuously); the shortest counterexample of each property is named with its ordering', () => {
    expect(r.orderings.every((o) => o.reached)).toBe(true);
    expect(r.shortest.map((c) => c.property)).toEqual(r.perProperty.map((p) => p.property));
    for (const c of r.shortest) {
      const lengths = r.orderings.flatMap((o) => o.counterexamples.filter((x) => x.property === c.property).map((x) => x.length));
      expect(c.length).toBe(Math.min(...lengths));
    }
  });

  it('agrees with a separate check of each ordering (every tenth)', () => {
    const design = designNamed('gntdev-2022')!;
    for (const o of r.orderings.filter((_, i) => i % 10 === 0)) {
      const res = check(modelOf(withOrder(design, 'exit_mmap', o.order), configs.tiny!));
      expect(res.status === 'ok' ? 'holds' : 'violated').toBe(o.status);
      if (o.status === 'violated') expect(res.violations.map((v) => v.property).sort()).toEqual([...o.violated].sort());
    }
  });
});

describe("gntalloc-2022: every ordering of __del_gref's notify, revoke and free", () => {
  const r = checkOrderings({ design: 'gntalloc-2022', sequence: 'del_gref' });

  it('on its default configuration (alloc-small), exhaustively, every ordering reached', () => {
    expect(r.config).toBe('alloc-small');
    expect(r.orderings).toHaveLength(6);
    expect(r.exhaustive).toBe(true);
    expect(r.orderings.every((o) => o.reached)).toBe(true);
  });

  it("the kernel's order holds; freeing before the revoke fails INV-3, and the derivation says so", () => {
    const outcome = (o: string) => r.orderings.find((x) => x.order.join() === o)!;
    expect(outcome('notify,revoke,free').status).toBe('holds');
    expect(outcome('revoke,notify,free').status).toBe('holds');
    for (const o of r.orderings.filter((x) => x.order.indexOf('free') < x.order.indexOf('revoke'))) expect(o.violated).toContain(INV3);
    for (const o of r.orderings.filter((x) => x.order.indexOf('free') > x.order.indexOf('revoke'))) expect(o.violated).not.toContain(INV3);
    const inv3 = r.perProperty.find((p) => p.property === INV3)!.derivation;
    expect(inv3.necessary.map(formatConstraint)).toEqual(['revoke before free']);
    expect(inv3.sufficient?.exact).toBe(true);
    // kfree before a later step reads the gref: a use after free, so free goes last
    expect(r.overall.necessary.map(formatConstraint)).toEqual(['notify before free', 'revoke before free']);
  });

  it("the split __del_gref in the kernel's order holds what the one-action __del_gref holds (the reduction is sound)", () => {
    for (const config of ['alloc-small', 'alloc-notify', 'alloc-leak']) {
      const one = check(modelOf(designNamed('gntalloc-2022')!, configs[config]!));
      const split = check(modelOf(withOrder(designNamed('gntalloc-2022')!, 'del_gref', ['notify', 'revoke', 'free']), configs[config]!));
      expect(split.status, config).toBe(one.status);
      expect(split.violations.map((v) => v.property), config).toEqual(one.violations.map((v) => v.property));
      expect(split.stats.distinctStates, config).toBeGreaterThan(one.stats.distinctStates);
    }
  });

  it('a design whose __del_gref queries first, or a configuration without gntalloc, is refused in one sentence', () => {
    expect(() => checkOrderings({ design: 'gntalloc-2011', sequence: 'del_gref' })).toThrow(/queries before it revokes/);
    expect(() => checkOrderings({ design: 'gntdev-2022', sequence: 'del_gref' })).toThrow(/has no gntalloc, so __del_gref never runs/);
  });
});

describe('--keep and bad input', () => {
  it('only the linear extensions are checked', () => {
    const r = checkOrderings({ design: 'gntdev-2022', sequence: 'munmap', config: 'tiny', keep: [['unmap_vmas', 'free_pgtables'], ['free_pgtables', 'remove_vma']] });
    expect(r.orderings).toHaveLength(20);
    expect(r.orderings.every((o) => o.order.indexOf('unmap_vmas') < o.order.indexOf('free_pgtables'))).toBe(true);
  });

  it('a step outside the sequence or a contradiction is refused in one sentence', () => {
    expect(() => checkOrderings({ design: 'gntdev-2022', sequence: 'exit_mmap', config: 'tiny', keep: [['zap', 'remove_vma']] })).toThrow(OrderingsError);
    expect(() => checkOrderings({ design: 'gntdev-2022', sequence: 'exit_mmap', config: 'tiny', keep: [['zap', 'remove_vma']] })).toThrow(/'zap', which is not a step of exit_mmap/);
    expect(() =>
      checkOrderings({ design: 'gntdev-2022', sequence: 'exit_mmap', config: 'tiny', keep: [['unmap_vmas', 'remove_vma'], ['remove_vma', 'unmap_vmas']] }),
    ).toThrow(/contradict each other/);
  });
});
