/**
 * INV-3 for domain B, the granting frontend: B frees or reuses the page behind a grant only after
 * its revoke succeeded (regressions.md INV-3; case 12, XSA-396: blkfront, netfront and scsifront
 * queried, then revoked without checking, then reused the page). With B's checked revoke
 * (gnttab_try_end_foreign_access) it holds by construction; with the query it does not.
 */
import { always, sometimes, type AlwaysProperty, type SometimesProperty } from '../explorer/index.js';
import type { Ctx, State } from '../model/index.js';

export const INV3_B = "INV-3 B reuses a page only after its revoke succeeded";

/** No page of B is reused while its entry still grants it (the revoke failed) or while A still maps it. */
export function inv3Granter(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    INV3_B,
    (s: State) => {
      for (const [ref, g] of s.grants.entries()) {
        const live = s.handles.filter((h) => h.ref === ref).length;
        if (g.state === 'reused') return `B reused the page of ref ${ref} while its revoke had failed${live > 0 ? ` (A still maps it: ${live} live mapping(s))` : ' (the ref still grants it from B\'s deferred list)'}`;
        if (g.state === 'freed' && live > 0) return `B freed the page of ref ${ref} while A still maps it (${live} live mapping(s))`;
      }
      return true;
    },
    { description: "B frees or reuses a granted page only after gnttab_end_foreign_access_ref succeeded on its ref" },
  );
}

/** A ref B ended after A had mapped it, and (query designs) A mapping a ref B has queried. */
export function granterWitnesses(ctx: Ctx): SometimesProperty<State>[] {
  const out = [
    sometimes('B ends a grant that A had mapped', (s: State) =>
      s.grants.some((g, ref) => (g.state === 'revoked' || g.state === 'reused' || g.state === 'freed') && s.maps.some((m) => m.slots.some((sl, i) => m.refs[i] === ref && sl.page.wasMapped))),
    ),
  ];
  if (ctx.design.granterRevoke === 'query-then-reuse') {
    out.push(sometimes("A maps a ref between B's query and its revoke", (s: State) => s.grants.some((g, ref) => g.state === 'queried' && s.handles.some((h) => h.ref === ref))));
  }
  return out;
}
