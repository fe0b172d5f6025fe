/**
 * A's grant table as the granter (drivers/xen/grant-table.c), for gntalloc's pages: granting,
 * the racy query, the atomic revoke, gnttab_try_end_foreign_access, gnttab_end_foreign_access
 * with its deferred list (gnttab_add_deferred, drained by the gnttab_handle_deferred timer), and
 * the pool of A's pages. Helpers that read a state or mutate a draft; they are not actions.
 */
import type { Draft } from 'immer';
import { NONE, type State } from '../state.js';
import type { Ctx } from './ctx.js';

type D = Draft<State>;

/** Xen's count of the remote domains' live mappings of A's ref (GTF_reading/GTF_writing are set while it is > 0). */
export function remoteMappings(s: State, ref: number): number {
  let n = 0;
  for (const m of s.alloc.remote) if (m.ref === ref) n++;
  return n;
}

/** page_count of an A page is 0: no reference besides PTEs, and no PTE maps it. */
export function allocPageFree(s: State, page: number): boolean {
  const pg = s.alloc.pages[page];
  if (!pg || pg.refs > 0) return false;
  return !s.procs.some((p) => p.ptes.some((pte) => pte.kind === 'page' && pte.apage === page));
}

/** The lowest `count` free pages of the pool (alloc_page), or undefined if there are not enough. */
export function freeAllocPages(s: State, count: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.alloc.pages.length && out.length < count; i++) if (allocPageFree(s, i)) out.push(i);
  return out.length === count ? out : undefined;
}

/** The lowest `count` free grant refs (get_free_entries; the kernel's free list is LIFO, the model takes the lowest), or undefined. */
export function freeRefs(s: State, count: number): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < s.alloc.gnttab.length && out.length < count; i++) if (s.alloc.gnttab[i]!.state === 'free') out.push(i);
  return out.length === count ? out : undefined;
}

/**
 * gnttab_grant_foreign_access(domid, frame, readonly) into a free ref: domid and frame, wmb(),
 * then the flags (GTF_permit_access). From this moment the remote domain may map it.
 */
export function grantForeignAccess(d: D, ref: number, dom: number, page: number, readonly: boolean): void {
  d.alloc.gnttab[ref] = { state: 'granted', domid: dom, page, readonly };
}

/** gnttab_query_foreign_access (removed in 2022, 1dbd11ca75fe): GTF_reading|GTF_writing now; stale as soon as it returns. */
export function queryForeignAccess(s: State, ref: number): boolean {
  return remoteMappings(s, ref) > 0;
}

/**
 * gnttab_end_foreign_access_ref (v1: cmpxchg of the flags to 0, refused while GTF_reading or
 * GTF_writing is set): true when the entry was revoked. The model returns a revoked ref to the free
 * list at once (every caller's next step is put_free_entry or gnttab_free_grant_reference).
 */
export function endForeignAccessRef(d: D, ref: number): boolean {
  if (remoteMappings(d, ref) > 0) return false;
  d.alloc.gnttab[ref] = { state: 'free', domid: NONE, page: NONE, readonly: false };
  return true;
}

/** gnttab_try_end_foreign_access (6b1775f26a2d): end access and, only on success, put_free_entry. */
export function tryEndForeignAccess(d: D, ref: number): boolean {
  return endForeignAccessRef(d, ref);
}

/** put_page on an A page: one reference fewer (the page is free once none is left and no PTE maps it). */
export function putAllocPage(d: D, page: number): void {
  if (page === NONE) return;
  const pg = d.alloc.pages[page]!;
  if (pg.refs > 0) pg.refs--;
}

/**
 * gnttab_end_foreign_access(ref, page): gnttab_try_end_foreign_access, and put_page on success;
 * otherwise gnttab_add_deferred(ref, page): the page reference goes to the deferred entry, so the
 * page cannot be freed or reused while the remote still maps it.
 */
export function endForeignAccess(d: D, ctx: Ctx, ref: number, page: number): void {
  if (tryEndForeignAccess(d, ref)) {
    putAllocPage(d, page);
    return;
  }
  addDeferred(d, ctx, ref, page);
}

/**
 * gnttab_add_deferred: kmalloc an entry (GFP_ATOMIC in atomic context) and append it to
 * deferred_list, arming the timer. With config.gntalloc.deferredAllocFails the allocation's outcome
 * is the next action (`gnttab_add_deferred`): on failure the ref and page are leaked (leaked_count++).
 */
export function addDeferred(d: D, ctx: Ctx, ref: number, page: number): void {
  if (ctx.config.gntalloc?.deferredAllocFails) d.alloc.kmalloc.push({ ref, page });
  else d.alloc.deferred.push({ ref, page });
}

/** The deferred entries gnttab_handle_deferred would end now (their ref is no longer mapped). */
export function revocableDeferred(s: State): number {
  return s.alloc.deferred.filter((e) => remoteMappings(s, e.ref) === 0).length;
}

/**
 * gnttab_handle_deferred (the timer, every HZ): each entry in turn (free_per_iteration, default 10,
 * exceeds the model's bounds): _gnttab_end_foreign_access_ref; on success put_free_entry, put_page
 * and kfree; on failure requeue at the tail. The timer is re-armed while the list is not empty.
 */
export function handleDeferred(d: D): void {
  const keep = [];
  for (const e of d.alloc.deferred.map((x) => ({ ...x }))) {
    if (tryEndForeignAccess(d, e.ref)) putAllocPage(d, e.page);
    else keep.push(e);
  }
  d.alloc.deferred = keep;
}
