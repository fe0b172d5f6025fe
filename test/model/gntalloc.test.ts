// gntalloc, action by action: when each entry point is enabled (and why not), and exactly what it
// changes. Expectations follow drivers/xen/gntalloc.c and drivers/xen/grant-table.c as cited in
// each action's doc comment.
import { describe, expect, it } from 'vitest';
import { NONE, type Action, type State } from '../../model/index.js';
import { after, model, run } from './helpers.js';

const OPEN: Action = { kind: 'gntalloc_open', p: 0 };
const ALLOC = (count = 1, dom = 0, offset = NONE, file = 0): Action => ({ kind: 'gntalloc_ioctl_alloc', p: 0, file, count, dom, offset });
const SPLICE: Action = { kind: 'add_grefs_splice', p: 0 };
const DEALLOC = (index = 0, count = 1): Action => ({ kind: 'gntalloc_ioctl_dealloc', p: 0, file: 0, index, count });
const MMAP = (pgoff = 0, count = 1): Action => ({ kind: 'gntalloc_mmap', p: 0, file: 0, pgoff, count });
const RMAP = (ref = 0, dom = 0): Action => ({ kind: 'remote_map_grant_ref', dom, ref });
const RUNMAP = (ref = 0, dom = 0): Action => ({ kind: 'remote_unmap_grant_ref', dom, ref });
const MUNMAP = (start: number, end: number): Action[] => [
  { kind: 'do_munmap', p: 0, start, end },
  ...(['mmu_notifier_invalidate_range_start', 'unmap_vmas', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma'] as const).map((kind) => ({ kind, p: 0 })),
];
/** open, two 1-page allocations (offsets 0 and 1), a 2-page mmap of both. */
const TWO: Action[] = [OPEN, ALLOC(), SPLICE, ALLOC(), SPLICE];
const NO_NOTIFY = { clear: false, send: false, cleared: 0, sent: 0, early: false };

const why = (design: string, actions: readonly Action[], a: Action, config = 'alloc-small') => model(design, config).whyDisabled(after(design, actions, config), a);

describe('gntalloc_open', () => {
  it('opens the lowest unused file; the opener holds an fd', () => {
    const s = after('gntalloc-2022', [OPEN], 'alloc-small');
    expect(s.alloc.files).toEqual([{ state: 'open', list: [], index: 0, fds: [true] }]);
    expect(why('gntalloc-2022', [OPEN], OPEN)).toBe('every gntalloc file of the configuration is used');
  });

  it('does not exist without config.gntalloc (every existing configuration is untouched)', () => {
    expect(model('gntalloc-2022', 'small').whyDisabled(after('gntalloc-2022', [], 'small'), OPEN)).toBe('the configuration has no gntalloc');
    expect(after('gntdev-2022', [], 'small').alloc).toMatchObject({ pages: [], gnttab: [], files: [], grefs: [] });
  });
});

describe('IOCTL_GNTALLOC_ALLOC_GREF (gntalloc_ioctl_alloc, add_grefs)', () => {
  const granted = after('gntalloc-2022', [OPEN, ALLOC()], 'alloc-small');

  it('step 1: gref_size, priv->index, a gref with users 1, a page and a grant entry; the grefs wait on no list', () => {
    const al = granted.alloc;
    expect(al.grefSize).toBe(1);
    expect(al.files[0]!.index).toBe(1);
    expect(al.grefs).toEqual([{ state: 'live', file: 0, index: 0, users: 1, ref: 0, page: 0, notify: NO_NOTIFY }]);
    expect(al.pages.map((p) => p.refs)).toEqual([1, 0]);
    expect(al.gnttab[0]).toEqual({ state: 'granted', domid: 0, page: 0, readonly: false });
    expect(al.adding).toEqual([{ proc: 0, file: 0, grefs: [0] }]);
    expect(al.grefList).toEqual([]);
    expect(al.files[0]!.list).toEqual([]);
  });

  it('the remote may map the grant before the ioctl returns; the caller does nothing else meanwhile', () => {
    const m = model('gntalloc-2022', 'alloc-small');
    expect(m.whyDisabled(granted, RMAP())).toBeUndefined();
    expect(m.whyDisabled(granted, { kind: 'do_exit', p: 0 })).toBe('process 0 is inside IOCTL_GNTALLOC_ALLOC_GREF (add_grefs)');
    const mapped = m.nextState(granted, RMAP())!;
    expect(mapped.alloc.remote).toEqual([{ dom: 0, ref: 0, page: 0 }]);
  });

  it('step 2: the splice onto gref_list and priv->list, and the return', () => {
    const s = after('gntalloc-2022', [OPEN, ALLOC(), SPLICE], 'alloc-small');
    expect(s.alloc.grefList).toEqual([0]);
    expect(s.alloc.files[0]!.list).toEqual([0]);
    expect(s.alloc.adding).toEqual([]);
  });

  it('offsets are kernel-chosen and monotonic; the global limit refuses with -ENOSPC', () => {
    const s = after('gntalloc-2022', TWO, 'alloc-small');
    expect(s.alloc.grefs.map((g) => [g.index, g.ref, g.page])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(why('gntalloc-2022', TWO, ALLOC())).toBe('-ENOSPC: gref_size 2 + 1 > limit 2');
    expect(why('gntalloc-2022', [OPEN], ALLOC(1, 1))).toBe('no remote domain 1');
  });

  it("a remote domain may map only what was granted to it (Xen's domid check)", () => {
    const s = after('gntalloc-2022', [OPEN, ALLOC(1, 1), SPLICE], 'alloc-two-remotes');
    const m = model('gntalloc-2022', 'alloc-two-remotes');
    expect(m.whyDisabled(s, RMAP(0, 0))).toBe('GNTST_permission_denied: ref 0 is granted to domain 1, not 0');
    expect(m.whyDisabled(s, RMAP(0, 1))).toBeUndefined();
    expect(m.whyDisabled(s, RMAP(1, 1))).toBe('GNTST_general_error: ref 1 is not granted (no GTF_permit_access)');
  });
});

describe('IOCTL_GNTALLOC_DEALLOC_GREF and __del_gref today (gnttab_end_foreign_access)', () => {
  it('unmapped by the remote: the revoke succeeds at once, ref and page go back, the gref is freed', () => {
    const s = after('gntalloc-2022', [OPEN, ALLOC(), SPLICE, DEALLOC()], 'alloc-small');
    const al = s.alloc;
    expect(al.grefSize).toBe(0);
    expect(al.grefs).toEqual([]); // freed, and nothing points at it: its slot is forgotten
    expect(al.files[0]!.list).toEqual([]);
    expect(al.grefList).toEqual([]);
    expect(al.gnttab[0]).toEqual({ state: 'free', domid: NONE, page: NONE, readonly: false });
    expect(al.pages[0]!.refs).toBe(0);
    expect(al.deferred).toEqual([]);
  });

  it('still mapped: the ref and the page go to the deferred list; the timer frees them once the remote unmapped', () => {
    const states = run('gntalloc-2022', [OPEN, ALLOC(), SPLICE, RMAP(), DEALLOC()], 'alloc-small');
    const s = states.at(-1)!;
    expect(s.alloc.deferred).toEqual([{ ref: 0, page: 0 }]);
    expect(s.alloc.gnttab[0]!.state).toBe('granted');
    expect(s.alloc.pages[0]!.refs).toBe(1);
    expect(s.alloc.grefSize).toBe(0); // the gref itself is gone: no longer counted against limit
    const m = model('gntalloc-2022', 'alloc-small');
    expect(m.whyDisabled(s, { kind: 'gnttab_handle_deferred' })).toBe('every deferred ref is still mapped: the timer would end none');
    const unmapped = m.nextState(s, RUNMAP())!;
    const t = m.nextState(unmapped, { kind: 'gnttab_handle_deferred' })!;
    expect(t.alloc.deferred).toEqual([]);
    expect(t.alloc.gnttab[0]!.state).toBe('free');
    expect(t.alloc.pages[0]!.refs).toBe(0);
  });

  it('a run that is not on priv->list is -EINVAL', () => {
    expect(why('gntalloc-2022', [OPEN, ALLOC(), SPLICE], DEALLOC(0, 2))).toBe('-EINVAL: no run of 2 gref(s) at offset 0 on priv->list');
  });

  it("alloc-leak: gnttab_add_deferred's kmalloc fails and the ref and page leak; A waits for the outcome", () => {
    const s = after('gntalloc-2022', [OPEN, ALLOC(), SPLICE, RMAP(), DEALLOC()], 'alloc-leak');
    expect(s.alloc.kmalloc).toEqual([{ ref: 0, page: 0 }]);
    const m = model('gntalloc-2022', 'alloc-leak');
    expect(m.whyDisabled(s, { kind: 'do_exit', p: 0 })).toBe('gnttab_add_deferred is allocating its entry');
    const t = m.nextState(s, { kind: 'gnttab_add_deferred', kmallocFails: true })!;
    expect(t.alloc.leaked).toEqual([{ ref: 0, page: 0 }]);
    expect(t.alloc.kmalloc).toEqual([]);
    expect(t.alloc.deferred).toEqual([]);
  });
});

describe('__del_gref in gntalloc 2011: query, then revoke', () => {
  const window = [OPEN, ALLOC(), SPLICE, DEALLOC()];

  it("DEALLOC's do_cleanup queries: not in use, so the window opens and gref_mutex holds A up", () => {
    const s = after('gntalloc-2011-revoke-assumed', window, 'alloc-small');
    expect(s.alloc.delGref).toEqual({ queue: [0], then: [], done: [] });
    const m = model('gntalloc-2011-revoke-assumed', 'alloc-small');
    expect(m.whyDisabled(s, { kind: 'do_exit', p: 0 })).toBe('gref_mutex is held: __del_gref is between gnttab_query_foreign_access and the revoke');
    expect(m.whyDisabled(s, RMAP())).toBeUndefined();
    expect(m.whyDisabled(s, { kind: '__del_gref' })).toBeUndefined();
  });

  it('gntalloc-2011-revoke-assumed: the failed revoke is ignored; the page is freed with the remote mapping it and the ref lost', () => {
    const s = after('gntalloc-2011-revoke-assumed', [...window, RMAP(), { kind: '__del_gref' }], 'alloc-small');
    expect(s.alloc.pages[0]!.refs).toBe(0);
    expect(s.alloc.remote).toEqual([{ dom: 0, ref: 0, page: 0 }]);
    expect(s.alloc.gnttab[0]!.state).toBe('granted');
    expect(s.alloc.delGref.queue).toEqual([]);
  });

  it('gntalloc-2011: the failed revoke returns; the gref stays on gref_list with users 0 and keeps its page', () => {
    const s = after('gntalloc-2011', [...window, RMAP(), { kind: '__del_gref' }], 'alloc-small');
    expect(s.alloc.grefs[0]).toMatchObject({ state: 'live', users: 0 });
    expect(s.alloc.grefList).toEqual([0]);
    expect(s.alloc.pages[0]!.refs).toBe(1);
    expect(s.alloc.grefSize).toBe(1);
    // a later DEALLOC/ALLOC's do_cleanup finds it: still mapped, the query says "in use" and returns
    const m = model('gntalloc-2011', 'alloc-small');
    const again = m.nextState(s, ALLOC())!;
    expect(again.alloc.delGref.queue).toEqual([]);
    expect(again.alloc.grefs[0]).toMatchObject({ state: 'live', users: 0 });
  });

  it("the query sees a mapping that is already there: __del_gref returns at once, no window", () => {
    const s = after('gntalloc-2011-revoke-assumed', [OPEN, ALLOC(), SPLICE, RMAP(), DEALLOC()], 'alloc-small');
    expect(s.alloc.delGref.queue).toEqual([]);
    expect(s.alloc.grefs[0]).toMatchObject({ state: 'live', users: 0 });
  });

  it("ALLOC_GREF's do_cleanup may open the window: the allocation continues after the revoke", () => {
    const m = model('gntalloc-2011', 'alloc-small');
    let s: State = after('gntalloc-2011', [OPEN, ALLOC(), SPLICE, RMAP(), DEALLOC(), RUNMAP()], 'alloc-small');
    s = m.nextState(s, ALLOC())!;
    expect(s.alloc.delGref).toEqual({ queue: [0], then: [{ p: 0, file: 0, count: 1, offset: NONE, dom: 0 }], done: [] });
    expect(s.alloc.adding).toEqual([]);
    s = m.nextState(s, { kind: '__del_gref' })!;
    expect(s.alloc.delGref).toEqual({ queue: [], then: [], done: [] });
    expect(s.alloc.adding).toEqual([{ proc: 0, file: 0, grefs: [0] }]); // the freed slot is reused
    expect(s.alloc.grefs[0]).toMatchObject({ state: 'live', index: 1, ref: 0, page: 0 });
  });
});

describe('gntalloc_mmap, vma open/close', () => {
  const mapped = after('gntalloc-2022', [...TWO, MMAP(0, 2)], 'alloc-small');

  it('a contiguous run of priv->list: vm_priv {gref, users 1, count}, users++ per gref, ordinary PTEs to the pages', () => {
    const p = mapped.procs[0]!;
    expect(p.vmas).toEqual([{ id: 0, start: 0, end: 2, file: NONE, map: NONE, pgoff: 0, dontcopy: false, pagesOffset: 0, gntalloc: { file: 0, priv: 0 } }]);
    expect(p.ptes).toEqual([
      { kind: 'page', map: NONE, slot: NONE, special: false, apage: 0 },
      { kind: 'page', map: NONE, slot: NONE, special: false, apage: 1 },
    ]);
    expect(mapped.alloc.vmPrivs).toEqual([{ state: 'live', gref: 0, users: 1, count: 2, pgoff: 0, grefs: [0, 1] }]);
    expect(mapped.alloc.grefs.map((g) => g.users)).toEqual([2, 2]);
  });

  it('refuses a run that is not on priv->list (-ENOENT) and a length the configuration leaves out', () => {
    expect(why('gntalloc-2022', [OPEN, ALLOC(), SPLICE], MMAP(0, 2))).toBe('-ENOENT: no run of 2 gref(s) at offset 0 on priv->list');
    expect(why('gntalloc-2022', TWO, MMAP(0, 1), 'alloc-offsets')).toBe('the configuration mmaps 2 pages');
  });

  it('a partial munmap splits: vma open shares the vm_priv; closing one piece puts no gref', () => {
    const s = after('gntalloc-2022', [...TWO, MMAP(0, 2), ...MUNMAP(0, 1)], 'alloc-small');
    expect(s.procs[0]!.vmas).toEqual([{ id: 0, start: 1, end: 2, file: NONE, map: NONE, pgoff: 1, dontcopy: false, pagesOffset: 1, gntalloc: { file: 0, priv: 0 } }]);
    expect(s.alloc.vmPrivs[0]!.users).toBe(1);
    expect(s.alloc.grefs.map((g) => g.users)).toEqual([2, 2]);
    expect(s.procs[0]!.ptes.map((x) => x.kind)).toEqual(['none', 'page']);
  });

  it('the last close puts every gref of the mapping (walking gref_list) and frees vm_priv', () => {
    const s = after('gntalloc-2022', [...TWO, MMAP(0, 2), ...MUNMAP(0, 1), ...MUNMAP(1, 2)], 'alloc-small');
    expect(s.alloc.vmPrivs).toEqual([]); // freed, nothing points at it: forgotten
    expect(s.alloc.grefs.map((g) => g.users)).toEqual([1, 1]);
  });

  it('gntalloc 2011: vm_private_data is the first gref; a split takes a user on it only', () => {
    const s = after('gntalloc-2011-revoke-assumed', [...TWO, MMAP(0, 2), { kind: 'do_munmap', p: 0, start: 0, end: 1 }], 'alloc-small');
    expect(s.alloc.grefs.map((g) => g.users)).toEqual([3, 2]);
    expect(s.alloc.vmPrivs[0]!.users).toBe(1);
  });

  it('fork: no VM_DONTCOPY; the child gets the VMA, its PTEs and the fd, and vma open takes a vm_priv user', () => {
    const s = after('gntalloc-2022', [OPEN, ALLOC(2), SPLICE, MMAP(0, 2), { kind: 'dup_mmap', p: 0 }], 'alloc-fork');
    expect(s.procs[1]!.vmas).toEqual(s.procs[0]!.vmas);
    expect(s.procs[1]!.ptes).toEqual(s.procs[0]!.ptes);
    expect(s.alloc.files[0]!.fds).toEqual([true, true]);
    expect(s.alloc.vmPrivs[0]!.users).toBe(2);
    expect(s.alloc.grefs.map((g) => g.users)).toEqual([2, 2]);
  });
});

describe('gntalloc_release', () => {
  it('exit: exit_mmap closes the VMA, exit_files the fd; release puts the list references and __del_gref frees', () => {
    const s = after('gntalloc-2022', [
      ...TWO,
      MMAP(0, 2),
      { kind: 'do_exit', p: 0 },
      ...(['mmu_notifier_release', 'arch_exit_mmap', 'unmap_vmas', 'free_pgtables', 'remove_vma'] as const).map((kind) => ({ kind, p: 0 })),
      { kind: 'exit_files', p: 0 },
    ], 'alloc-small');
    expect(s.alloc.files[0]).toEqual({ state: 'released', list: [], index: 2, fds: [false] });
    expect(s.alloc.grefs).toEqual([]);
    expect(s.alloc.grefSize).toBe(0);
    expect(s.alloc.pages.map((p) => p.refs)).toEqual([0, 0]);
    expect(s.alloc.gnttab.every((e) => e.state === 'free')).toBe(true);
  });

  it('close(fd) while mmapped: the VMA keeps the file open; the munmap runs release', () => {
    const m = model('gntalloc-2022', 'alloc-notify');
    const closed = after('gntalloc-2022', [...TWO, MMAP(0, 2), { kind: 'close', p: 0, file: 0, driver: 'gntalloc' }], 'alloc-notify');
    expect(closed.alloc.files[0]).toMatchObject({ state: 'open', fds: [false] });
    expect(m.whyDisabled(closed, ALLOC())).toBe('process 0 holds no fd on gntalloc file 0');
    const s = after('gntalloc-2022', [...TWO, MMAP(0, 2), { kind: 'close', p: 0, file: 0, driver: 'gntalloc' }, ...MUNMAP(0, 2)], 'alloc-notify');
    expect(s.alloc.files[0]!.state).toBe('released');
    expect(s.alloc.grefs).toEqual([]);
  });
});

describe('IOCTL_GNTALLOC_SET_UNMAP_NOTIFY', () => {
  it('__del_gref clears the byte, then sends the event, once, after the last user', () => {
    const states = run('gntalloc-2022', [OPEN, ALLOC(), SPLICE, { kind: 'gntalloc_ioctl_unmap_notify', p: 0, file: 0, index: 0 }, MMAP(0, 1), ...MUNMAP(0, 1), DEALLOC()], 'alloc-notify');
    expect(states[4]!.alloc.grefs[0]!.notify).toEqual({ ...NO_NOTIFY, clear: true, send: true });
    expect(states.at(-2)!.alloc.grefs[0]!.notify).toEqual({ ...NO_NOTIFY, clear: true, send: true }); // munmapped: not yet (list reference)
    const s = states.at(-1)!;
    expect(s.alloc.grefs[0]).toMatchObject({ state: 'freed', notify: { clear: false, send: false, cleared: 1, sent: 1, early: false } });
    expect(why('gntalloc-2022', [OPEN, ALLOC(), SPLICE, { kind: 'gntalloc_ioctl_unmap_notify', p: 0, file: 0, index: 0 }], { kind: 'gntalloc_ioctl_unmap_notify', p: 0, file: 0, index: 0 }, 'alloc-notify')).toBe(
      'the notification was set already',
    );
    expect(why('gntalloc-2022', [OPEN], { kind: 'gntalloc_ioctl_unmap_notify', p: 0, file: 0, index: 0 }, 'alloc-notify')).toBe('-ENOENT: no gref at offset 0 on priv->list');
  });
});

describe('IOCTL_GNTALLOC_GET_OFFSET_FOR_VADDR (seed 004 proposal)', () => {
  const q = (va: number): Action => ({ kind: 'gntalloc_ioctl_get_offset_for_vaddr', p: 0, va });

  it("answers the VMA's vm_pgoff and size: after a split, the piece; a self-loop", () => {
    const m = model('gntalloc-user-offsets', 'alloc-offsets');
    const s = after('gntalloc-user-offsets', [...TWO, MMAP(0, 2), ...MUNMAP(0, 1)], 'alloc-offsets');
    expect(m.whyDisabled(s, q(1))).toBeUndefined();
    expect(m.nextState(s, q(1))).toEqual(s);
    expect(m.whyDisabled(s, q(0))).toBe('-EINVAL: no VMA at page 0');
  });

  it('does not exist in the kernel designs', () => {
    expect(why('gntalloc-2022', [...TWO, MMAP(0, 2)], q(0))).toBe('-ENOTTY: this gntalloc has no GET_OFFSET_FOR_VADDR');
  });
});
