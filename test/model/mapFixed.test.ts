// Why this test? MAP_FIXED over a mapping of the map itself is what a user writes to move or
// refresh a mapping: mmap_region (mm/mmap.c, v6.1) unmaps the old range first and only then calls
// gntdev_mmap, whose own refusals (in_use, map->vma) come after that munmap. A guard that refused
// it up front made the case unreachable in every design.
import { describe, expect, it } from 'vitest';
import type { Action } from '../../model/index.js';
import { MUNMAP_STEPS, after, model, run } from './helpers.js';

/** open, MAP_GRANT_REF of one page, mmap without MAP_FIXED (it lands at page 0). */
const MAPPED: readonly Action[] = [
  { kind: 'gntdev_open', p: 0 },
  { kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count: 1 },
  { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' },
];

/** MAP_FIXED of map 0 at page 0: over its own live mapping. */
const FIXED_OVER_ITSELF: Action = { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: 0, fail: 'none' };

describe('MAP_FIXED over the map\'s own live mapping', () => {
  it('is enabled in every era, gntdev_mmap\'s refusal notwithstanding (it comes after the munmap)', () => {
    for (const design of ['gntdev-2.6.38', 'gntdev-2011', 'gntdev-2019', 'gntdev-2022', 'gntdev-2022-hvm', 'gntdev-6.12']) {
      const s = after(design, MAPPED, 'twomaps');
      expect(s.procs[0]!.vmas.map((v) => [v.start, v.map])).toEqual([[0, 0]]);
      expect(model(design, 'twomaps').whyDisabled(s, FIXED_OVER_ITSELF), design).toBeUndefined();
    }
  });

  it('gntdev-2019: the munmap closes the VMA (map->vma = NULL), so the mmap that follows maps the grant again', () => {
    const s = after('gntdev-2019', [...MAPPED, FIXED_OVER_ITSELF, ...MUNMAP_STEPS()], 'twomaps');
    expect(s.procs[0]!.op.kind).toBe('none');
    expect(s.procs[0]!.vmas.map((v) => [v.start, v.end, v.map])).toEqual([[0, 1, 0]]);
    expect(s.handles.map((h) => [h.map, h.slot, h.kind, h.va])).toEqual([
      [0, 0, 'user', 0],
      [0, 0, 'kernel', -1],
    ]);
  });

  it('gntdev-2022: the munmap unmaps the grants, then gntdev_mmap refuses (in_use): no mapping is left', () => {
    const s = after('gntdev-2022', [...MAPPED, FIXED_OVER_ITSELF, ...MUNMAP_STEPS()], 'twomaps');
    expect(s.procs[0]!.op.kind).toBe('none');
    expect(s.procs[0]!.vmas).toEqual([]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]).toMatchObject({ state: 'live', inUse: true, users: 1, liveGrants: 0 });
  });

  it("gntdev-6.12 (v6.12's order): gntdev_mmap runs between the old VMA's close and its fput, refuses (in_use), and the range is left empty with the file still open", () => {
    const states = run('gntdev-6.12', [...MAPPED, FIXED_OVER_ITSELF, ...MUNMAP_STEPS()], 'twomaps');
    const beforeRemove = states.at(-2)!;
    expect(beforeRemove.procs[0]!.op).toMatchObject({ kind: 'munmap', thenMap: 0 });
    const s = states.at(-1)!;
    expect(s.procs[0]!.op.kind).toBe('none');
    expect(s.procs[0]!.vmas).toEqual([]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]).toMatchObject({ state: 'live', inUse: true, users: 1, liveGrants: 0 });
    expect(s.files[0]!.state).toBe('open');
  });
});
