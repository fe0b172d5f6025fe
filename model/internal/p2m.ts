/**
 * The p2m side of a grant mapping (arch/x86/xen/p2m.c, v6.1): set_foreign_p2m_mapping after the
 * map hypercalls, clear_foreign_p2m_mapping in gnttab_unmap_refs. Helpers that mutate a draft; the
 * model calls them through `ctx.kernel` (kernel.ts), so a design may replace them.
 */
import type { Draft } from 'immer';
import type { State } from '../state.js';
import type { Ctx } from './ctx.js';
import { restoredP2m, unmapKernelGrant, unmapUserGrant } from './xen.js';

type D = Draft<State>;

/**
 * set_foreign_p2m_mapping for slot `slot` of a map whose user and kernel-alias maps succeeded: the
 * placeholder page's p2m entry becomes FOREIGN_FRAME(mfn). When set_phys_to_machine fails (`fail`,
 * PV only: a p2m page could not be allocated), the slot's statuses become GNTST_general_error and
 * both maps are undone at once (GNTTABOP_unmap_grant_ref of the user PTE and the kernel alias, the
 * handles set to INVALID_GRANT_HANDLE): gntdev then counts neither and fails the mmap. An HVM
 * guest's frame was made foreign by Xen's map itself. Answers whether the slot stays mapped.
 */
export function setForeignP2mMapping(d: D, ctx: Ctx, map: number, slot: number, fail: boolean): boolean {
  const sl = d.maps[map]!.slots[slot]!;
  if (!fail || !ctx.design.pv) {
    sl.page.p2m = 'foreign';
    return true;
  }
  if (sl.user) unmapUserGrant(d, ctx.config, map, slot);
  if (sl.kernel) unmapKernelGrant(d, map, slot);
  sl.user = false;
  sl.kernel = false;
  return false;
}

/**
 * clear_foreign_p2m_mapping over slots [offset, offset + count) of a map: each p2m entry that holds
 * a FOREIGN_FRAME goes back to what the placeholder had (INVALID_P2M_ENTRY for a ballooned page),
 * then GNTTABOP_unmap_grant_ref of the kernel aliases. In the m2p override era the alias unmap
 * left a zero mapping until the original was reinstated (two steps, Design.kunmap). Answers how many
 * kernel-alias handles Xen unmapped.
 */
export function clearForeignP2mMapping(d: D, ctx: Ctx, map: number, offset: number, count: number): number {
  const m = d.maps[map]!;
  for (let i = offset; i < offset + count; i++) {
    const page = m.slots[i]!.page;
    if (page.p2m === 'foreign') page.p2m = restoredP2m(ctx.design);
  }
  let ok = 0;
  for (let i = offset; i < offset + count; i++) {
    const sl = m.slots[i]!;
    if (!sl.kernel) continue;
    if (unmapKernelGrant(d, map, i) === 'okay') ok++;
    if (ctx.design.pv && ctx.design.kunmap === 'two-step') sl.page.kmapGap = true;
  }
  return ok;
}
