// Why this test? The outcomes on each design's DEFAULT configuration (the other orderings
// tests use tiny): for gntdev-2022 the orderings that unpin (arch_exit_mmap) before any grant unmap
// fail INV-1 and INV-5, and the derivation finds that constraint by itself; for gntalloc-2022 freeing
// before the revoke fails INV-3. And docs/orderings.md quotes exactly what the code prints today
// (`npm run docs:orderings` rewrites its blocks).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatConstraint, satisfies } from '../../explorer/index.js';
import { checkOrderings } from '../../orderings.js';
import { blockIn, docBlock, docRun, DOC_RUNS } from '../../scripts/docsOrderings.js';

const page = readFileSync(fileURLToPath(new URL('../../docs/orderings.md', import.meta.url)), 'utf8');
const runs = new Map(DOC_RUNS.map(({ design, sequence }) => [`${design} ${sequence}`, docRun(design, sequence)]));
const run = (key: string) => runs.get(key)!;
const inv = (r: ReturnType<typeof run>['result'], short: string) => r.perProperty.find((p) => p.property.startsWith(short))!.derivation;

describe('orderings on the default configurations (the issue outcomes)', () => {
  it('gntdev-2022 exit_mmap on standard: exhaustive, 48 of 120 safe; every unpin before both grant unmaps fails INV-1 (and INV-5 while the L1s exist)', () => {
    const { result: r } = run('gntdev-2022 exit_mmap');
    expect(r.config).toBe('standard');
    expect(r.exhaustive).toBe(true);
    expect(r.orderings).toHaveLength(120);
    expect(r.orderings.every((o) => o.reached)).toBe(true);
    expect(r.orderings.filter((o) => o.status === 'holds')).toHaveLength(48);
    const unpinFirst = { kind: 'afterOneOf', b: 'arch_exit_mmap', of: ['mmu_notifier_release', 'unmap_vmas'] } as const;
    const early = r.orderings.filter((o) => !satisfies(o.order, unpinFirst));
    expect(early).toHaveLength(40);
    // Each breaks INV-1 (the grant PTEs are zapped or freed without a grant unmap); each also breaks
    // INV-5 (grant PTEs left in an unpinned L1) unless free_pgtables already took the L1s away.
    for (const o of early) {
      const at = o.order.indexOf('free_pgtables') < o.order.indexOf('arch_exit_mmap');
      expect(o.violated.some((p) => p.startsWith('INV-1 ')), o.order.join(' < ')).toBe(true);
      expect(o.violated.some((p) => p.startsWith('INV-5 ')), o.order.join(' < ')).toBe(!at);
    }
    // The constraint is derived, not given: necessary for every property together and for INV-1.
    for (const d of [r.overall, inv(r, 'INV-1')]) expect(d.necessary.map(formatConstraint)).toContain(formatConstraint(unpinFirst));
    expect(r.overall.necessary.map(formatConstraint)).toEqual([
      'arch_exit_mmap after one of mmu_notifier_release or unmap_vmas',
      'free_pgtables after one of mmu_notifier_release or unmap_vmas',
      'remove_vma after one of mmu_notifier_release or unmap_vmas',
    ]);
    expect(r.overall.summary).toContain('together also sufficient');
    // The kernel's own order holds.
    expect(r.orderings.find((o) => o.order.join() === r.steps.join())!.status).toBe('holds');
  });

  it('gntalloc-2022 del_gref on alloc-small: free before revoke fails INV-3; revoke before free is derived', () => {
    const { result: r } = run('gntalloc-2022 del_gref');
    expect(r.config).toBe('alloc-small');
    expect(r.exhaustive).toBe(true);
    for (const o of r.orderings) {
      const freeFirst = o.order.indexOf('free') < o.order.indexOf('revoke');
      expect(o.violated.some((p) => p.startsWith('INV-3 ')), o.order.join(' < ')).toBe(freeFirst);
    }
    expect(inv(r, 'INV-3').necessary.map(formatConstraint)).toEqual(['revoke before free']);
    expect(r.overall.necessary.map(formatConstraint)).toEqual(['notify before free', 'revoke before free']);
  });
});

describe('docs/orderings.md', () => {
  it("quotes today's summary for gntdev-2022 munmap on standard", () => {
    const r = checkOrderings({ design: 'gntdev-2022', sequence: 'munmap' });
    expect(r.exhaustive).toBe(true);
    expect(page).toContain(`> Every property: ${r.overall.summary}.`);
  });

  for (const { design, sequence } of DOC_RUNS)
    it(`quotes today's output for ${design} ${sequence} (npm run docs:orderings rewrites it)`, () => {
      expect(blockIn(page, design, sequence)).toBe(docBlock(design, sequence, run(`${design} ${sequence}`).text));
    });
});
