// Why this test? A design replaces a kernel internal once (unmap_grant_pages, gnttab_unmap_refs,
// set/clear_foreign_p2m_mapping, gntdev_put_map) and every action that calls it must use the
// replacement: no caller in model/ may call the model's own function directly, and a replacement
// is seen from every path that unmaps.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configByName, modelOf } from '../../catalog.js';
import { check } from '../../explorer/index.js';
import { defineDesign } from '../../extend.js';
import { KERNEL_HOOKS, type Action } from '../../model/index.js';
import { root } from '../cli/helpers.js';
import stopsEarly from './unmap-refs-stops-early.js';

/** The model's own name of each internal (gntdevPutMap is putMap). */
const OWN_NAMES: Readonly<Record<string, string>> = { gntdevPutMap: 'putMap' };

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((e) => {
    const p = join(dir, e);
    return statSync(join(root, p)).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('kernel internals', () => {
  it('every call of an internal in model/ goes through ctx.kernel', () => {
    const direct: string[] = [];
    for (const file of sources('model')) {
      const lines = readFileSync(join(root, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const hook of KERNEL_HOOKS) {
          const own = OWN_NAMES[hook] ?? hook;
          const call = new RegExp(`(?<![.\\w])${own}\\(`);
          if (call.test(line) && !/export function/.test(line)) direct.push(`${relative(root, join(root, file))}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(direct).toEqual([]);
  });

  it('a replaced gnttab_unmap_refs is what the notifier runs: its short batch leaks a handle at the first invalidate', () => {
    const r = check(modelOf(stopsEarly, configByName('tiny')), { properties: ['INV-2 each handle unmapped exactly once'], checkDeadlock: false });
    expect(r.violations.map((v) => [v.length, v.trace.at(-1)!.action!.kind])).toEqual([[5, 'mmu_notifier_invalidate_range_start']]);
  });

  it('a replaced unmap_grant_pages that does nothing leaves every grant mapped through mmu_notifier_release', () => {
    const never = defineDesign({ base: 'gntdev-2022', name: 'never-unmaps', summary: 'unmap_grant_pages does nothing', kernel: { unmapGrantPages: () => () => {} } });
    const m = modelOf(never, configByName('tiny'));
    const run = (actions: readonly Action[]) => actions.reduce((s, a) => m.nextState(s, a)!, m.initStates()[0]!);
    const mapped = run([
      { kind: 'gntdev_open', p: 0 },
      { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
      { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
    ]);
    const exited = run([
      { kind: 'gntdev_open', p: 0 },
      { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
      { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
      { kind: 'do_exit', p: 0 },
      { kind: 'mmu_notifier_release', p: 0 },
    ]);
    expect(mapped.handles).toHaveLength(4);
    expect(exited.handles).toEqual(mapped.handles);
  });

  it("a replaced unmap_grant_pages is what a read-side MADV_DONTNEED runs, whole, in its first step (not the model's own unmap cut into steps)", () => {
    const never = defineDesign({ base: 'gntdev-6.12', name: 'never-unmaps-6.12', summary: 'unmap_grant_pages does nothing', kernel: { unmapGrantPages: () => () => {} } });
    const m = modelOf(never, configByName('read-side'));
    const steps: Action[] = [
      { kind: 'gntdev_open', p: 0 },
      { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 2 },
      { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
      { kind: 'madvise_dontneed_single_vma', p: 0, start: 0, end: 1 },
      { kind: 'madvise_step', p: 0, r: 0 },
    ];
    const s = steps.reduce((x, a) => m.nextState(x, a)!, m.initStates()[0]!);
    expect(s.procs[0]!.readers.map((r) => [r.step, r.runs.length])).toEqual([['zap', 0]]);
    expect(s.handles).toHaveLength(4);
    expect(s.maps[0]!.slots[0]!.beingRemoved).toBe(false);
  });

  it('a replacement that answers the wrong type is a ModelError naming it', () => {
    const bad = defineDesign({ base: 'gntdev-2022', name: 'bad-count', summary: 'x', kernel: { gnttabUnmapRefs: () => () => -1 } });
    expect(() => check(modelOf(bad, configByName('tiny')))).toThrow("design 'bad-count': kernel.gnttabUnmapRefs returned -1; its callers expect a whole number of handles");
  });

  it('an unknown internal is refused with the list', () => {
    expect(() => defineDesign({ base: 'gntdev-2022', name: 'x', summary: 'x', kernel: { unmapGrantPage: () => () => {} } as never })).toThrow(
      /unknown kernel internal 'unmapGrantPage' \(did you mean 'unmapGrantPages'\?\); the replaceable internals are unmapGrantPages, gnttabUnmapRefs, setForeignP2mMapping, clearForeignP2mMapping, gntdevPutMap/,
    );
  });
});
