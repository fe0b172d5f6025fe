/**
 * Domain B, the granter, as the environment: it grants, revokes and frees its pages at any moment
 * (drivers/xen/grant-table.c in B's kernel; Xen's grant-table entry flags). Once freed, a page
 * is not granted again under the same ref (an acyclic lifecycle, so that quiescent states exist).
 */
import type { Ctx } from '../internal/ctx.js';
import type { State } from '../state.js';
import type { ActionRule } from './common.js';

function granterOff(ctx: Ctx): string | undefined {
  return ctx.config.granterActs ? undefined : "the configuration keeps B's grants fixed";
}

/** Xen's count of A's live mappings of B's ref (GTF_reading/GTF_writing are set while it is > 0). */
function liveMappings(s: State, ref: number): number {
  return s.handles.filter((h) => h.ref === ref).length;
}

/**
 * gnttab_query_foreign_access (B's drivers/xen/grant-table.c, removed by 1dbd11ca75fe in v5.17): a
 * frontend before XSA-396 (blkfront's blkif_completion before abf1fd5919d6, netfront's
 * xennet_release_rx_bufs before 31185df7e2b1) asks whether the backend still maps the ref. The
 * answer is stale at once: A may map the ref before B's next step.
 */
export function gnttabQueryForeignAccess(ctx: Ctx): ActionRule<'gnttab_query_foreign_access'> {
  return {
    guard: (s, a) => {
      const off = granterOff(ctx);
      if (off) return off;
      if (ctx.design.granterRevoke !== 'query-then-reuse') return "B revokes with gnttab_try_end_foreign_access in this design (no query)";
      if (s.grants[a.ref]!.state !== 'granted') return `ref ${a.ref} is not granted`;
      const live = liveMappings(s, a.ref);
      return live > 0 ? `the query says ref ${a.ref} is in use (${live} live mapping(s)): B keeps it` : true;
    },
    effect: (d, a) => {
      d.grants[a.ref]!.state = 'queried';
    },
  };
}

/**
 * gnttab_end_foreign_access_ref (B): the atomic revoke, a cmpxchg of the entry's flags that fails
 * while GTF_reading/GTF_writing are set, i.e. while Xen counts a live mapping of the ref.
 * - checked (gnttab_try_end_foreign_access, 6b1775f26a2d, v5.17; every frontend since XSA-396):
 *   B acts only on success, so the action is enabled only when the revoke succeeds;
 * - query-then-reuse (before XSA-396): after a query said "not in use", B calls
 *   gnttab_end_foreign_access(ref, 0, 0UL) and reuses the page whatever the revoke answered: on
 *   failure the ref goes to B's deferred list (still granted) and the page is reused (`reused`);
 *   the deferred timer's retry later ends a `reused` ref once A no longer maps it (`freed`).
 */
export function gnttabEndForeignAccessRef(ctx: Ctx): ActionRule<'gnttab_end_foreign_access_ref'> {
  return {
    guard: (s, a) => {
      const off = granterOff(ctx);
      if (off) return off;
      const state = s.grants[a.ref]!.state;
      const live = liveMappings(s, a.ref);
      if (state === 'queried') return true;
      if (state === 'reused') return live > 0 ? `B's deferred retry of ref ${a.ref} fails while A maps it (${live} live mapping(s))` : true;
      if (ctx.design.granterRevoke !== 'checked') return `ref ${a.ref} is ${state}: this B queries before it revokes`;
      if (state !== 'granted') return `ref ${a.ref} is not granted`;
      return live > 0 ? `g.e. ${a.ref} still in use: Xen counts ${live} live mapping(s)` : true;
    },
    effect: (d, a) => {
      const g = d.grants[a.ref]!;
      const live = liveMappings(d, a.ref);
      if (g.state === 'reused') g.state = 'freed';
      else g.state = live > 0 ? 'reused' : 'revoked';
    },
  };
}

/** B frees (or reuses) the page behind a revoked ref: free_page / __free_page. */
export function freePage(ctx: Ctx): ActionRule<'free_page'> {
  return {
    guard: (s, a) => granterOff(ctx) ?? (s.grants[a.ref]!.state === 'revoked' ? true : `ref ${a.ref} is not revoked`),
    effect: (d, a) => {
      d.grants[a.ref]!.state = 'freed';
    },
  };
}

/** gnttab_grant_foreign_access (B): the page is granted to A under the ref (domid, frame, wmb, flags). */
export function gnttabGrantForeignAccess(_ctx: Ctx): ActionRule<'gnttab_grant_foreign_access'> {
  return {
    guard: (s, a) => (s.grants[a.ref]!.state === 'none' ? true : `ref ${a.ref} was granted already`),
    effect: (d, a) => {
      d.grants[a.ref]!.state = 'granted';
    },
  };
}
