/**
 * The remote domains as the environment: each may map the refs A granted to it at any moment
 * (GNTTABOP_map_grant_ref in that domain: Xen checks GTF_permit_access and the domid, then sets
 * GTF_reading/GTF_writing) and unmap them (GNTTABOP_unmap_grant_ref). A malicious one maps
 * whenever it can: before ALLOC_GREF returns (guessing the ref), or between a query and a revoke.
 * xen/common/grant_table.c; one live mapping per domain and ref (a bound).
 */
import type { Ctx } from '../internal/ctx.js';
import type { ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

function mapped(s: { readonly alloc: { readonly remote: readonly { readonly dom: number; readonly ref: number }[] } }, dom: number, ref: number): boolean {
  return s.alloc.remote.some((m) => m.dom === dom && m.ref === ref);
}

/** The rule of `remote_map_grant_ref`. */
export function remoteMapGrantRef(ctx: Ctx): ActionRule<'remote_map_grant_ref'> {
  return {
    guard: (s, a) => {
      const r = noGntalloc(ctx);
      if (r) return r;
      const e = s.alloc.gnttab[a.ref];
      if (!e) return `no grant ref ${a.ref}`;
      if (e.state !== 'granted') return `GNTST_general_error: ref ${a.ref} is not granted (no GTF_permit_access)`;
      if (e.domid !== a.dom) return `GNTST_permission_denied: ref ${a.ref} is granted to domain ${e.domid}, not ${a.dom}`;
      return mapped(s, a.dom, a.ref) ? `model bound: domain ${a.dom} maps ref ${a.ref} already` : true;
    },
    effect: (d, a) => {
      const page = d.alloc.gnttab[a.ref]!.page;
      const key = (x: { dom: number; ref: number }) => x.dom * 64 + x.ref;
      let i = 0;
      while (i < d.alloc.remote.length && key(d.alloc.remote[i]!) < key(a)) i++;
      d.alloc.remote.splice(i, 0, { dom: a.dom, ref: a.ref, page });
    },
  };
}

/** The rule of `remote_unmap_grant_ref`. */
export function remoteUnmapGrantRef(ctx: Ctx): ActionRule<'remote_unmap_grant_ref'> {
  return {
    guard: (s, a) => noGntalloc(ctx) ?? (mapped(s, a.dom, a.ref) ? true : `domain ${a.dom} does not map ref ${a.ref}`),
    effect: (d, a) => {
      d.alloc.remote.splice(
        d.alloc.remote.findIndex((m) => m.dom === a.dom && m.ref === a.ref),
        1,
      );
    },
  };
}
