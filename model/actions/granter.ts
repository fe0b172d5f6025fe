/**
 * Domain B, the granter, as the environment: it grants, revokes and frees its pages at any moment
 * (drivers/xen/grant-table.c in B's kernel; Xen's grant-table entry flags). Once freed, a page
 * is not granted again under the same ref (an acyclic lifecycle, so that quiescent states exist).
 */
import type { Ctx } from '../internal/ctx.js';
import type { ActionRule } from './common.js';

function granterOff(ctx: Ctx): string | undefined {
  return ctx.config.granterActs ? undefined : "the configuration keeps B's grants fixed";
}

/**
 * gnttab_end_foreign_access_ref (B): the atomic revoke, a cmpxchg of the entry's flags that fails
 * while GTF_reading/GTF_writing are set, i.e. while Xen counts a live mapping of the ref.
 */
export function gnttabEndForeignAccessRef(ctx: Ctx): ActionRule<'gnttab_end_foreign_access_ref'> {
  return {
    guard: (s, a) => {
      const off = granterOff(ctx);
      if (off) return off;
      if (s.grants[a.ref]!.state !== 'granted') return `ref ${a.ref} is not granted`;
      const live = s.handles.filter((h) => h.ref === a.ref).length;
      return live > 0 ? `g.e. ${a.ref} still in use: Xen counts ${live} live mapping(s)` : true;
    },
    effect: (d, a) => {
      d.grants[a.ref]!.state = 'revoked';
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
