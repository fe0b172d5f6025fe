// The grant model, action by action: when each kernel entry point is enabled (and why not), and
// exactly what it changes. Expectations follow the kernel code cited in each action's doc comment.
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { configs, type Action, type State } from '../../model/index.js';
import { EXIT, MUNMAP_STEPS, OPEN_MAP_MMAP, after, model, run, whyDisabledAfter } from './helpers.js';

const MAP1 = (count = 1): Action => ({ kind: 'gntdev_ioctl_map_grant_ref', p: 0, file: 0, count });

describe('IOCTL_GNTDEV_MAP_GRANT_REF (gntdev_add_map)', () => {
  it('creates a listed map with users = 1 and nothing mapped', () => {
    const s = after('gntdev-2022', OPEN_MAP_MMAP.slice(0, 2));
    expect(s.maps).toHaveLength(1);
    expect(s.maps[0]).toMatchObject({ state: 'live', index: 0, count: 2, users: 1, liveGrants: 0, inUse: false, notifier: 'none' });
    expect(s.files[0]!.maps).toEqual([0]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]!.slots.every((sl) => sl.page.p2m === 'invalid' && !sl.user && !sl.kernel)).toBe(true);
  });

  it('reuses a hole only if strictly larger than count (the strict < of gntdev_add_map)', () => {
    const cfg = { ...configs.small!, name: 'three-maps', maxMaps: 3, mapCounts: [1] };
    const s = after(
      'gntdev-2022',
      [
        { kind: 'gntdev_open', p: 0 },
        MAP1(),
        MAP1(),
        { kind: 'gntdev_ioctl_unmap_grant_ref', p: 0, file: 0, map: 0 },
        MAP1(),
      ],
      cfg,
    );
    // maps: #0 freed, #1 at index 1, #2: the hole [0,1) has size 1, not > 1, so it goes after #1
    expect(s.maps.map((m) => [m.state, m.index])).toEqual([
      ['freed', 0],
      ['live', 1],
      ['live', 2],
    ]);
    expect(s.files[0]!.maps).toEqual([1, 2]);
  });
});

describe('gntdev_mmap, PV (gntdev-2022)', () => {
  const s = after('gntdev-2022', OPEN_MAP_MMAP);

  it('maps a user PTE and a kernel alias per page, in pinned L1s, counting both in live_grants', () => {
    const p = s.procs[0]!;
    expect(p.vmas).toEqual([{ id: 0, start: 0, end: 2, file: 0, map: 0, pgoff: 0, dontcopy: true, pagesOffset: 0 }]);
    expect(p.ptes.map((x) => [x.kind, x.map, x.slot, x.special])).toEqual([
      ['grant', 0, 0, true],
      ['grant', 0, 1, true],
    ]);
    expect(p.l1[0]).toEqual({ present: true, pinned: true, shadow: false });
    expect(s.handles.map((h) => `${h.map}/${h.slot}/${h.kind}`)).toEqual(['0/0/user', '0/0/kernel', '0/1/user', '0/1/kernel']);
    const m = s.maps[0]!;
    expect(m).toMatchObject({ users: 2, liveGrants: 4, inUse: true, notifier: 'inserted', pagesVmStart: 0, mmProc: 0 });
    expect(m.slots.map((sl) => [sl.user, sl.kernel, sl.pte, sl.page.p2m, sl.page.foreign])).toEqual([
      [true, true, 0, 'foreign', true],
      [true, true, 1, 'foreign', true],
    ]);
  });

  it('refuses a second mmap of the map for ever (in_use)', () => {
    const why = model('gntdev-2022').whyDisabled(s, { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'none' });
    expect(why).toBe('-EINVAL: in_use: the map was mmapped once already');
  });

  it('a failed kernel-alias map leaves the user PTE mapped, p2m untouched, and the error path pending', () => {
    const f = after('gntdev-2022', [...OPEN_MAP_MMAP.slice(0, 2), { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'kernel0' }]);
    const m = f.maps[0]!;
    expect(m.slots[0]).toMatchObject({ user: true, kernel: false });
    expect(m.slots[0]!.page.p2m).toBe('invalid'); // set_foreign_p2m_mapping skips a slot with a failed op
    expect(m.liveGrants).toBe(3);
    expect(f.procs[0]!.op.kind).toBe('mmap_error');
    expect(f.procs[0]!.vmas).toEqual([]); // the VMA is not linked: it waits in op.detached
    // the error path unmaps everything (v5.4+), puts the map, and mmap_region zaps and frees the range
    const e = model('gntdev-2022').nextState(f, { kind: 'gntdev_mmap_error_path', p: 0 })!;
    expect(e.handles).toEqual([]);
    expect(e.maps[0]).toMatchObject({ users: 1, liveGrants: 0, inUse: true });
    expect(e.procs[0]!.op.kind).toBe('none');
    expect(e.procs[0]!.ptes.every((x) => x.kind === 'none')).toBe(true);
    expect(e.procs[0]!.l1[0]!.present).toBe(false);
  });

  it('a failed notifier insert maps nothing and drops the reference at once', () => {
    const f = after('gntdev-2022', [...OPEN_MAP_MMAP.slice(0, 2), { kind: 'gntdev_mmap', p: 0, file: 0, map: 0, va: -1, fail: 'notifier' }]);
    expect(f.handles).toEqual([]);
    expect(f.maps[0]).toMatchObject({ users: 1, inUse: true, notifier: 'none' });
    expect(f.procs[0]!.vmas).toEqual([]);
    expect(f.procs[0]!.op.kind).toBe('none');
  });
});

describe('gntdev_mmap, HVM (gntdev-2022-hvm)', () => {
  it('maps one host handle per page and inserts the pages as ordinary PTEs', () => {
    const s = after('gntdev-2022-hvm', OPEN_MAP_MMAP);
    expect(s.handles.map((h) => `${h.slot}/${h.kind}`)).toEqual(['0/kernel', '1/kernel']);
    expect(s.procs[0]!.ptes.map((x) => x.kind)).toEqual(['page', 'page']);
    expect(s.procs[0]!.pgdPinned).toBe(false);
    expect(s.maps[0]).toMatchObject({ users: 2, liveGrants: 2, notifier: 'none' });
    expect(s.procs[0]!.vmas[0]!.dontcopy).toBe(false);
  });
});

describe('munmap of part of a VMA (do_munmap, __split_vma)', () => {
  it('splits at end with new_below=1: the detached piece is a new copy, the original survives; vma open takes a reference', () => {
    const states = run('gntdev-2022', [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 0, end: 1 }]);
    const s = states.at(-1)!;
    const p = s.procs[0]!;
    expect(p.vmas).toEqual([{ id: 0, start: 1, end: 2, file: 0, map: 0, pgoff: 1, dontcopy: true, pagesOffset: 1 }]);
    expect(p.op).toMatchObject({ kind: 'munmap', step: 0, start: 0, end: 1 });
    expect(p.op.detached).toEqual([{ id: 1, start: 0, end: 1, file: 0, map: 0, pgoff: 0, dontcopy: true, pagesOffset: 0 }]);
    expect(s.maps[0]!.users).toBe(3);
  });

  it('unmaps only the range: the notifier unmaps slot 0 with its handles, the other page stays', () => {
    const s = after('gntdev-2022', [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 0, end: 1 }, ...MUNMAP_STEPS()]);
    expect(s.handles.map((h) => `${h.slot}/${h.kind}`)).toEqual(['1/user', '1/kernel']);
    expect(s.procs[0]!.ptes.map((x) => x.kind)).toEqual(['none', 'grant']);
    expect(s.maps[0]).toMatchObject({ users: 2, liveGrants: 2 });
    expect(s.maps[0]!.slots.map((sl) => sl.beingRemoved)).toEqual([true, false]);
    expect(s.procs[0]!.op.kind).toBe('none');
    // the L1 still covers the remaining VMA: not freed
    expect(s.procs[0]!.l1[0]).toMatchObject({ present: true, pinned: true });
  });

  it('runs its steps in the design order; each step names the next one when out of turn', () => {
    const why = whyDisabledAfter('gntdev-2022', [...OPEN_MAP_MMAP, { kind: 'do_munmap', p: 0, start: 0, end: 2 }], { kind: 'free_pgtables', p: 0 });
    expect(why).toBe('next step is mmu_notifier_invalidate_range_start');
  });
});

describe('exit_mmap', () => {
  it('gntdev-2022: release unmaps every grant, the unpin finds no grant PTE, the map is freed at the end', () => {
    const s = after('gntdev-2022', [...OPEN_MAP_MMAP, ...EXIT()]);
    expect(s.procs[0]!.state).toBe('dead');
    expect(s.handles).toEqual([]);
    expect(s.maps[0]!.state).toBe('freed');
    expect(s.maps[0]!.notifier).toBe('removed');
    expect(s.files[0]!.state).toBe('released');
    expect(s.maps[0]!.slots.every((sl) => sl.page.state === 'freed' && sl.page.p2m === 'invalid')).toBe(true);
  });

  it('early-unpin: arch_exit_mmap unpins the L1 with the grant PTEs still in it', () => {
    const states = run('early-unpin', [...OPEN_MAP_MMAP, ...EXIT().slice(0, 3)]);
    const s = states.at(-1)!;
    expect(s.procs[0]!.l1[0]).toMatchObject({ present: true, pinned: false });
    expect(s.procs[0]!.ptes.map((x) => x.kind)).toEqual(['grant', 'grant']);
    expect(s.handles).toHaveLength(4);
  });

  it('has-foreign-mappings: mmap sets the flag; arch_exit_mmap_pre leaves the tables pinned', () => {
    const s = after('has-foreign-mappings', [...OPEN_MAP_MMAP, { kind: 'do_exit', p: 0 }, { kind: 'mmu_notifier_release', p: 0 }, { kind: 'arch_exit_mmap_pre', p: 0 }]);
    expect(s.procs[0]!.hasForeignMappings).toBe(true);
    expect(s.procs[0]!.pgdPinned).toBe(true);
    expect(s.procs[0]!.l1[0]!.pinned).toBe(true);
  });

  it('shadow-handle-page: the unpin walks the shadow page and unmaps the grants before unpinning', () => {
    const s = after('shadow-handle-page', [...OPEN_MAP_MMAP, ...EXIT().slice(0, 3)]);
    expect(s.procs[0]!.l1[0]).toMatchObject({ pinned: false, shadow: false });
    expect(s.handles).toEqual([]);
    expect(s.maps[0]!.slots.every((sl) => sl.page.p2m === 'own')).toBe(true);
  });

  it('shadow-handle-page-no-restore: the same, but the pages keep no backing', () => {
    const s = after('shadow-handle-page-no-restore', [...OPEN_MAP_MMAP, ...EXIT().slice(0, 3)]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]!.slots.every((sl) => sl.page.p2m === 'absent')).toBe(true);
  });
});

describe('IOCTL_GNTDEV_UNMAP_GRANT_REF while mmapped', () => {
  it('unlinks the map and drops the list reference; the VMA keeps it alive', () => {
    const s = after('gntdev-2022', [...OPEN_MAP_MMAP, { kind: 'gntdev_ioctl_unmap_grant_ref', p: 0, file: 0, map: 0 }]);
    expect(s.files[0]!.maps).toEqual([]);
    expect(s.maps[0]).toMatchObject({ state: 'live', users: 1 });
    expect(s.handles).toHaveLength(4);
  });

  it('the later munmap still unmaps its grants through the per-map notifier, then frees the map', () => {
    const s = after('gntdev-2022', [
      ...OPEN_MAP_MMAP,
      { kind: 'gntdev_ioctl_unmap_grant_ref', p: 0, file: 0, map: 0 },
      { kind: 'do_munmap', p: 0, start: 0, end: 2 },
      ...MUNMAP_STEPS(),
    ]);
    expect(s.handles).toEqual([]);
    expect(s.maps[0]!.state).toBe('freed');
  });
});

describe('IOCTL_GNTDEV_SET_UNMAP_NOTIFY', () => {
  it('clears the byte when the page is unmapped and sends the event at the final put, in that order', () => {
    const states = run('gntdev-2022', [
      ...OPEN_MAP_MMAP.slice(0, 2),
      { kind: 'gntdev_ioctl_set_unmap_notify', p: 0, file: 0, map: 0 },
      OPEN_MAP_MMAP[2]!,
      { kind: 'do_munmap', p: 0, start: 0, end: 2 },
      ...MUNMAP_STEPS(),
      { kind: 'close', p: 0, file: 0 },
    ]);
    const notifyAt = states.map((s) => s.maps[0]?.notify);
    const cleared = notifyAt.findIndex((n) => n?.cleared === 1);
    const sent = notifyAt.findIndex((n) => n?.sent === 1);
    expect(cleared).toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(cleared);
    expect(states.at(-1)!.maps[0]!.notify).toEqual({ clear: false, send: false, cleared: 1, sent: 1, early: false });
  });
});

describe('fork (dup_mmap)', () => {
  it('PV: gntdev VMAs are VM_DONTCOPY; the child shares the file', () => {
    const s = after('gntdev-2022', [...OPEN_MAP_MMAP, { kind: 'dup_mmap', p: 0 }], 'fork');
    expect(s.procs[1]).toMatchObject({ state: 'running', vmas: [], fds: [true] });
    expect(s.maps[0]!.users).toBe(2);
  });

  it('HVM: the child inherits the VMA and its page PTEs; vma open takes a reference', () => {
    const s = after('gntdev-2022-hvm', [...OPEN_MAP_MMAP, { kind: 'dup_mmap', p: 0 }], 'fork');
    expect(s.procs[1]!.vmas).toHaveLength(1);
    expect(s.procs[1]!.ptes.map((x) => x.kind)).toEqual(['page', 'page']);
    expect(s.maps[0]!.users).toBe(3);
  });
});

describe('B, the granter', () => {
  it('cannot revoke a ref while A maps it; can once A unmapped it', () => {
    expect(whyDisabledAfter('gntdev-2022', OPEN_MAP_MMAP, { kind: 'gnttab_end_foreign_access_ref', ref: 0 })).toBe('g.e. 0 still in use: Xen counts 2 live mapping(s)');
    const s = after('gntdev-2022', [...OPEN_MAP_MMAP, ...EXIT(), { kind: 'gnttab_end_foreign_access_ref', ref: 0 }, { kind: 'free_page', ref: 0 }]);
    expect(s.grants[0]!.state).toBe('freed');
  });

  it('a revoked ref makes the map hypercalls fail, and the mmap error path runs', () => {
    const s = after('gntdev-2022', [
      { kind: 'gnttab_end_foreign_access_ref', ref: 1 },
      ...OPEN_MAP_MMAP,
    ]);
    expect(s.maps[0]!.slots[1]).toMatchObject({ user: false, kernel: false });
    expect(s.procs[0]!.op.kind).toBe('mmap_error');
  });
});

describe('gnttab_unmap_refs_async (deferred while a page is referenced)', () => {
  it('an unmap of a referenced page waits in flight, holding a map reference, until the page is released', () => {
    const m = model('gntdev-2022');
    // take a reference on page 0 (what get_user_pages would do), then munmap everything
    const mapped = after('gntdev-2022', OPEN_MAP_MMAP);
    const pinned = produce(mapped, (d) => {
      d.maps[0]!.slots[0]!.page.pins = 1;
    });
    let s: State = pinned;
    for (const a of [{ kind: 'do_munmap', p: 0, start: 0, end: 2 } as Action, MUNMAP_STEPS()[0]!]) s = m.nextState(s, a)!;
    // __unmap_grant_pages submitted one run [0,2); page 0 is referenced, so the whole run waits
    expect(s.inflight).toEqual([{ map: 0, offset: 0, count: 2 }]);
    expect(s.maps[0]!.users).toBe(3); // list + detached VMA + the in-flight unmap
    const work: Action = { kind: 'gnttab_unmap_work', map: 0, offset: 0 };
    expect(m.whyDisabled(s, work)).toBe('a page of the run is still referenced (page_count > 1): retry later');
    const released = produce(s, (d) => {
      d.maps[0]!.slots[0]!.page.pins = 0;
    });
    const done = m.nextState(released, work)!;
    expect(done.inflight).toEqual([]);
    expect(done.maps[0]!.users).toBe(2);
    expect(done.handles.filter((h) => h.map === 0)).toEqual([]);
  });
});
