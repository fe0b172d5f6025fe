/**
 * The grant-mapping model: state, actions, designs and configurations. Properties read the state
 * through the helpers exported here; the model never imports them.
 */
export { grantModel, isFinal, contextOf, nextOf, initialGhost } from './model.js';
export { stateLayout, stateSymmetry } from './layout.js';
export type { GhostVariable, Next } from './model.js';
export type { State, BGrant, Handle, Pte, L1, Vma, Op, Proc, GntdevFile, Page, MapSlot, Notify, GrantMap, AsyncUnmap, Reader, UnmapRun, TeardownStep, Holder, M2pOverride, Smmu, Spte, DelGrefStep, SequenceStep } from './state.js';
export type { AllocState, AllocPage, AllocGrant, RemoteMap, Gref, AllocFile, AllocVmPriv, AllocAdding, Deferred, AllocCall, DelGref } from './state.js';
export { NONE, NO_OP, NO_PTE, NO_SPTE, NO_SMMU, initialState, initialAlloc, DEL_GREF_STEPS } from './state.js';
export type { Action, ActionKind, MapFail } from './action.js';
export { formatAction, ACTION_KINDS } from './action.js';
export type { ModelConfig, MapFailures, GntallocConfig } from './config.js';
export { configs, validateConfig } from './config.js';
export type { Design, GntallocChoices, PointName, PointDomain } from './design.js';
export { EXIT_MMAP_STEPS, MUNMAP_STEPS, validateDesign, GNTALLOC_2022, gntallocOf, delGrefSplit, VARIATION_POINTS, GNTALLOC_POINTS, DESIGN_NAMES } from './design.js';
export { designs, designNamed } from './designs/index.js';
export type { Ctx } from './internal/ctx.js';
export { KERNEL, KERNEL_HOOKS, type Kernel } from './internal/kernel.js';
export { l1Of, userPteIntact, handleIndex } from './internal/xen.js';
export { pageCount } from './internal/gntdev.js';
export { getOffsetForVaddr, gntallocGetOffsetForVaddr, type OffsetAnswer } from './queries.js';
export { allocPageFree, remoteMappings } from './internal/gnttab.js';
export { findGrefs } from './internal/gntalloc.js';
export { candidateActions, rules } from './next.js';
export { waitForGraph, waitCycle, type WaitEdge } from './waits.js';
export { mfnToPage, resolveGup, type GupResult } from './internal/gup.js';
// What a user's design (a design file) builds on: the extension point, and the kernel helpers
// the model's own rules are written with (guard clauses, zap, notifier calls, unpin, unmap).
export type { ModelExtension } from './model.js';
export { notRunning, mmBusy, stepRange, stepRule, stepsOf, nextStepAllowed } from './actions/common.js';
export { TEARDOWN_STEPS } from './actions/teardownSteps.js';
export { beginMunmap } from './actions/doMunmap.js';
export { vmaAt, zapPte, zapVmas, zapRange, unpinMm, unpinL1, freePgtables, allocPgtables, splitVma, fput, removeVmas, teardownGrantSlot } from './internal/mm.js';
export { restoredP2m, removeOverride } from './internal/xen.js';
export {
  invalidateRange,
  invalidateRangeEnd,
  notifierRelease,
  unmapGrantPages,
  gnttabUnmapRefs,
  completeUnmap,
  putMap,
  freeMap,
  gntdevVmaOpen,
  gntdevVmaClose,
  gntdevRelease,
  liveGrantsMapped,
  liveGrantsUnmapped,
  anyPageReferenced,
  referencesOf,
  dropHolder,
} from './internal/gntdev.js';
export { setForeignP2mMapping, clearForeignP2mMapping } from './internal/p2m.js';
export { doMmapAt, mmapRefusal, mmapErrorPath, mmapNotifierInsertFailed, freeRange } from './internal/mmap.js';
export { grantMappable, mapUserGrant, mapKernelGrant, unmapUserGrant, unmapKernelGrant, type UnmapStatus } from './internal/xen.js';
export {
  delGrefs,
  doCleanup,
  cleanupPending,
  allocRest,
  allocRefusal,
  kernelOffset,
  overlapping,
  heldOffsets,
  gntallocVmaOpen,
  gntallocVmaClose,
  gntallocRelease,
  allocFput,
  forgetGarbage,
} from './internal/gntalloc.js';
export { grantForeignAccess, queryForeignAccess, endForeignAccessRef, tryEndForeignAccess, endForeignAccess, addDeferred, handleDeferred, putAllocPage, freeAllocPages, freeRefs } from './internal/gnttab.js';
