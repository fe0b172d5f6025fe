/**
 * The properties of the grant model. Each is one record: its name and short name, the kernel
 * invariant it checks (INV-1 ... in shared/domain/regressions.md), what it means, where it applies
 * (a predicate on the design and configuration, and the same in words), the regression cases it
 * guards, how it is built, and the `sometimes` witnesses that keep it from holding vacuously.
 * `propertiesFor` assembles the records that apply to a design and configuration, then their
 * witnesses, each witness naming (witnessFor) the applicable records that list it.
 */
import type { Property, SometimesProperty } from '../explorer/index.js';
import { gntallocOf, type Action, type Ctx, type State } from '../model/index.js';
import { inv1, INV1 } from './inv1.js';
import { inv2, INV2, inv2Quiescence, INV2_QUIESCENCE } from './inv2.js';
import { inv5, INV5 } from './inv5.js';
import { inv7, INV7 } from './inv7.js';
import { BACKING, backingRestored, LIVE_GRANTS, liveGrants, NO_USE_AFTER_FREE, noUseAfterFree, USERS, users } from './maps.js';
import { DMA_UNMAP, dmaUnmap, INV4, inv4, INV6, inv6, KMAP, kmap, NO_ACCESS_AFTER_UNMAP, noAccessAfterUnmap, P2M, p2mConsistent, pageWitnesses } from './pages.js';
import { SMMU_COHERENT, SMMU_RELEASED, smmuCoherent, smmuReleased, smmuWitnesses } from './smmu.js';
import { typeOk } from './typeOk.js';
import { witnesses } from './witnesses.js';
import { ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_NO_UAF, ALLOC_NOTIFY, ALLOC_OFFSETS, ALLOC_USERS, allocAccounted, allocNoLeak, allocNotify, allocNoUseAfterFree, allocOffsets, allocUsers, gntallocWitnesses, INV3, inv3 } from './gntalloc.js';
import { GET_OFFSET, getOffset } from './offsets.js';
import { granterWitnesses, INV3_B, inv3Granter } from './granter.js';
import { NOTIFIER_LIFECYCLE, notifierLifecycle, notifierWitnesses } from './notifier.js';

export { INV1, INV2, INV2_QUIESCENCE, INV5, INV7, USERS, LIVE_GRANTS, NO_USE_AFTER_FREE, BACKING, SMMU_COHERENT, SMMU_RELEASED, INV6, NO_ACCESS_AFTER_UNMAP, KMAP, P2M, DMA_UNMAP, INV4 };
export { NOTIFIER_LIFECYCLE, INV3_B, INV3, ALLOC_ACCOUNTED, ALLOC_NO_LEAK, ALLOC_OFFSETS, ALLOC_USERS, ALLOC_NO_UAF, ALLOC_NOTIFY, GET_OFFSET };

/** One property of the model, everything known about it in one place. */
export interface PropertyRecord {
  /** The full name (reports, `--property`, tests). */
  readonly name: string;
  /** The short name: table column and CLI (`INV-2q`, `users`). */
  readonly short: string;
  /** The numbered invariant it checks (regressions.md), or '-' for a consistency property of the model. */
  readonly invariant: string;
  /** What it means, in one or two sentences (`grantcheck explain`). */
  readonly meaning: string;
  /** Where it applies, in words (the same condition as `applies`). */
  readonly appliesTo: string;
  /** Whether it applies to a design under a configuration. */
  readonly applies: (ctx: Ctx) => boolean;
  /** The regression cases (and seed threads) it guards. */
  readonly cases: readonly string[];
  /** The property itself. */
  readonly make: (ctx: Ctx) => Property<State, Action>;
  /** The witnesses (by name) that keep it from holding vacuously, where they apply. */
  readonly witnesses: readonly string[];
}

const gntdev = (ctx: Ctx) => ctx.config.maxMaps > 0;
const alloc = (ctx: Ctx) => ctx.config.gntalloc !== undefined;
const pinsHeld = (ctx: Ctx) => ctx.config.pins > 0;
const secondary = (ctx: Ctx) => ctx.config.secondary !== 'none';

// the witnesses' names, as the witness builders spell them
const W = {
  pinnedGrantPte: 'a grant PTE in a pinned L1',
  exitsMapped: 'a process exits with grants mapped',
  split: 'a VMA splits with live grants',
  ioctlUnmapMapped: 'the ioctl unmap happens while the map is still mmapped',
  halfMapped: "one slot's user mapping succeeds while its kernel mapping fails",
  mapFreed: 'a map with grants mapped is freed',
  notifyFires: 'the unmap notify clears the byte and sends the event',
  allExited: 'every process has exited',
  smmuMapping: 'a secondary mapping exists',
  smmuRace: 'a secondary fault races with an invalidation',
  smmuReleased: 'the secondary MMU is released',
  xpmemSleeps: 'an invalidation sleeps for the remote side',
  gupHolds: 'gup holds a page of a grant mapping',
  ioInFlight: 'I/O is in flight while its grant is being unmapped',
  kaliasUnmapped: 'a kernel alias is unmapped',
  dmaCompletes: 'a DMA of a grant page completes',
  gpuDuringMunmap: 'a GPU pins a grant page during a munmap',
  twoPlaces: 'one frame is mapped at two places',
  remoteEarly: 'a remote domain maps a grant before ALLOC_GREF returns',
  deallocMapped: 'a gref is deallocated while still mmapped',
  twoAllocs: 'a file holds two allocations',
  allocAllExited: 'every process exited after using gntalloc, and the remotes unmapped',
  allocShared: 'a gntalloc mapping is shared by two VMAs (split or fork)',
  deferredMapped: 'a still-mapped page waits on the deferred list',
  deferredEnds: 'a deferred entry can be ended (its ref is unmapped)',
  queryWindow: 'a remote domain maps between the query and the revoke',
  addDeferredFails: 'gnttab_add_deferred fails: a page and ref leak',
  twoRemotes: 'two remote domains map at once',
  allocNotifyFires: 'the gntalloc unmap notify clears the byte and sends the event',
  allocSplitOffset: 'GET_OFFSET_FOR_VADDR answers inside a split gntalloc mapping',
  bEndsMapped: 'B ends a grant that A had mapped',
  notifierRemoved: 'an interval notifier is removed',
  notifierSplit: 'a map with an inserted notifier is split into two VMAs',
  bQueryWindow: "A maps a ref between B's query and its revoke",
} as const;

/** Every property of the model, in report order. */
export const PROPERTIES: readonly PropertyRecord[] = [
  {
    name: 'TypeOK',
    short: 'TypeOK',
    invariant: '-',
    meaning: 'Every variable stays in its domain (ids, counters, VMA bounds).',
    appliesTo: 'every design and configuration',
    applies: () => true,
    cases: [],
    make: typeOk,
    witnesses: [],
  },
  {
    name: INV1,
    short: 'INV-1',
    invariant: 'INV-1',
    meaning: 'A PTE holding a grant mapping is removed only by GNTTABOP_unmap_grant_ref with its handle: never cleared by a zap, by an unpin of its page table, or by freeing the page table.',
    appliesTo: 'configurations with gntdev maps (maxMaps > 0)',
    applies: gntdev,
    cases: ['17 (early unpin)', '1 (VMA split)'],
    make: inv1,
    witnesses: [W.pinnedGrantPte, W.exitsMapped, W.split],
  },
  {
    name: INV2,
    short: 'INV-2',
    invariant: 'INV-2',
    meaning: 'Each successful map handle is unmapped exactly once: the driver never holds a handle Xen has dropped, and never forgets one Xen still holds.',
    appliesTo: 'configurations with gntdev maps',
    applies: gntdev,
    cases: ['17', '1'],
    make: inv2,
    witnesses: [W.exitsMapped, W.halfMapped],
  },
  {
    name: INV2_QUIESCENCE,
    short: 'INV-2q',
    invariant: 'INV-2',
    meaning: 'When nothing is left to run, no grant handle of A is live in Xen.',
    appliesTo: 'configurations with gntdev maps',
    applies: gntdev,
    cases: ['17', '1'],
    make: inv2Quiescence,
    witnesses: [W.allExited],
  },
  {
    name: INV5,
    short: 'INV-5',
    invariant: 'INV-5',
    meaning: 'PV: an L1 page table holding grant PTEs stays pinned until they are unmapped.',
    appliesTo: 'PV designs, with gntdev maps',
    applies: (ctx) => gntdev(ctx) && ctx.design.pv,
    cases: ['17'],
    make: inv5,
    witnesses: [W.pinnedGrantPte, W.exitsMapped],
  },
  {
    name: USERS,
    short: 'users',
    invariant: '-',
    meaning: "gntdev's map->users equals its holders: priv->maps, each VMA, each async unmap in flight.",
    appliesTo: 'reference-counted designs (2.6.39+), with gntdev maps',
    applies: (ctx) => gntdev(ctx) && ctx.design.refcounted,
    cases: ['8'],
    make: users,
    witnesses: [W.split, W.ioctlUnmapMapped],
  },
  {
    name: LIVE_GRANTS,
    short: 'live_grants',
    invariant: 'INV-2',
    meaning: "gntdev's live_grants equals the number of grant handles the map holds.",
    appliesTo: 'designs with the 2022 accounting (live_grants, being_removed), with gntdev maps',
    applies: (ctx) => gntdev(ctx) && ctx.design.liveGrants,
    cases: [],
    make: liveGrants,
    witnesses: [W.exitsMapped, W.halfMapped],
  },
  {
    name: NO_USE_AFTER_FREE,
    short: 'no-UAF',
    invariant: '-',
    meaning: 'No list, VMA, notifier or in-flight unmap points at a freed map; no PTE maps a freed page.',
    appliesTo: 'configurations with gntdev maps',
    applies: gntdev,
    cases: ['8'],
    make: noUseAfterFree,
    witnesses: [W.ioctlUnmapMapped, W.mapFreed],
  },
  {
    name: BACKING,
    short: 'backing',
    invariant: 'I6 (seed 000)',
    meaning: 'A placeholder page is freed only with its physical backing (p2m) restored and no grant mapped onto it.',
    appliesTo: 'configurations with gntdev maps',
    applies: gntdev,
    cases: ['seed 000 restore flag'],
    make: backingRestored,
    witnesses: [W.mapFreed],
  },
  {
    name: INV7,
    short: 'INV-7',
    invariant: 'INV-7',
    meaning: 'The unmap notification clears the byte at most once and sends the event at most once, the byte first.',
    appliesTo: 'designs with IOCTL_GNTDEV_SET_UNMAP_NOTIFY, on configurations that use it',
    applies: (ctx) => gntdev(ctx) && ctx.design.hasUnmapNotify && ctx.config.unmapNotify,
    cases: [],
    make: inv7,
    witnesses: [W.notifyFires],
  },
  {
    name: NOTIFIER_LIFECYCLE,
    short: 'notifier',
    invariant: '-',
    meaning: "A map's MMU interval notifier is inserted once and removed once, before the map is freed: never removed again after its removal (mmu_interval_notifier_remove does not check), never left in the mm's tree of a freed map.",
    appliesTo: 'PV designs with a per-map interval notifier (2019+), with gntdev maps',
    applies: (ctx) => gntdev(ctx) && ctx.design.pv && ctx.design.notifier === 'per-map',
    cases: ['1 (VMA split: 2019 removes at every close)', 'seed 001 (notifier protocol)'],
    make: notifierLifecycle,
    witnesses: [W.notifierRemoved, W.notifierSplit],
  },
  {
    name: INV3_B,
    short: 'INV-3B',
    invariant: 'INV-3',
    meaning: "Domain B (the granting frontend) frees or reuses a granted page only after its revoke succeeded: never after a query said 'not in use' while A mapped the ref before the revoke.",
    appliesTo: 'configurations with gntdev maps in which B revokes and frees (granterActs)',
    applies: (ctx) => gntdev(ctx) && ctx.config.granterActs,
    cases: ['12 (XSA-396: blkfront, netfront, scsifront before their fixes): fails in the what-if frontend-before-xsa-396'],
    make: inv3Granter,
    witnesses: [W.bEndsMapped, W.bQueryWindow],
  },
  {
    name: SMMU_COHERENT,
    short: 'smmu',
    invariant: 'I3 (seed 001)',
    meaning: "A secondary MMU's mapping (KVM spte, GRU TLB entry, XPmem remote PTE) never outlives its primary mapping into a page that was freed or reused.",
    appliesTo: 'configurations with a secondary MMU',
    applies: secondary,
    cases: ['seed 001: EMMU notifiers V3 vs V5'],
    make: smmuCoherent,
    witnesses: [W.smmuMapping, W.smmuRace, W.xpmemSleeps],
  },
  {
    name: SMMU_RELEASED,
    short: 'smmu-rel',
    invariant: 'I3 (seed 001)',
    meaning: 'After mmu_notifier_release no secondary mapping remains.',
    appliesTo: 'configurations with a secondary MMU',
    applies: secondary,
    cases: ['seed 001'],
    make: smmuReleased,
    witnesses: [W.smmuReleased],
  },
  {
    name: INV6,
    short: 'INV-6',
    invariant: 'INV-6',
    meaning: 'get_user_pages on a foreign PTE yields the local placeholder page of that very mapping, never the M2P result or another slot.',
    appliesTo: 'configurations with page holders (pins > 0)',
    applies: pinsHeld,
    cases: ['19', 'seed 003 (page array split)'],
    make: inv6,
    witnesses: [W.gupHolds, W.twoPlaces],
  },
  {
    name: NO_ACCESS_AFTER_UNMAP,
    short: 'no-access',
    invariant: 'INV-3 / I7',
    meaning: 'A device, bio or retransmit holding a page never accesses it after the grant behind it was unmapped: unmap only when nothing else references the page.',
    appliesTo: 'configurations with page holders',
    applies: pinsHeld,
    cases: ['9'],
    make: noAccessAfterUnmap,
    witnesses: [W.ioInFlight],
  },
  {
    name: KMAP,
    short: 'kmap',
    invariant: 'I6',
    meaning: "A page's kernel linear mapping is never transiently absent or wrong (the two-step unmap-then-reinstate leaves a window).",
    appliesTo: 'configurations with page holders',
    applies: pinsHeld,
    cases: ['18'],
    make: kmap,
    witnesses: [W.kaliasUnmapped],
  },
  {
    name: P2M,
    short: 'p2m',
    invariant: 'I6',
    meaning: 'p2m FOREIGN_FRAME entries and m2p override entries exist only while the grant is mapped, and are gone before the page is freed.',
    appliesTo: 'configurations with page holders',
    applies: pinsHeld,
    cases: ['18', '19'],
    make: p2mConsistent,
    witnesses: [W.gupHolds, W.kaliasUnmapped],
  },
  {
    name: INV4,
    short: 'INV-4',
    invariant: 'INV-4',
    meaning: 'No cycle of waits: an MMU-notifier callback never waits for a page reference whose holder waits for that callback.',
    appliesTo: 'configurations with page holders',
    applies: pinsHeld,
    cases: ['4 (i915 deadlock)', '9'],
    make: inv4,
    witnesses: [W.gpuDuringMunmap],
  },
  {
    name: DMA_UNMAP,
    short: 'dma-unmap',
    invariant: 'seed 003',
    meaning: 'dma_unmap, given only the DMA (machine) address, finds the struct page, which a non-coherent device needs for cache maintenance.',
    appliesTo: 'PV designs on configurations with page holders and a non-coherent DMA device',
    applies: (ctx) => pinsHeld(ctx) && ctx.config.dmaNonCoherent && ctx.design.pv,
    cases: ['seed 003 (Stabellini)'],
    make: dmaUnmap,
    witnesses: [W.dmaCompletes],
  },
  {
    name: INV3,
    short: 'INV-3',
    invariant: 'INV-3',
    meaning: 'A granted page is freed or reused only after the revoke of its ref succeeded: never while a remote domain maps it, never while a ref still grants it.',
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: ['12 (XSA-396): fails in the what-if gntalloc-2011-revoke-assumed; gntalloc-2011 as its source reads leaks instead (a-leak); the frontends\' pattern is INV-3B'],
    make: inv3,
    witnesses: [W.remoteEarly, W.deferredMapped, W.queryWindow, W.twoRemotes],
  },
  {
    name: ALLOC_ACCOUNTED,
    short: 'a-acct',
    invariant: 'I5',
    meaning: 'Every granted page and ref is held by exactly one of: a live gref, a deferred entry, leaked_count; gref_size counts the live grefs.',
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: ['12'],
    make: allocAccounted,
    witnesses: [W.remoteEarly, W.deferredMapped, W.queryWindow, W.addDeferredFails],
  },
  {
    name: ALLOC_NO_LEAK,
    short: 'a-leak',
    invariant: 'I5',
    meaning: 'Once every process has exited and the remote domains have unmapped, every gntalloc page and ref is free.',
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: ['12'],
    make: allocNoLeak,
    witnesses: [W.allocAllExited, W.deferredMapped, W.deferredEnds, W.addDeferredFails],
  },
  {
    name: ALLOC_OFFSETS,
    short: 'a-offsets',
    invariant: '-',
    meaning: 'No two allocations of a gntalloc file hold the same file offset (kernel-chosen or user-chosen).',
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: ['seed 004'],
    make: allocOffsets,
    witnesses: [W.twoAllocs],
  },
  {
    name: ALLOC_USERS,
    short: 'a-users',
    invariant: '-',
    meaning: "A gref's users equals its holders (priv->list, each mapping of it); vm_priv->users equals the VMAs sharing it.",
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: [],
    make: allocUsers,
    witnesses: [W.deallocMapped, W.allocShared],
  },
  {
    name: ALLOC_NO_UAF,
    short: 'a-no-UAF',
    invariant: '-',
    meaning: 'No list or VMA keeps a pointer to a freed gref or vm_priv.',
    appliesTo: 'configurations with gntalloc',
    applies: alloc,
    cases: [],
    make: allocNoUseAfterFree,
    witnesses: [W.deallocMapped, W.allocShared],
  },
  {
    name: ALLOC_NOTIFY,
    short: 'a-notify',
    invariant: 'INV-7',
    meaning: "gntalloc's unmap notification fires once each way, only after the last local user, the byte before the event.",
    appliesTo: 'configurations with gntalloc and SET_UNMAP_NOTIFY',
    applies: (ctx) => alloc(ctx) && ctx.config.unmapNotify,
    cases: [],
    make: allocNotify,
    witnesses: [W.allocNotifyFires],
  },
  {
    name: GET_OFFSET,
    short: 'get-offset',
    invariant: '-',
    meaning: 'IOCTL_GNTDEV_GET_OFFSET_FOR_VADDR (and the proposed gntalloc one) answers an offset and count that contain the address and lie within its mapping.',
    appliesTo: 'configurations with gntdev maps, or gntalloc designs with the proposed ioctl',
    applies: (ctx) => gntdev(ctx) || (alloc(ctx) && gntallocOf(ctx.design).getOffsetForVaddr),
    cases: ['seed 004'],
    make: getOffset,
    witnesses: [W.split, W.allocSplitOffset],
  },
];

/** The record of a property, by full name. */
export function propertyRecord(name: string): PropertyRecord | undefined {
  return PROPERTIES.find((r) => r.name === name);
}

/** The witnesses that apply to a design and configuration, in report order. */
function witnessesFor(ctx: Ctx): SometimesProperty<State>[] {
  return [
    ...(gntdev(ctx) ? witnesses(ctx) : []),
    ...(gntdev(ctx) && ctx.design.pv && ctx.design.notifier === 'per-map' ? notifierWitnesses(ctx) : []),
    ...(gntdev(ctx) && ctx.config.granterActs ? granterWitnesses(ctx) : []),
    ...(secondary(ctx) ? smmuWitnesses(ctx) : []),
    ...(pinsHeld(ctx) ? pageWitnesses(ctx) : []),
    ...(alloc(ctx) ? gntallocWitnesses(ctx) : []),
  ];
}

/**
 * The properties that apply to the design and configuration, in report order: the records that
 * apply, then the witnesses, each naming the applicable records that list it.
 */
export function propertiesFor(ctx: Ctx): Property<State, Action>[] {
  const records = PROPERTIES.filter((r) => r.applies(ctx));
  const ws = witnessesFor(ctx).map((w) => ({ ...w, witnessFor: records.filter((r) => r.witnesses.includes(w.name)).map((r) => r.name) }));
  return [...records.map((r) => r.make(ctx)), ...ws];
}

/** What each property means, which kernel invariant it checks, and its regression cases (from the records). */
export const propertyDocs: Readonly<Record<string, { readonly invariant: string; readonly meaning: string; readonly cases: readonly string[] }>> = Object.fromEntries(
  PROPERTIES.map((r) => [r.name, { invariant: r.invariant, meaning: r.meaning, cases: r.cases }]),
);
