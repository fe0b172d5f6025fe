/**
 * gntalloc internals shared by the entry points (drivers/xen/gntalloc.c): find_grefs, the rest of
 * gntalloc_ioctl_alloc after its do_cleanup, add_grefs, do_cleanup, __del_gref (per design),
 * gntalloc_vma_open/close, gntalloc_release, and fput for gntalloc files. Era differences are the
 * design's gntalloc choices. Everything runs under gref_mutex except add_grefs' grant loop.
 */
import { castDraft, freeze, type Draft } from 'immer';
import { delGrefSplit, gntallocOf } from '../design.js';
import { NONE, type AllocCall, type DelGrefStep, type Gref, type State, type Vma } from '../state.js';
import type { Ctx } from './ctx.js';
import { addDeferred, endForeignAccess, endForeignAccessRef, freeAllocPages, freeRefs, grantForeignAccess, putAllocPage, queryForeignAccess, tryEndForeignAccess } from './gnttab.js';

type D = Draft<State>;

/** find_grefs(priv, index, count): the grefs of a contiguous run of file offsets on priv->list, or undefined. */
export function findGrefs(s: State, file: number, index: number, count: number): number[] | undefined {
  const f = s.alloc.files[file];
  if (!f) return undefined;
  const start = f.list.findIndex((g) => s.alloc.grefs[g]!.index === index);
  if (start < 0) return undefined;
  const run = f.list.slice(start, start + count);
  if (run.length < count) return undefined;
  for (let i = 0; i < count; i++) if (s.alloc.grefs[run[i]!]!.index !== index + i) return undefined;
  return run;
}

/** The file offsets a file's allocations hold: grefs on priv->list and grefs being added (between their grants and their splice). */
export function heldOffsets(s: State, file: number): { gref: number; index: number }[] {
  const ids = [...s.alloc.files[file]!.list, ...s.alloc.adding.filter((x) => x.file === file).flatMap((x) => x.grefs)];
  return ids.map((g) => ({ gref: g, index: s.alloc.grefs[g]!.index }));
}

/** The gref holding a file offset in [start, start + count), or undefined. */
export function overlapping(s: State, file: number, start: number, count: number): { gref: number; index: number } | undefined {
  return heldOffsets(s, file).find((h) => start <= h.index && h.index < start + count);
}

/**
 * The kernel's choice of offset: priv->index (monotonic). With user-chosen offsets (seed 004's
 * proposal) the kernel takes the first run at or after priv->index that no allocation holds.
 */
export function kernelOffset(s: State, ctx: Ctx, file: number, count: number): number {
  const f = s.alloc.files[file]!;
  if (gntallocOf(ctx.design).offsets === 'kernel') return f.index;
  let o = f.index;
  while (overlapping(s, file, o, count)) o++;
  return o;
}

/** Why the rest of ALLOC_GREF (after do_cleanup) would do nothing, or undefined when it allocates. */
export function allocRefusal(s: State, ctx: Ctx, c: AllocCall): string | undefined {
  const g = ctx.config.gntalloc!;
  const al = s.alloc;
  if (al.grefSize + c.count > g.limit) return `-ENOSPC: gref_size ${al.grefSize} + ${c.count} > limit ${g.limit}`;
  if (c.offset !== NONE) {
    const o = overlapping(s, c.file, c.offset, c.count);
    if (o) return `-EBUSY: offsets [${c.offset}, ${c.offset + c.count}) overlap gref ${o.gref} at offset ${o.index}`;
  }
  const offset = c.offset === NONE ? kernelOffset(s, ctx, c.file, c.count) : c.offset;
  if (offset + c.count > g.offsets) return `model bound: offsets [${offset}, ${offset + c.count}) leave the file's offset space of ${g.offsets} pages`;
  if (!freeAllocPages(s, c.count)) return 'model bound: not enough free pages in the pool (alloc_page would fail)';
  if (!freeRefs(s, c.count)) return 'model bound: not enough free grant refs';
  return undefined;
}

/**
 * gntalloc_ioctl_alloc after do_cleanup: the limit check, gref_size += count, op.index (priv->index
 * += count for a kernel-chosen offset), then add_grefs' loop: per page a gref (users = 1,
 * file_index), a zeroed page, and gnttab_grant_foreign_access: the remote may map it from now on.
 * The grefs wait on add_grefs' queues until the splice (`add_grefs_splice`). A refused call
 * (-ENOSPC, -EBUSY, a model bound) changes nothing.
 */
export function allocRest(d: D, ctx: Ctx, c: AllocCall): void {
  if (allocRefusal(d, ctx, c) !== undefined) return;
  const al = d.alloc;
  const offset = c.offset === NONE ? kernelOffset(d, ctx, c.file, c.count) : c.offset;
  al.grefSize += c.count;
  if (c.offset === NONE) al.files[c.file]!.index = offset + c.count;
  const pages = freeAllocPages(d, c.count)!;
  const refs = freeRefs(d, c.count)!;
  const ids: number[] = [];
  for (let i = 0; i < c.count; i++) {
    al.pages[pages[i]!]!.refs = 1;
    grantForeignAccess(d, refs[i]!, c.dom, pages[i]!, false);
    const id = newGrefId(d, ids);
    ids.push(id);
    const gref: Gref = {
      state: 'live',
      file: c.file,
      index: offset + i,
      users: 1,
      ref: refs[i]!,
      page: pages[i]!,
      notify: { clear: false, send: false, cleared: 0, sent: 0, early: false },
    };
    al.grefs[id] = castDraft(gref);
  }
  al.adding.push({ proc: c.p, file: c.file, grefs: ids });
}

/** Whether some VMA (attached or detached) has vm_private_data = vm_priv `priv`. */
function vmPrivReferenced(s: State, priv: number): boolean {
  return s.procs.some((p) => [...p.vmas, ...p.op.detached].some((v) => v.gntalloc?.priv === priv));
}

/**
 * The id for a new vm_priv: the lowest one whose struct was freed (2011: whose mapping is gone) and
 * that no VMA points at any more, else a new one. Reusing dead ids keeps the state space finite
 * (kmalloc reuses memory too); a VMA still pointing at a freed vm_priv keeps its id from reuse.
 */
export function newVmPrivId(s: State, ctx: Ctx): number {
  const firstGref = gntallocOf(ctx.design).vmPriv === 'first-gref';
  const id = s.alloc.vmPrivs.findIndex((vp, i) => (firstGref || vp.state === 'freed') && !vmPrivReferenced(s, i));
  return id >= 0 ? id : s.alloc.vmPrivs.length;
}

/** Whether anything still points at gref `id`: a list, an ALLOC_GREF in progress, the __del_gref queue, a mapping. */
function grefReferenced(s: State, id: number): boolean {
  const al = s.alloc;
  if (al.grefList.includes(id) || al.files.some((f) => f.list.includes(id))) return true;
  if (al.adding.some((x) => x.grefs.includes(id)) || al.delGref.queue.includes(id)) return true;
  return al.vmPrivs.some((vp, i) => (vp.state === 'live' || vmPrivReferenced(s, i)) && (vp.gref === id || vp.grefs.includes(id)));
}

/** The id for a new gref: the lowest freed one nothing points at any more, else a new one (kfree'd memory is reused). */
function newGrefId(s: State, taken: readonly number[]): number {
  const id = s.alloc.grefs.findIndex((g, i) => g.state === 'freed' && !taken.includes(i) && !grefReferenced(s, i));
  return id >= 0 ? id : Math.max(s.alloc.grefs.length, ...taken.map((t) => t + 1));
}

/** A gref is still used locally: users > 0, or a user PTE still maps its page. */
function locallyUsed(s: State, g: Gref): boolean {
  return g.users > 0 || s.procs.some((p) => p.ptes.some((pte) => pte.kind === 'page' && pte.apage === g.page));
}

/** __del_gref's notification: UNMAP_NOTIFY_CLEAR_BYTE (kmap, write 0), then UNMAP_NOTIFY_SEND_EVENT; notify.flags = 0. */
function fireNotify(d: D, id: number): void {
  const g = d.alloc.grefs[id]!;
  const n = g.notify;
  const early = locallyUsed(d, g);
  if (n.clear) {
    n.clear = false;
    n.cleared++;
    if (early) n.early = true;
  }
  if (n.send) {
    n.send = false;
    n.sent++;
    if (early || n.clear) n.early = true;
  }
}

/** The end of __del_gref: gref_size--, list_del(next_gref), the page given back (2011: __free_page), kfree. */
function finishDelGref(d: D, id: number, putPage: boolean): void {
  const al = d.alloc;
  const g = al.grefs[id]!;
  al.grefSize--;
  const i = al.grefList.indexOf(id);
  if (i >= 0) al.grefList.splice(i, 1);
  if (putPage) putAllocPage(d, g.page);
  g.state = 'freed';
}

/**
 * __del_gref on each gref, in order, then the rest of the calling ioctl (`then`).
 * - end-foreign-access (2022): notify; gnttab_end_foreign_access(gref_id, page) (revoke now or
 *   defer the ref and the page); gref_size--, list_del, kfree. One step.
 * - query-revoke-* (2011): notify; gnttab_query_foreign_access: "in use" returns at once (the gref
 *   stays on gref_list with users 0); "not in use" opens the window before the revoke: the queue
 *   waits in alloc.delGref for the `__del_gref` action, and nothing else of A runs meanwhile.
 * - end-foreign-access split into steps (delGrefSplit): the queue waits for the `__del_gref_step`
 *   actions, one per part, nothing else of A running meanwhile (gref_mutex).
 */
export function delGrefs(d: D, ctx: Ctx, ids: readonly number[], then: readonly AllocCall[]): void {
  if (gntallocOf(ctx.design).delGref === 'end-foreign-access' && !delGrefSplit(ctx.design)) {
    for (const id of ids) {
      fireNotify(d, id);
      const g = d.alloc.grefs[id]!;
      endForeignAccess(d, ctx, g.ref, g.page);
      finishDelGref(d, id, false);
    }
    for (const c of then) allocRest(d, ctx, c);
    forgetGarbage(d, ctx);
    return;
  }
  const q = d.alloc.delGref;
  const wasOpen = q.queue.length > 0;
  for (const id of ids) if (!q.queue.includes(id)) q.queue.push(id);
  q.then.push(...then);
  if (!wasOpen) runDelQueue(d, ctx);
}

/**
 * 2011: __del_gref on the queue until a query opens a window or the queue is empty; split (2022):
 * nothing until the queue's steps have run. Then the ioctl's rest.
 */
function runDelQueue(d: D, ctx: Ctx): void {
  const q = d.alloc.delGref;
  if (delGrefSplit(ctx.design)) {
    if (q.queue.length > 0) return;
  } else {
    while (q.queue.length > 0) {
      const id = q.queue[0]!;
      fireNotify(d, id);
      if (!queryForeignAccess(d, d.alloc.grefs[id]!.ref)) return; // the window: gnttab_end_foreign_access_ref is the next action
      q.queue.shift(); // "in use": return; a later do_cleanup retries
    }
  }
  const then = q.then.map((c) => ({ ...c }));
  q.then = [];
  for (const c of then) allocRest(d, ctx, c);
  forgetGarbage(d, ctx);
}

/**
 * 2011: the rest of __del_gref at the head of the queue, after the query said "not in use":
 * gnttab_end_foreign_access_ref, then (query-revoke-free) gnttab_free_grant_reference and
 * __free_page whatever it answered, or (query-revoke-return) return if it failed; then the queue
 * goes on. A ref whose revoke failed under query-revoke-free stays granted with no owner (it is not
 * put back on the free list, where a new grant would overwrite an entry Xen still has mapped).
 */
export function delGrefRevoke(d: D, ctx: Ctx): void {
  const q = d.alloc.delGref;
  const id = q.queue.shift()!;
  const g = d.alloc.grefs[id]!;
  const revoked = endForeignAccessRef(d, g.ref);
  if (revoked || gntallocOf(ctx.design).delGref === 'query-revoke-free') finishDelGref(d, id, true);
  runDelQueue(d, ctx);
  forgetGarbage(d, ctx);
}

/**
 * One part of today's __del_gref on the queue's head (split: delGrefSplit). gnttab_end_foreign_access
 * (ref, page) is `revoke` (gnttab_try_end_foreign_access; on failure gnttab_add_deferred of the ref
 * and of the page if the gref still owns it) and the put_page of its success, which joins `free`:
 * - notify: UNMAP_NOTIFY_CLEAR_BYTE (kmap the page, write 0), UNMAP_NOTIFY_SEND_EVENT;
 * - revoke: the gref gives its ref up (to the free list, or with its page to the deferred list);
 * - free: put_page if the gref still owns its page, gref_size--, list_del(next_gref), kfree.
 * In another order than the kernel's, a step reads what an earlier one freed: the properties say so.
 * After the last step the queue goes on, then the ioctl's rest.
 */
export function delGrefStep(d: D, ctx: Ctx, step: DelGrefStep): void {
  const q = d.alloc.delGref;
  const id = q.queue[0]!;
  const g = d.alloc.grefs[id]!;
  if (step === 'notify') fireNotify(d, id);
  if (step === 'revoke' && g.ref !== NONE) {
    const page = q.done.includes('free') ? NONE : g.page;
    if (!tryEndForeignAccess(d, g.ref)) {
      addDeferred(d, ctx, g.ref, page);
      g.page = NONE; // the deferred entry owns the page now
    }
    g.ref = NONE;
  }
  if (step === 'free') finishDelGref(d, id, g.page !== NONE);
  q.done.push(step);
  if (q.done.length < 3) return;
  q.queue.shift();
  q.done = [];
  runDelQueue(d, ctx);
  forgetGarbage(d, ctx);
}

/** do_cleanup: __del_gref every gref on gref_list with users == 0, then the ioctl's rest. */
export function doCleanup(d: D, ctx: Ctx, then: readonly AllocCall[]): void {
  const zero = d.alloc.grefList.filter((id) => d.alloc.grefs[id]!.users === 0);
  delGrefs(d, ctx, zero, then);
}

/** Whether do_cleanup would find anything to do (a gref with users 0 still on gref_list). */
export function cleanupPending(s: State): boolean {
  return s.alloc.grefList.some((id) => s.alloc.grefs[id]!.users === 0);
}

/** gntalloc_vma_open (split, fork): vm_priv->users++ (2011: the first gref's users++). */
export function gntallocVmaOpen(d: D, ctx: Ctx, vma: Vma): void {
  const vp = d.alloc.vmPrivs[vma.gntalloc!.priv];
  if (!vp) return;
  if (gntallocOf(ctx.design).vmPriv === 'first-gref') d.alloc.grefs[vp.gref]!.users++;
  else vp.users++;
}

/**
 * gntalloc_vma_close. Today: vm_priv->users--; at 0, for each of count grefs starting at
 * vm_priv->gref and following gref->next_gref (the global gref_list, not priv->list):
 * users--, __del_gref at 0; kfree(vm_priv). 2011: the first gref's users--, __del_gref at 0.
 */
export function gntallocVmaClose(d: D, ctx: Ctx, vma: Vma): void {
  const al = d.alloc;
  const vp = al.vmPrivs[vma.gntalloc!.priv];
  if (!vp) return;
  const toDel: number[] = [];
  const put = (id: number) => {
    const g = al.grefs[id]!;
    g.users--;
    if (g.users === 0) toDel.push(id);
  };
  if (gntallocOf(ctx.design).vmPriv === 'first-gref') {
    put(vp.gref);
  } else {
    vp.users--;
    if (vp.users > 0) return;
    // the walk: next = list_entry(gref->next_gref.next) is read before __del_gref unlinks gref.
    // Walking past the end would take the list head for a gref; the model stops there (it takes an
    // earlier miscount, which the users property reports first).
    const start = al.grefList.indexOf(vp.gref);
    const walk = start < 0 ? [vp.gref] : al.grefList.slice(start, start + vp.count);
    for (const id of walk) put(id);
    vp.state = 'freed';
  }
  delGrefs(d, ctx, toDel, []);
}

/** gntalloc_release (last fput): every gref still on priv->list: unlink, users--, __del_gref at 0; kfree(priv). */
export function gntallocRelease(d: D, ctx: Ctx, file: number): void {
  const f = d.alloc.files[file]!;
  const toDel: number[] = [];
  for (const id of f.list) {
    const g = d.alloc.grefs[id]!;
    g.users--;
    if (g.users === 0) toDel.push(id);
  }
  f.list = [];
  f.state = 'released';
  delGrefs(d, ctx, toDel, []);
}

/** struct file's reference count of a gntalloc file: descriptors plus VMAs (attached, detached). */
export function allocFileRefs(s: State, file: number): number {
  let n = 0;
  for (const held of s.alloc.files[file]!.fds) if (held) n++;
  for (const p of s.procs) for (const v of [...p.vmas, ...p.op.detached]) if (v.gntalloc?.file === file) n++;
  return n;
}

/** fput of a gntalloc file: the last reference runs gntalloc_release. */
export function allocFput(d: D, ctx: Ctx, file: number): void {
  if (d.alloc.files[file]!.state === 'open' && allocFileRefs(d, file) === 0) gntallocRelease(d, ctx, file);
}

/** exit_files for gntalloc: close every gntalloc descriptor of the process. */
export function gntallocExitFiles(d: D, ctx: Ctx, proc: number): void {
  for (let f = 0; f < d.alloc.files.length; f++) {
    const file = d.alloc.files[f]!;
    if (!file.fds[proc]) continue;
    file.fds[proc] = false;
    allocFput(d, ctx, f);
  }
}

/** dup_mmap / copy_files for gntalloc: the child shares the parent's gntalloc descriptors. */
export function gntallocDupFds(d: D, parent: number, child: number): void {
  for (const f of d.alloc.files) f.fds[child] = f.fds[parent]!;
}

/** Actions of other domains (the remotes, B): A's locks do not hold them up. */
/** What runs while __del_gref holds gref_mutex: its own steps, and the deferred-free timer (a timer, not under the mutex). */
const UNDER_GREF_MUTEX: readonly string[] = ['__del_gref', '__del_gref_step', 'gnttab_handle_deferred'];

const OTHER_DOMAINS: readonly string[] = ['remote_map_grant_ref', 'remote_unmap_grant_ref', 'gnttab_end_foreign_access_ref', 'free_page', 'gnttab_grant_foreign_access'];

/**
 * Why A cannot act now, or undefined: gref_mutex is held across gntalloc 2011's query/revoke
 * window, and gnttab_add_deferred's allocation is in progress; a process inside ALLOC_GREF (between
 * its grants and its splice) does nothing else. The remote domains always act.
 */
export function allocBusy(s: State, a: { readonly kind: string; readonly p?: number }, split: boolean): string | undefined {
  const al = s.alloc;
  if (OTHER_DOMAINS.includes(a.kind)) return undefined;
  if (al.kmalloc.length > 0) return a.kind === 'gnttab_add_deferred' ? undefined : 'gnttab_add_deferred is allocating its entry';
  if (al.delGref.queue.length > 0 && !UNDER_GREF_MUTEX.includes(a.kind)) {
    return split ? 'gref_mutex is held: __del_gref is in progress' : 'gref_mutex is held: __del_gref is between gnttab_query_foreign_access and the revoke';
  }
  if (a.p !== undefined && a.kind !== 'add_grefs_splice' && al.adding.some((x) => x.proc === a.p)) return `process ${a.p} is inside IOCTL_GNTALLOC_ALLOC_GREF (add_grefs)`;
  return undefined;
}

/**
 * Forgets what nothing points at any more: a freed gref (but its notification record), or a
 * vm_priv no VMA uses (freed, or in 2011 simply unreferenced), becomes an empty record, and such
 * records at the end of the arrays go.
 * Garbage never influences what happens next, so states that differ only in it are one state; the
 * violations it could show were checked in the states before. Run where garbage is made: after
 * __del_gref and after remove_vma.
 */
export function forgetGarbage(d: D, ctx: Ctx): void {
  const al = d.alloc;
  const firstGref = gntallocOf(ctx.design).vmPriv === 'first-gref';
  for (let i = 0; i < al.vmPrivs.length; i++) {
    const vp = al.vmPrivs[i]!;
    if ((firstGref || vp.state === 'freed') && !vmPrivReferenced(d, i) && vp.gref !== NONE) al.vmPrivs[i] = castDraft({ ...DEAD_VMPRIV, grefs: [] });
  }
  while (al.vmPrivs.length > 0 && al.vmPrivs.at(-1)!.gref === NONE) al.vmPrivs.pop();
  for (let i = 0; i < al.grefs.length; i++) {
    const g = al.grefs[i]!;
    // the notification record stays (a ghost the notify property reads) until the slot is reused
    if (g.state === 'freed' && g.ref !== NONE && !grefReferenced(d, i)) al.grefs[i] = castDraft({ ...DEAD_GREF, notify: { ...g.notify } });
  }
  while (al.grefs.length > 0 && isPristine(al.grefs.at(-1)!)) al.grefs.pop();
}

/** A dead gref slot with nothing to remember. */
function isPristine(g: Gref): boolean {
  const n = g.notify;
  return g.state === 'freed' && g.ref === NONE && n.cleared === 0 && n.sent === 0 && !n.early;
}

/** A vm_priv slot nothing uses. */
const DEAD_VMPRIV = freeze({ state: 'freed', gref: NONE, users: 0, count: 0, pgoff: NONE, grefs: [] } as const, true);

/** A gref slot nothing uses. */
const DEAD_GREF: Gref = freeze({ state: 'freed', file: NONE, index: NONE, users: 0, ref: NONE, page: NONE, notify: { clear: false, send: false, cleared: 0, sent: 0, early: false } }, true);
