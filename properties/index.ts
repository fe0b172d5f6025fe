/**
 * The properties of the grant model, each tied to its invariant (INV-1 ... in
 * shared/domain/regressions.md) and paired with witnesses. `propertiesFor` selects those that
 * apply to a design (INV-5 only in PV, live_grants only where the driver has it...).
 */
import type { Property } from '../explorer/index.js';
import type { Action, Ctx, State } from '../model/index.js';
import { inv1, INV1 } from './inv1.js';
import { inv2, INV2, inv2Quiescence, INV2_QUIESCENCE } from './inv2.js';
import { inv5, INV5 } from './inv5.js';
import { inv7, INV7 } from './inv7.js';
import { BACKING, backingRestored, LIVE_GRANTS, liveGrants, NO_USE_AFTER_FREE, noUseAfterFree, USERS, users } from './maps.js';
import { DMA_UNMAP, dmaUnmap, INV4, inv4, INV6, inv6, KMAP, kmap, NO_ACCESS_AFTER_UNMAP, noAccessAfterUnmap, P2M, p2mConsistent, pageWitnesses } from './pages.js';
import { SMMU_COHERENT, SMMU_RELEASED, smmuCoherent, smmuReleased, smmuWitnesses } from './smmu.js';
import { typeOk } from './typeOk.js';
import { witnesses } from './witnesses.js';
import { ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_NO_UAF, ALLOC_NOTIFY, ALLOC_OFFSETS, ALLOC_USERS, gntallocProperties, gntallocWitnesses, INV3 } from './gntalloc.js';
import { GET_OFFSET, getOffset } from './offsets.js';
import { gntallocOf } from '../model/index.js';

export { INV1, INV2, INV2_QUIESCENCE, INV5, INV7, USERS, LIVE_GRANTS, NO_USE_AFTER_FREE, BACKING, SMMU_COHERENT, SMMU_RELEASED, INV6, NO_ACCESS_AFTER_UNMAP, KMAP, P2M, DMA_UNMAP, INV4 };
export { INV3, ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_OFFSETS, ALLOC_USERS, ALLOC_NO_UAF, ALLOC_NOTIFY, GET_OFFSET };

/**
 * The properties that apply to the design and configuration, in report order: TypeOK, the
 * invariants, then the witnesses. gntdev's need gntdev maps (maxMaps > 0); gntalloc's need
 * config.gntalloc; GET_OFFSET_FOR_VADDR applies to whichever driver has the ioctl.
 */
export function propertiesFor(ctx: Ctx): Property<State, Action>[] {
  const { design } = ctx;
  const gntdev = ctx.config.maxMaps > 0;
  const alloc = ctx.config.gntalloc !== undefined;
  const gntdevProps: Property<State, Action>[] = [
    inv1(ctx),
    inv2(ctx),
    inv2Quiescence(ctx),
    ...(design.pv ? [inv5(ctx)] : []),
    ...(design.refcounted ? [users(ctx)] : []),
    ...(design.liveGrants ? [liveGrants(ctx)] : []),
    noUseAfterFree(ctx),
    backingRestored(ctx),
    ...(design.hasUnmapNotify && ctx.config.unmapNotify ? [inv7(ctx)] : []),
  ];
  return [
    typeOk(ctx),
    ...(gntdev ? gntdevProps : []),
    ...(ctx.config.secondary !== 'none' ? [smmuCoherent(ctx), smmuReleased(ctx)] : []),
    ...(ctx.config.pins > 0 ? [inv6(ctx), noAccessAfterUnmap(ctx), kmap(ctx), p2mConsistent(ctx), inv4(ctx)] : []),
    ...(ctx.config.pins > 0 && ctx.config.dmaNonCoherent && design.pv ? [dmaUnmap(ctx)] : []),
    ...(alloc ? gntallocProperties(ctx) : []),
    ...(gntdev || (alloc && gntallocOf(design).getOffsetForVaddr) ? [getOffset(ctx)] : []),
    ...(gntdev ? witnesses(ctx) : []),
    ...(ctx.config.secondary !== 'none' ? smmuWitnesses(ctx) : []),
    ...(ctx.config.pins > 0 ? pageWitnesses(ctx) : []),
    ...(alloc ? gntallocWitnesses(ctx) : []),
  ];
}

/** What each property means, which kernel invariant it checks, and the regression cases behind it (`grantcheck explain`). */
export const propertyDocs: Readonly<Record<string, { readonly invariant: string; readonly meaning: string; readonly cases: readonly string[] }>> = {
  TypeOK: { invariant: '-', meaning: 'Every variable stays in its domain (ids, counters, VMA bounds).', cases: [] },
  [INV1]: {
    invariant: 'INV-1',
    meaning: 'A PTE holding a grant mapping is removed only by GNTTABOP_unmap_grant_ref with its handle: never cleared by a zap, by an unpin of its page table, or by freeing the page table.',
    cases: ['17 (early unpin)', '1 (VMA split)'],
  },
  [INV2]: {
    invariant: 'INV-2',
    meaning: 'Each successful map handle is unmapped exactly once: the driver never holds a handle Xen has dropped, and never forgets one Xen still holds.',
    cases: ['17', '1'],
  },
  [INV2_QUIESCENCE]: { invariant: 'INV-2', meaning: 'When nothing is left to run, no grant handle of A is live in Xen.', cases: ['17', '1'] },
  [INV5]: { invariant: 'INV-5', meaning: 'PV: an L1 page table holding grant PTEs stays pinned until they are unmapped.', cases: ['17'] },
  [USERS]: { invariant: '-', meaning: "gntdev's map->users equals its holders: priv->maps, each VMA, each async unmap in flight.", cases: ['8'] },
  [LIVE_GRANTS]: { invariant: 'INV-2', meaning: "gntdev's live_grants equals the number of grant handles the map holds.", cases: [] },
  [NO_USE_AFTER_FREE]: { invariant: '-', meaning: 'No list, VMA, notifier or in-flight unmap points at a freed map; no PTE maps a freed page.', cases: ['8'] },
  [BACKING]: { invariant: 'I6 (seed 000)', meaning: 'A placeholder page is freed only with its physical backing (p2m) restored and no grant mapped onto it.', cases: ['seed 000 restore flag'] },
  [INV7]: { invariant: 'INV-7', meaning: 'The unmap notification clears the byte at most once and sends the event at most once, the byte first.', cases: [] },
  [SMMU_COHERENT]: {
    invariant: 'I3 (seed 001)',
    meaning: "A secondary MMU's mapping (KVM spte, GRU TLB entry, XPmem remote PTE) never outlives its primary mapping into a page that was freed or reused.",
    cases: ['seed 001: EMMU notifiers V3 vs V5'],
  },
  [SMMU_RELEASED]: { invariant: 'I3 (seed 001)', meaning: 'After mmu_notifier_release no secondary mapping remains.', cases: ['seed 001'] },
  [INV6]: { invariant: 'INV-6', meaning: 'get_user_pages on a foreign PTE yields the local placeholder page of that very mapping, never the M2P result or another slot.', cases: ['19', 'seed 003 (page array split)'] },
  [NO_ACCESS_AFTER_UNMAP]: { invariant: 'INV-3 / I7', meaning: 'A device, bio or retransmit holding a page never accesses it after the grant behind it was unmapped: unmap only when nothing else references the page.', cases: ['9'] },
  [KMAP]: { invariant: 'I6', meaning: "A page's kernel linear mapping is never transiently absent or wrong (the two-step unmap-then-reinstate leaves a window).", cases: ['18'] },
  [P2M]: { invariant: 'I6', meaning: 'p2m FOREIGN_FRAME entries and m2p override entries exist only while the grant is mapped, and are gone before the page is freed.', cases: ['18', '19'] },
  [DMA_UNMAP]: { invariant: 'seed 003', meaning: 'dma_unmap, given only the DMA (machine) address, finds the struct page, which a non-coherent device needs for cache maintenance.', cases: ['seed 003 (Stabellini)'] },
  [INV4]: { invariant: 'INV-4', meaning: 'No cycle of waits: an MMU-notifier callback never waits for a page reference whose holder waits for that callback.', cases: ['4 (i915 deadlock)', '9'] },
  [GET_OFFSET]: {
    invariant: '-',
    meaning: 'IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR (and the proposed gntalloc one) answers an offset and count that contain the address and lie within its mapping.',
    cases: ['seed 004'],
  },
  [INV3]: {
    invariant: 'INV-3',
    meaning: 'A granted page is freed or reused only after the revoke of its ref succeeded: never while a remote domain maps it, never while a ref still grants it.',
    cases: ['12 (XSA-396)'],
  },
  [ALLOC_ACCOUNTED]: { invariant: 'I5', meaning: 'Every granted page and ref is held by exactly one of: a live gref, a deferred entry, leaked_count; gref_size counts the live grefs.', cases: ['12'] },
  [ALLOC_NO_LEAK]: { invariant: 'I5', meaning: 'Once every process has exited and the remote domains have unmapped, every gntalloc page and ref is free.', cases: ['12'] },
  [ALLOC_OFFSETS]: { invariant: '-', meaning: 'No two allocations of a gntalloc file hold the same file offset (kernel-chosen or user-chosen).', cases: ['seed 004'] },
  [ALLOC_USERS]: { invariant: '-', meaning: "A gref's users equals its holders (priv->list, each mapping of it); vm_priv->users equals the VMAs sharing it.", cases: [] },
  [ALLOC_NO_UAF]: { invariant: '-', meaning: 'No list or VMA keeps a pointer to a freed gref or vm_priv.', cases: [] },
  [ALLOC_NOTIFY]: { invariant: 'INV-7', meaning: "gntalloc's unmap notification fires once each way, only after the last local user, the byte before the event.", cases: [] },
};
