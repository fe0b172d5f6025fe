/**
 * Xen's side of a grant mapping: GNTTABOP_map_grant_ref / GNTTABOP_unmap_grant_ref on A's
 * maptrack (xen/common/grant_table.c, xen/arch/x86/mm.c create/destroy_grant_pte_mapping), and
 * what unpinning a page-table page does to the grant PTEs in it (MMUEXT_UNPIN_TABLE: free_l1_table
 * -> put_page_from_l1e). Helpers that mutate a draft; they are not actions.
 */
import { castDraft, type Draft } from 'immer';
import type { ModelConfig } from '../config.js';
import type { Design } from '../design.js';
import { NO_PTE, NONE, type Handle, type State } from '../state.js';

type D = Draft<State>;

/** Where a handle sits in the sorted maptrack, or -1. */
export function handleIndex(s: State, map: number, slot: number, kind: Handle['kind']): number {
  return s.handles.findIndex((h) => h.map === map && h.slot === slot && h.kind === kind);
}

/** Inserts a handle keeping the maptrack sorted by (map, slot, kind). */
function addHandle(d: D, h: Handle): void {
  const key = (x: Handle) => (x.map * 64 + x.slot) * 2 + (x.kind === 'user' ? 0 : 1);
  let i = 0;
  while (i < d.handles.length && key(d.handles[i]!) < key(h)) i++;
  d.handles.splice(i, 0, h);
}

/** The L1 page covering virtual page `va`. */
export function l1Of(config: ModelConfig, va: number): number {
  return Math.floor(va / config.ptesPerL1);
}

/** Whether B's entry still carries GTF_permit_access: granted, queried, or reused with its ref still deferred. */
export function grantPermitted(state: State['grants'][number]['state']): boolean {
  return state === 'granted' || state === 'queried' || state === 'reused';
}

/** True when a grant ref may be mapped (GTF_permit_access, and write access if asked). */
export function grantMappable(s: State, ref: number, writable: boolean): boolean {
  const g = s.grants[ref];
  return g !== undefined && grantPermitted(g.state) && (!writable || !g.readonly);
}

/**
 * A user handle's PTE is intact when Xen still holds it: the L1 is present and pinned (typed as an
 * L1 page table) and the PTE still maps this grant. A live user handle whose PTE is not intact has
 * been implicitly unmapped (INV-1).
 */
export function userPteIntact(s: State, config: ModelConfig, h: Handle): boolean {
  const p = s.procs[h.proc];
  if (!p) return false;
  const l1 = p.l1[l1Of(config, h.va)];
  const pte = p.ptes[h.va];
  return !!l1 && l1.present && l1.pinned && !!pte && pte.kind === 'grant' && pte.map === h.map && pte.slot === h.slot;
}

/**
 * GNTTABOP_map_grant_ref with GNTMAP_contains_pte at A's PTE (proc, va): Xen checks the grant and
 * that the PTE's page is a pinned L1 ("Grant map attempted to update a non-L1 page"), writes the
 * PTE and records the handle. `forceFail` is a nondeterministic failure (maptrack full...).
 */
export function mapUserGrant(d: D, config: ModelConfig, design: Design, map: number, slot: number, ref: number, proc: number, va: number, writable: boolean, forceFail: boolean): boolean {
  const p = d.procs[proc]!;
  const l1 = p.l1[l1Of(config, va)]!;
  if (forceFail || !grantMappable(d, ref, writable) || !l1.present || !l1.pinned) return false;
  p.ptes[va] = { kind: 'grant', map, slot, special: design.specialPtes };
  if (design.unpinGrantPtes === 'shadow-teardown' || design.zapGrantPte === 'shadow') l1.shadow = true;
  addHandle(d, { map, slot, kind: 'user', ref, proc, va });
  return true;
}

/** GNTTABOP_map_grant_ref as a host mapping of a slot's placeholder page (PV kernel alias; HVM: its guest frame). */
export function mapKernelGrant(d: D, map: number, slot: number, ref: number, writable: boolean, forceFail: boolean): boolean {
  if (forceFail || !grantMappable(d, ref, writable)) return false;
  addHandle(d, { map, slot, kind: 'kernel', ref, proc: NONE, va: NONE });
  return true;
}

/** Status of GNTTABOP_unmap_grant_ref. */
export type UnmapStatus = 'okay' | 'bad_handle' | 'general_error';

/**
 * GNTTABOP_unmap_grant_ref of a user handle: destroy_grant_pte_mapping requires the PTE's page to
 * be a pinned L1 and the PTE to still map the frame; then Xen clears the PTE and frees the handle.
 * Otherwise the handle stays live (and the grant stays mapped in Xen: B cannot revoke it).
 */
export function unmapUserGrant(d: D, config: ModelConfig, map: number, slot: number): UnmapStatus {
  const i = handleIndex(d, map, slot, 'user');
  if (i < 0) return 'bad_handle';
  const h = d.handles[i]!;
  if (!userPteIntact(d, config, h)) return 'general_error';
  d.procs[h.proc]!.ptes[h.va] = castDraft(NO_PTE);
  d.handles.splice(i, 1);
  return 'okay';
}

/** GNTTABOP_unmap_grant_ref of a host (kernel alias / HVM frame) handle. */
export function unmapKernelGrant(d: D, map: number, slot: number): UnmapStatus {
  const i = handleIndex(d, map, slot, 'kernel');
  if (i < 0) return 'bad_handle';
  d.handles.splice(i, 1);
  return 'okay';
}

/** m2p_remove_override (arch/x86/xen/p2m.c, 2010-2014): the override entry of a slot's page goes. */
export function removeOverride(d: D, map: number, slot: number): void {
  const i = d.overrides.findIndex((o) => o.map === map && o.slot === slot);
  if (i >= 0) d.overrides.splice(i, 1);
}

/**
 * The p2m entry a placeholder page goes back to when its grant is unmapped
 * (clear_foreign_p2m_mapping, arch/x86/xen/p2m.c): INVALID for a ballooned page, its own frame
 * for a page that was not ballooned.
 */
export function restoredP2m(design: Design): 'invalid' | 'own' {
  return design.placeholder === 'own' ? 'own' : 'invalid';
}
