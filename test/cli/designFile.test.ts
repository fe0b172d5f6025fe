// Why these tests? A design file is how a kernel developer models a patch before sending it: it
// must load as TypeScript or plain JavaScript from anywhere, its changed points, replaced and added
// rules, added actions and properties must all take effect, and its counterexamples must replay.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelOf, configByName } from '../../catalog.js';
import { check } from '../../explorer/index.js';
import { defineDesign, DesignError, patchOf } from '../../extend.js';
import { designNamed } from '../../model/index.js';
import { expectDesign } from '../../testing.js';
import madvise from './fixtures/madvise.js';
import unpinFirst from './fixtures/unpin-first.js';
import { root, runBuilt, tempDir } from './helpers.js';

describe('grantcheck check --design-file (the built CLI)', () => {
  it('a TypeScript patch that moves the unpin first fails INV-1 and INV-5, and its trace replays with the design file', () => {
    const out = join(tempDir(), 'out');
    const file = 'test/cli/fixtures/unpin-first.ts';
    const r = runBuilt(['check', '--design-file', file, '--config', 'tiny', '--json', '--quiet', '--no-svg', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { design: string; designFile: string; status: string; violations: { property: string; length: number; trace: { action: string }[]; files: { itf: string; dot: string; svg: string | null } }[] };
    expect(j.design).toBe('gntdev-2022-unpin-first');
    expect(j.designFile).toBe(file);
    expect(j.status).toBe('violation');
    const inv5 = j.violations.find((v) => v.property.startsWith('INV-5'))!;
    expect(j.violations.map((v) => v.property)).toEqual(expect.arrayContaining(['INV-1 no implicit unmap', 'INV-5 grant PTEs only in pinned L1s']));
    expect(inv5.trace.map((s) => s.action)).toEqual(['gntdev_open', 'gntdev_ioctl_map_grant_ref', 'gntdev_mmap', 'do_exit', 'arch_exit_mmap']);
    expect(inv5.files.svg).toBeNull();
    const itf = join(out, inv5.files.itf);
    expect(existsSync(itf)).toBe(true);
    expect(JSON.parse(readFileSync(itf, 'utf8'))['#meta']).toMatchObject({ design: 'gntdev-2022-unpin-first', designFile: file, config: 'tiny' });

    const without = runBuilt(['replay', itf]);
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/made with design file test\/cli\/fixtures\/unpin-first\.ts; replay it with --design-file/);
    const replayed = runBuilt(['replay', itf, '--design-file', file]);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(/^Reproduced on gntdev-2022-unpin-first on tiny: INV-1 no implicit unmap fails at step 5 of 5/);
    // The released design does not fail on that trace: it does not even take that step (exit 4, impossible).
    const fixed = runBuilt(['replay', itf, '--design', 'gntdev-2022', '--states', 'ignore']);
    expect(fixed.code).toBe(4);
    expect(fixed.stdout).toMatch(/step 5: arch_exit_mmap\(p=0\) is not an action of the model in this state; enabled here: mmu_notifier_release\(p=0\)/);
  });

  it('a TypeScript patch that adds an action (a new nondeterministic choice) and a property: all hold', () => {
    const r = runBuilt(['check', '--design-file', 'test/cli/fixtures/madvise.ts', '--config', 'tiny', '--json', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { properties: { name: string; outcome: string }[]; coverage: Record<string, { generated: number; distinct: number }> };
    expect(j.properties.find((p) => p.name === 'MADV_DONTNEED unmaps the grant before its PTE goes')?.outcome).toBe('holds');
    expect(j.coverage.madvise_dontneed!.distinct).toBeGreaterThan(0);
  });

  it('a plain JavaScript patch loads without a transpiler, and its bug (a zap without the notifier) fails INV-1', () => {
    const r = runBuilt(['check', '--design-file', 'test/cli/fixtures/madvise-no-notifier.js', '--config', 'tiny', '--property', 'INV-1', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Counterexample 1 of 1: INV-1 no implicit unmap\n {2}INV-1 no implicit unmap: madvise_dontneed implicitly unmapped map 0 slot \d \(process 0 page \d\): the PTE was cleared while the handle is live\nLength: 4 steps/);
    // The step says what it did, in the model's terms: the zap cleared the grant PTE, and nothing unmapped it.
    expect(r.stdout).toMatch(/State 4: madvise_dontneed\(p=0, va=(\d)\)\n {2}process 0: ptes\[\1\] kind grant → none, map 0 → -1, slot \d → -1, special true → false\nState 4 violates INV-1/);
  });

  it('prints what the patch changes against its base, and warns when that changed nothing reachable (a second search)', () => {
    const r = runBuilt(['check', '--design-file', 'test/designFiles/exit-zap-without-notifier.ts', '--config', 'tiny', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        'What gntdev-2022-exit-zap-without-notifier changes against gntdev-2022:',
        '  rules replaced: unmap_vmas',
        'Compared with gntdev-2022 on tiny in two more searches (the base, then these states again) within the same bounds: 279 distinct states against 279, the same states and transitions.',
        'warning: your change to rules.unmap_vmas changed nothing reachable: gntdev-2022-exit-zap-without-notifier reaches the same 279 states by the same transitions, kind by kind, as gntdev-2022 on tiny',
      ].join('\n'),
    );
  });

  it('a patch that takes effect: the point with both values, no warning; --json carries the same as `patch`', () => {
    const r = runBuilt(['check', '--design-file', 'test/designFiles/munmap-without-notifier.ts', '--config', 'tiny', '--quiet', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { patch: { base: string; changes: string[]; behaviourChanges: string[]; comparison: { searches: number; base: { distinctStates: number }; sameReachable: boolean } }; warnings: string[] };
    expect(j.patch).toEqual({
      base: 'gntdev-2022',
      changes: ['point munmapSteps: ["mmu_notifier_invalidate_range_start","unmap_vmas","mmu_notifier_invalidate_range_end","free_pgtables","remove_vma"] -> ["unmap_vmas","free_pgtables","remove_vma"]'],
      behaviourChanges: ['munmapSteps'],
      comparison: { config: 'tiny', searches: 2, base: { distinctStates: 279, exhaustive: true }, sameReachable: false },
    });
    expect(j.warnings.filter((w) => w.includes('changed nothing reachable'))).toEqual([]);
  });

  it("a ghost variable shows in the trace under the design's name, and the trace replays", () => {
    const out = join(tempDir(), 'out');
    const file = 'test/designFiles/unmap-at-once.ts';
    const r = runBuilt(['check', '--design-file', file, '--config', 'gup-io', '--property', 'no grant unmapped', '--quiet', '--no-svg', '--out', out]);
    expect(r.code).toBe(1);
    const dir = join(out, 'gntdev-2022-unmap-at-once/gup-io');
    const txt = readFileSync(join(dir, 'cx1-no-grant-unmapped-under-a-page-reference.txt'), 'utf8');
    expect(txt).toContain('  gntdev-2022-unmap-at-once: {unmappedWhileReferenced:false}\n');
    expect(txt).toContain('  gntdev-2022-unmap-at-once: unmappedWhileReferenced false → true\nState 6 violates no grant unmapped under a page reference');
    const replayed = runBuilt(['replay', join(dir, 'cx1-no-grant-unmapped-under-a-page-reference.itf.json'), '--design-file', file]);
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toMatch(/^Reproduced on gntdev-2022-unmap-at-once on gup-io: no grant unmapped under a page reference fails at step 6 of 6/);
  });

  it('loads from another working directory (grantcheck resolves to the running package)', () => {
    const r = runBuilt(['check', '--design-file', join(root, 'test/cli/fixtures/unpin-first.ts'), '--config', 'tiny', '--property', 'INV-5', '--quiet'], tempDir());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VIOLATED {2}INV-5 grant PTEs only in pinned L1s \(counterexample of 5 steps\)/);
  });
});

describe('defineDesign (the public API)', () => {
  it("a design file's default export is a complete design that carries its patch", () => {
    expect(unpinFirst.name).toBe('gntdev-2022-unpin-first');
    expect(unpinFirst.base).toBe('gntdev-2022');
    expect(unpinFirst.exitSteps).toEqual(['arch_exit_mmap', 'mmu_notifier_release', 'unmap_vmas', 'free_pgtables', 'remove_vma']);
    expect(unpinFirst.notifier).toBe(designNamed('gntdev-2022')!.notifier);
    expect(JSON.parse(JSON.stringify(unpinFirst))).toEqual({ ...designNamed('gntdev-2022')!, name: 'gntdev-2022-unpin-first', base: 'gntdev-2022', origin: 'patch of gntdev-2022', summary: unpinFirst.summary, exitSteps: unpinFirst.exitSteps });
    expect(patchOf(madvise)?.actions).toBeTypeOf('function');
  });

  it('modelOf honours a patch: its actions are candidates, its rules give them meaning, its properties are checked', () => {
    const m = modelOf(madvise, configByName('tiny'));
    const s0 = m.initStates()[0]!;
    expect(m.actions(s0).filter((a) => a.kind === ('madvise_dontneed' as string))).toHaveLength(2);
    expect(m.properties.map((p) => p.name)).toContain('MADV_DONTNEED unmaps the grant before its PTE goes');
    expect(m.whyDisabled(s0, { kind: 'madvise_dontneed', p: 0, va: 1 } as never)).toBe('no VMA at page 1');
  });

  it('expectDesign works on a design object', () => {
    expectDesign(unpinFirst, { config: 'tiny' }).toViolate('INV-5', { length: 5 });
    expectDesign(madvise, { config: 'tiny' }).toHold('INV-1', 'MADV_DONTNEED unmaps');
  });

  it('a patch of a patch keeps both patches', () => {
    const both = defineDesign({ base: madvise, name: 'madvise-unpin-first', summary: 'both', points: { exitSteps: unpinFirst.exitSteps } });
    const m = modelOf(both, configByName('tiny'));
    expect(m.properties.map((p) => p.name)).toContain('MADV_DONTNEED unmaps the grant before its PTE goes');
    const r = check(m, { properties: ['INV-5 grant PTEs only in pinned L1s'] });
    expect(r.status).toBe('violation');
    expect(r.coverage.find((c) => c.action === 'madvise_dontneed')?.distinct).toBeGreaterThan(0);
  });

  it('a replaced rule gets the rule it replaces', () => {
    const d = defineDesign({
      base: 'gntdev-2022',
      name: 'exit-never',
      summary: 'processes never exit',
      rules: { do_exit: (_ctx, original) => ({ guard: (s, a) => (original!.guard(s, a) === true ? 'patched out' : 'still disabled'), effect: original!.effect }) },
    });
    const m = modelOf(d, configByName('tiny'));
    const s0 = m.initStates()[0]!;
    expect(m.whyDisabled(s0, { kind: 'do_exit', p: 0 })).toBe('patched out');
  });

  it('refuses what it cannot build, naming the problem', () => {
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'gntdev-2011', summary: 'x' })).toThrow(/built-in design; give your design its own name/);
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: '' })).toThrow(/needs a summary/);
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'has space', summary: 'x' })).toThrow(DesignError);
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', points: { name: 'y' } as never })).toThrow(/'name' is not a variation point/);
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', points: { exitSteps: ['unmap_vmas'] } })).toThrow(/exit_mmap must contain 'free_pgtables'/);
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', actions: [] as never })).toThrow(/actions must be a function of \(state, ctx\)/);
    const dup = defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', properties: () => modelOf(designNamed('gntdev-2022')!, configByName('tiny')).properties.slice(1, 2) });
    expect(() => modelOf(dup, configByName('tiny'))).toThrow(/property 'INV-1 no implicit unmap' is already a property of the model/);
  });
});
