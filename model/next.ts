/**
 * The Next relation on one screen: which rule gives each action kind its meaning, and the
 * candidate actions of a state in a fixed order (processes, then the kernel's workers, then B).
 * gntalloc's part (nextGntalloc.ts) joins only when the configuration has gntalloc.
 */
import type { RuleTable } from '../explorer/index.js';
import type { Action } from './action.js';
import { archExitMmap, archExitMmapPost, archExitMmapPre } from './actions/archExitMmap.js';
import { close } from './actions/close.js';
import { doExit, mmput } from './actions/doExit.js';
import { madviseDofork, madviseDontneed, madviseStep } from './actions/madvise.js';
import { mremap } from './actions/mremap.js';
import { doMunmap } from './actions/doMunmap.js';
import { dupMmap } from './actions/dupMmap.js';
import { exitFiles } from './actions/exitFiles.js';
import { freePgtables } from './actions/freePgtables.js';
import { freePage, gnttabEndForeignAccessRef, gnttabGrantForeignAccess, gnttabQueryForeignAccess } from './actions/granter.js';
import { gntdevIoctlGetOffsetForVaddr } from './actions/gntdevIoctlGetOffsetForVaddr.js';
import { gntdevIoctlMapGrantRef } from './actions/gntdevIoctlMapGrantRef.js';
import { gntdevIoctlSetUnmapNotify } from './actions/gntdevIoctlSetUnmapNotify.js';
import { gntdevIoctlUnmapGrantRef } from './actions/gntdevIoctlUnmapGrantRef.js';
import { gntdevMmap, mmapFailChoices } from './actions/gntdevMmap.js';
import { gntdevMmapErrorPath } from './actions/gntdevMmapErrorPath.js';
import { gntdevOpen } from './actions/gntdevOpen.js';
import { gnttabUnmapWork } from './actions/gnttabUnmapWork.js';
import { dmaAccess, dmaUnmapPage, getUserPages, gpuUserptrPin } from './actions/holders.js';
import { mmuNotifierInvalidateAll, mmuNotifierInvalidateRange, mmuNotifierInvalidateRangeEnd, mmuNotifierInvalidateRangeStart } from './actions/mmuNotifierInvalidateRange.js';
import { mmuNotifierRegister, smmuFault, smmuInstall, xpmemRemoteAck } from './actions/secondaryMmu.js';
import { mmuNotifierRelease } from './actions/mmuNotifierRelease.js';
import { removeVma } from './actions/removeVma.js';
import { unmapVmas } from './actions/unmapVmas.js';
import type { Ctx } from './internal/ctx.js';
import { gntallocCandidates, gntallocEnvCandidates, gntallocRules, withGrefMutex } from './nextGntalloc.js';
import { NONE, type State } from './state.js';

/** Every action kind's rule, for one design and configuration. With gntalloc, A's rules wait while gref_mutex is held. */
export function rules(ctx: Ctx): RuleTable<State, Action> {
  const table = allRules(ctx);
  if (!ctx.config.gntalloc) return table;
  const held: Record<string, unknown> = {};
  for (const [kind, rule] of Object.entries(table)) held[kind] = withGrefMutex(rule as Parameters<typeof withGrefMutex>[0], ctx);
  return held as unknown as RuleTable<State, Action>;
}

function allRules(ctx: Ctx): RuleTable<State, Action> {
  return {
    gntdev_open: gntdevOpen(ctx),
    close: close(ctx),
    gntdev_ioctl_map_grant_ref: gntdevIoctlMapGrantRef(ctx),
    gntdev_ioctl_unmap_grant_ref: gntdevIoctlUnmapGrantRef(ctx),
    gntdev_ioctl_get_offset_for_vaddr: gntdevIoctlGetOffsetForVaddr(ctx),
    gntdev_ioctl_set_unmap_notify: gntdevIoctlSetUnmapNotify(ctx),
    gntdev_mmap: gntdevMmap(ctx),
    gntdev_mmap_error_path: gntdevMmapErrorPath(ctx),
    do_munmap: doMunmap(ctx),
    mmu_notifier_release: mmuNotifierRelease(ctx),
    arch_exit_mmap: archExitMmap(ctx),
    arch_exit_mmap_pre: archExitMmapPre(ctx),
    arch_exit_mmap_post: archExitMmapPost(ctx),
    mmu_notifier_invalidate_all: mmuNotifierInvalidateAll(ctx),
    mmu_notifier_invalidate_range_start: mmuNotifierInvalidateRangeStart(ctx),
    unmap_vmas: unmapVmas(ctx),
    mmu_notifier_invalidate_range: mmuNotifierInvalidateRange(ctx),
    mmu_notifier_invalidate_range_end: mmuNotifierInvalidateRangeEnd(ctx),
    free_pgtables: freePgtables(ctx),
    remove_vma: removeVma(ctx),
    exit_files: exitFiles(ctx),
    do_exit: doExit(ctx),
    dup_mmap: dupMmap(ctx),
    madvise_dontneed_single_vma: madviseDontneed(ctx),
    madvise_step: madviseStep(ctx),
    madvise_dofork: madviseDofork(ctx),
    mremap: mremap(ctx),
    mmput: mmput(ctx),
    gnttab_unmap_work: gnttabUnmapWork(ctx),
    mmu_notifier_register: mmuNotifierRegister(ctx),
    smmu_fault: smmuFault(ctx),
    smmu_install: smmuInstall(ctx),
    xpmem_remote_ack: xpmemRemoteAck(ctx),
    get_user_pages: getUserPages(ctx),
    gpu_userptr_pin: gpuUserptrPin(ctx),
    dma_access: dmaAccess(ctx),
    dma_unmap_page: dmaUnmapPage(ctx),
    gnttab_query_foreign_access: gnttabQueryForeignAccess(ctx),
    gnttab_end_foreign_access_ref: gnttabEndForeignAccessRef(ctx),
    free_page: freePage(ctx),
    gnttab_grant_foreign_access: gnttabGrantForeignAccess(ctx),
    ...gntallocRules(ctx),
  };
}

/** The candidate actions of a state, in a fixed order (most are disabled in any one state). */
export function candidateActions(s: State, ctx: Ctx): Action[] {
  const out: Action[] = [];
  const { config } = ctx;
  s.procs.forEach((proc, p) => {
    if (proc.state === 'running') {
      out.push({ kind: 'gntdev_open', p });
      proc.fds.forEach((held, file) => {
        if (!held) return;
        if (config.closeFd) out.push({ kind: 'close', p, file });
        for (const count of config.mapCounts) out.push({ kind: 'gntdev_ioctl_map_grant_ref', p, file, count });
        for (const map of s.files[file]!.maps) {
          out.push({ kind: 'gntdev_ioctl_unmap_grant_ref', p, file, map });
          if (config.unmapNotify && ctx.design.hasUnmapNotify) out.push({ kind: 'gntdev_ioctl_set_unmap_notify', p, file, map });
          for (const fail of mmapFailChoices(ctx, s.maps[map]!.count)) out.push({ kind: 'gntdev_mmap', p, file, map, va: NONE, fail });
          if (config.mapFixed) for (let va = 0; va < config.vaPages; va++) out.push({ kind: 'gntdev_mmap', p, file, map, va, fail: 'none' });
        }
      });
      for (let va = 0; va < config.vaPages; va++) out.push({ kind: 'gntdev_ioctl_get_offset_for_vaddr', p, va });
      for (let start = 0; start < config.vaPages; start++) {
        for (let end = start + 1; end <= config.vaPages; end++) out.push({ kind: 'do_munmap', p, start, end });
      }
      if (config.gntalloc) out.push(...gntallocCandidates(s, ctx, p));
      if (config.madvDontneed) {
        for (let start = 0; start < config.vaPages; start++) {
          for (let end = start + 1; end <= config.vaPages; end++) out.push({ kind: 'madvise_dontneed_single_vma', p, start, end });
        }
      }
      if (config.madvDofork) for (const v of proc.vmas) out.push({ kind: 'madvise_dofork', p, start: v.start });
      if (config.mremap) for (const v of proc.vmas) for (let to = 0; to < config.vaPages; to++) out.push({ kind: 'mremap', p, start: v.start, to });
      if (config.fork) out.push({ kind: 'dup_mmap', p });
      out.push({ kind: 'do_exit', p });
      if (config.remoteMmput) out.push({ kind: 'do_exit', p, held: true });
      if (s.holders.length < config.pins) {
        for (let va = 0; va < config.vaPages; va++) {
          if (config.holderKinds.includes('io')) out.push({ kind: 'get_user_pages', p, va });
          if (config.holderKinds.includes('gpu')) out.push({ kind: 'gpu_userptr_pin', p, va });
        }
      }
    }
    proc.readers.forEach((_, r) => out.push({ kind: 'madvise_step', p, r }));
    if (config.remoteMmput && proc.state === 'exiting' && proc.op.kind === 'none') {
      out.push({ kind: 'mmput', p });
      // the task holding the mm reads it meanwhile (access_remote_vm -> get_user_pages_remote)
      if (s.holders.length < config.pins && config.holderKinds.includes('io')) for (let va = 0; va < config.vaPages; va++) out.push({ kind: 'get_user_pages', p, va });
    }
    if (proc.op.kind === 'mmap_error') out.push({ kind: 'gntdev_mmap_error_path', p });
    const steps = proc.op.kind === 'munmap' ? ctx.design.munmapSteps : proc.op.kind === 'exit' ? ctx.design.exitSteps : [];
    const step = steps[proc.op.step];
    if (step) {
      if (ctx.design.dynamicOrder?.sequence === proc.op.kind) for (const k of steps) out.push({ kind: k, p });
      else out.push({ kind: step, p });
    }
    if (proc.op.kind === 'exit' && !step) out.push({ kind: 'exit_files', p });
    if (config.secondary !== 'none' && p === 0) {
      if (proc.smmu.state === 'none') out.push({ kind: 'mmu_notifier_register', p });
      if (proc.smmu.state === 'registered') {
        for (let va = 0; va < config.vaPages; va++) out.push({ kind: 'smmu_fault', p, va });
        out.push({ kind: 'smmu_install', p });
      }
      if (proc.smmu.awaitingAck) out.push({ kind: 'xpmem_remote_ack', p });
    }
  });
  for (const u of s.inflight) out.push({ kind: 'gnttab_unmap_work', map: u.map, offset: u.offset });
  s.holders.forEach((h, i) => {
    if (h.kind === 'io') out.push({ kind: 'dma_access', h: i }, { kind: 'dma_unmap_page', h: i });
  });
  if (config.gntalloc) out.push(...gntallocEnvCandidates(s, ctx));
  s.grants.forEach((g, ref) => {
    if (g.state === 'none') out.push({ kind: 'gnttab_grant_foreign_access', ref });
    if (config.granterActs) {
      if (g.state === 'granted') out.push({ kind: ctx.design.granterRevoke === 'checked' ? 'gnttab_end_foreign_access_ref' : 'gnttab_query_foreign_access', ref });
      if (g.state === 'queried' || g.state === 'reused') out.push({ kind: 'gnttab_end_foreign_access_ref', ref });
      if (g.state === 'revoked') out.push({ kind: 'free_page', ref });
    }
  });
  return out;
}
