/**
 * The grant-mapping model: state, actions, designs and configurations. Properties read the state
 * through the helpers exported here; the model never imports them.
 */
export { grantModel, isFinal } from './model.js';
export type { State, BGrant, Handle, Pte, L1, Vma, Op, Proc, GntdevFile, Page, MapSlot, Notify, GrantMap, AsyncUnmap, TeardownStep, Holder, M2pOverride, Smmu, Spte, DelGrefStep, SequenceStep } from './state.js';
export type { AllocState, AllocPage, AllocGrant, RemoteMap, Gref, AllocFile, AllocVmPriv, AllocAdding, Deferred, AllocCall, DelGref } from './state.js';
export { NONE, initialState, initialAlloc, DEL_GREF_STEPS } from './state.js';
export type { Action, ActionKind, MapFail } from './action.js';
export { formatAction } from './action.js';
export type { ModelConfig, MapFailures, GntallocConfig } from './config.js';
export { configs, validateConfig } from './config.js';
export type { Design, GntallocChoices } from './design.js';
export { EXIT_MMAP_STEPS, MUNMAP_STEPS, validateDesign, GNTALLOC_2022, gntallocOf, delGrefSplit } from './design.js';
export { designs, designNamed } from './designs/index.js';
export type { Ctx } from './internal/ctx.js';
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
export { notRunning, mmBusy, stepRange } from './actions/common.js';
export { vmaAt, zapPte, zapRange, unpinMm, freePgtables } from './internal/mm.js';
export { invalidateRange, invalidateRangeEnd, unmapGrantPages, putMap } from './internal/gntdev.js';
