// One patch per variation point (gntalloc's choices one by one): each changes that point alone on a
// base where the point matters, checked on a configuration that reaches what it changes. The test
// records each one's outcome; a patch whose change reaches nothing new is recorded as such (and
// `grantcheck check --design-file` would warn). `dynamicOrder` is refused: it is the orderings
// tool's marker, not a kernel choice.
import { defineDesign, type Design, type PointName } from 'grantcheck';
import munmapWithoutNotifier from './munmap-without-notifier.js';

/** A point's patch and the configuration it is checked on. */
export interface PointPatch {
  readonly design: () => Design;
  readonly config: string;
}

const patch = (point: string, base: string | Design, points: Parameters<typeof defineDesign>[0]['points'], summary: string, config: string): PointPatch => ({
  design: () => defineDesign({ base, name: `point-${point.replace('.', '-')}`, summary, ...(points ? { points } : {}) }),
  config,
});

/** early-unpin whose mmap sets has_foreign_mappings (which nothing reads there yet). */
const earlyUnpinFlagged = defineDesign({ base: 'early-unpin', name: 'early-unpin-flagged', summary: 'mmap sets has_foreign_mappings', points: { setsHasForeignMappings: true } });

/** Every variation point, and each of gntalloc's choices, with a patch that changes it. */
export const POINTS: { readonly [P in PointName | `gntalloc.${'delGref' | 'vmPriv' | 'offsets' | 'getOffsetForVaddr' | 'delGrefOrder'}`]: PointPatch } = {
  pv: patch('pv', 'gntdev-2022', { pv: false }, 'HVM: grants mapped onto the placeholder pages', 'tiny'),
  exitSteps: patch('exitSteps', 'gntdev-2022', { exitSteps: ['mmu_notifier_release', 'unmap_vmas', 'arch_exit_mmap', 'free_pgtables', 'remove_vma'] }, 'exit_mmap unpins after the zap', 'tiny'),
  munmapSteps: { design: () => munmapWithoutNotifier, config: 'tiny' },
  munmapSplit: patch('munmapSplit', 'gntdev-2019', { munmapSplit: 'original-unmapped' }, "a partial munmap's split leaves the original VMA struct to the unmapped piece", 'tiny'),
  munmapDowngrade: patch('munmapDowngrade', 'gntdev-2022', { munmapDowngrade: false }, 'munmap keeps mmap_lock for writing through its teardown (before 4.20)', 'read-side'),
  mapFixedOrder: patch('mapFixedOrder', 'gntdev-2022', { mapFixedOrder: 'v6.12' }, "MAP_FIXED closes the old VMAs, mmaps, then puts the old files", 'twomaps'),
  // archExitMmap matters only where mmap sets has_foreign_mappings: the base is a patch that does
  archExitMmap: patch('archExitMmap', earlyUnpinFlagged, { archExitMmap: 'unpin-unless-foreign' }, 'XenLinux skips the early unpin while the mm has foreign mappings', 'tiny'),
  unpinGrantPtes: patch('unpinGrantPtes', 'early-unpin', { unpinGrantPtes: 'shadow-teardown' }, "unpin tears the grant PTEs down from a shadow page", 'tiny'),
  zapGrantPte: patch('zapGrantPte', munmapWithoutNotifier, { zapGrantPte: 'zap-hook' }, 'the zap unmaps a grant PTE through a zap hook', 'tiny'),
  restoreBacking: patch('restoreBacking', 'shadow-handle-page', { restoreBacking: false }, 'the shadow teardown does not restore the backing', 'small'),
  notifier: patch('notifier', 'gntdev-2022', { notifier: 'per-file' }, 'one classic notifier per file', 'tiny'),
  freeableMaps: patch('freeableMaps', 'gntdev-2011', { freeableMaps: true }, 'the unmap ioctl parks a mmapped map on freeable_maps', 'tiny'),
  invalidateBounds: patch('invalidateBounds', 'gntdev-2022', { invalidateBounds: 'map-vma' }, "invalidate bounded by map->vma, which 2022 no longer tracks", 'tiny'),
  notifierRemoval: patch('notifierRemoval', 'gntdev-2022', { notifierRemoval: 'every-close' }, 'the interval notifier is removed at every VMA close', 'tiny'),
  unmapIoctl: patch('unmapIoctl', 'gntdev-2022', { unmapIoctl: 'ebusy' }, 'the unmap ioctl refuses a mmapped map', 'tiny'),
  mmapOnce: patch('mmapOnce', 'gntdev-2022', { mmapOnce: 'none' }, 'a map may be mmapped again', 'tiny'),
  tracksMapVma: patch('tracksMapVma', 'gntdev-2022', { tracksMapVma: true }, 'gntdev remembers map->vma', 'tiny'),
  unmapWait: patch('unmapWait', 'gntdev-2022', { unmapWait: 'sync' }, 'unmap waits for page references (gnttab_unmap_refs_sync)', 'gpu'),
  liveGrants: patch('liveGrants', 'gntdev-2022', { liveGrants: false }, 'no live_grants or being_removed', 'tiny'),
  // in PV the grants are gone before the final put either way: HVM unmaps them at the final put
  notifyEvent: patch('notifyEvent', 'gntdev-2022-hvm', { notifyEvent: 'before-unmap' }, 'the unmap event is sent before the grants are unmapped', 'small'),
  clearByte: patch('clearByte', 'gntdev-2011', { clearByte: 'kernel-address' }, 'the CLEAR_BYTE write goes through the kernel alias', 'small'),
  hasUnmapNotify: patch('hasUnmapNotify', 'gntdev-2022', { hasUnmapNotify: false }, 'no SET_UNMAP_NOTIFY', 'small'),
  specialPtes: patch('specialPtes', 'gntdev-2022', { specialPtes: false }, 'grant PTEs without _PAGE_SPECIAL', 'gup-io'),
  placeholder: patch('placeholder', 'gntdev-2022', { placeholder: 'own' }, 'placeholder pages with their own frames', 'tiny'),
  setsHasForeignMappings: patch('setsHasForeignMappings', 'has-foreign-mappings', { setsHasForeignMappings: false }, 'mmap never sets has_foreign_mappings', 'tiny'),
  refcounted: patch('refcounted', 'gntdev-2022', { refcounted: false }, 'maps freed by hand, not reference counted', 'tiny'),
  kernelAlias: patch('kernelAlias', 'gntdev-2022', { kernelAlias: false }, 'no kernel alias of the placeholder pages', 'tiny'),
  mmapErrorUnmaps: patch('mmapErrorUnmaps', 'gntdev-2022', { mmapErrorUnmaps: false }, "the mmap error path leaves the grants to mmap_region's zap", 'small'),
  mmapErrorClearsVma: patch('mmapErrorClearsVma', 'gntdev-2019', { mmapErrorClearsVma: false }, 'the mmap error path leaves map->vma set', 'small'),
  notifierProtocol: patch('notifierProtocol', 'notifier-v5', { notifierProtocol: 'v3' }, 'the secondary MMU is not held off between start and end', 'smmu-gru'),
  gupLookup: patch('gupLookup', 'gntdev-2022', { gupLookup: 'm2p' }, 'get_user_pages finds the page through the global M2P', 'gup-io'),
  pageArraySplit: patch('pageArraySplit', 'draft-b-page-array', { pageArraySplit: false }, "the VMA's page array is not split with the VMA", 'gup-io'),
  m2pOverride: patch('m2pOverride', 'plain-m2p', { m2pOverride: true }, 'the m2p override table is kept', 'gup-io'),
  kunmap: patch('kunmap', 'm2p-override-unmap-and-replace', { kunmap: 'two-step' }, 'the kernel alias is unmapped in two steps', 'gup-io'),
  granterRevoke: patch('granterRevoke', 'gntdev-2022', { granterRevoke: 'query-then-reuse' }, 'B queries, then reuses the page whatever its revoke answered', 'small'),
  dynamicOrder: { design: () => defineDesign({ base: 'gntdev-2022', name: 'point-dynamicOrder', summary: 'every order', points: { dynamicOrder: { sequence: 'exit' } } as never }), config: 'tiny' },
  gntalloc: patch('gntalloc', 'gntalloc-2022', { gntalloc: { delGref: 'query-revoke-free', vmPriv: 'first-gref' } }, "gntalloc 2011's __del_gref and vm_private_data", 'alloc-small'),
  'gntalloc.delGref': patch('gntalloc.delGref', 'gntalloc-2022', { gntalloc: { delGref: 'query-revoke-free' } }, '__del_gref queries, revokes and frees whatever the revoke says', 'alloc-small'),
  'gntalloc.vmPriv': patch('gntalloc.vmPriv', 'gntalloc-2022', { gntalloc: { vmPriv: 'first-gref' } }, 'vm_private_data is the first gref', 'alloc-small'),
  'gntalloc.offsets': patch('gntalloc.offsets', 'gntalloc-2022', { gntalloc: { offsets: 'user-fixed' } }, 'ALLOC_GREF at a caller-chosen offset', 'alloc-offsets'),
  'gntalloc.getOffsetForVaddr': patch('gntalloc.getOffsetForVaddr', 'gntalloc-2022', { gntalloc: { getOffsetForVaddr: true } }, 'GET_OFFSET_FOR_VADDR for gntalloc', 'alloc-small'),
  'gntalloc.delGrefOrder': patch('gntalloc.delGrefOrder', 'gntalloc-2022', { gntalloc: { delGrefOrder: ['notify', 'free', 'revoke'] } }, '__del_gref frees the page before it revokes the grant', 'alloc-small'),
};
