/**
 * The gntalloc part of the Next relation: its rules, the candidate actions of a process,
 * and those of the kernel's workers and the remote domains. next.ts joins them to the rest; they
 * exist only when the configuration has gntalloc, so other configurations are untouched.
 */
import type { Rule } from '../explorer/index.js';
import type { Action } from './action.js';
import { delGref, delGrefStepRule } from './actions/delGref.js';
import { addGrefsSplice, gntallocIoctlAlloc } from './actions/gntallocIoctlAlloc.js';
import { gntallocIoctlDealloc } from './actions/gntallocIoctlDealloc.js';
import { gntallocIoctlGetOffsetForVaddr } from './actions/gntallocIoctlGetOffsetForVaddr.js';
import { gntallocIoctlUnmapNotify } from './actions/gntallocIoctlUnmapNotify.js';
import { gntallocMmap } from './actions/gntallocMmap.js';
import { gntallocOpen } from './actions/gntallocOpen.js';
import { gnttabAddDeferred } from './actions/gnttabAddDeferred.js';
import { gnttabHandleDeferred } from './actions/gnttabHandleDeferred.js';
import { remoteMapGrantRef, remoteUnmapGrantRef } from './actions/remoteDomain.js';
import { delGrefSplit, gntallocOf } from './design.js';
import type { Ctx } from './internal/ctx.js';
import { allocBusy } from './internal/gntalloc.js';
import { DEL_GREF_STEPS, NONE, type State } from './state.js';

/** The gntalloc rules, by action kind. */
export function gntallocRules(ctx: Ctx) {
  return {
    gntalloc_open: gntallocOpen(ctx),
    gntalloc_ioctl_alloc: gntallocIoctlAlloc(ctx),
    add_grefs_splice: addGrefsSplice(ctx),
    gntalloc_ioctl_dealloc: gntallocIoctlDealloc(ctx),
    gntalloc_ioctl_unmap_notify: gntallocIoctlUnmapNotify(ctx),
    gntalloc_ioctl_get_offset_for_vaddr: gntallocIoctlGetOffsetForVaddr(ctx),
    gntalloc_mmap: gntallocMmap(ctx),
    __del_gref: delGref(ctx),
    __del_gref_step: delGrefStepRule(ctx),
    gnttab_add_deferred: gnttabAddDeferred(ctx),
    gnttab_handle_deferred: gnttabHandleDeferred(ctx),
    remote_map_grant_ref: remoteMapGrantRef(ctx),
    remote_unmap_grant_ref: remoteUnmapGrantRef(ctx),
  };
}

/**
 * A rule as gntalloc configurations run it: held up while A cannot act (gref_mutex held across a
 * query/revoke window, a deferred entry being allocated, the process inside ALLOC_GREF: see
 * allocBusy).
 */
export function withGrefMutex<A extends Action>(rule: Rule<State, A>, ctx: Ctx): Rule<State, A> {
  const split = delGrefSplit(ctx.design);
  return {
    guard: (s, a) => allocBusy(s, a as { readonly kind: string; readonly p?: number }, split) ?? rule.guard(s, a),
    effect: rule.effect,
  };
}

/** Process p's gntalloc calls, in a fixed order. */
export function gntallocCandidates(s: State, ctx: Ctx, p: number): Action[] {
  const g = ctx.config.gntalloc!;
  const choices = gntallocOf(ctx.design);
  const out: Action[] = [{ kind: 'gntalloc_open', p }];
  s.alloc.files.forEach((f, file) => {
    if (!f.fds[p]) return;
    if (ctx.config.closeFd) out.push({ kind: 'close', p, file, driver: 'gntalloc' });
    for (const count of g.counts) {
      for (let dom = 0; dom < g.remotes; dom++) {
        out.push({ kind: 'gntalloc_ioctl_alloc', p, file, count, dom, offset: NONE });
        if (choices.offsets === 'user-fixed') for (let offset = 0; offset + count <= g.offsets; offset++) out.push({ kind: 'gntalloc_ioctl_alloc', p, file, count, dom, offset });
      }
    }
    f.list.forEach((id, i) => {
      const index = s.alloc.grefs[id]!.index;
      for (let count = 1; i + count <= f.list.length; count++) out.push({ kind: 'gntalloc_ioctl_dealloc', p, file, index, count });
      if (ctx.config.unmapNotify) out.push({ kind: 'gntalloc_ioctl_unmap_notify', p, file, index });
      for (const count of g.mmapCounts) if (i + count <= f.list.length) out.push({ kind: 'gntalloc_mmap', p, file, pgoff: index, count });
    });
  });
  if (choices.getOffsetForVaddr) for (let va = 0; va < ctx.config.vaPages; va++) out.push({ kind: 'gntalloc_ioctl_get_offset_for_vaddr', p, va });
  if (s.alloc.adding.some((x) => x.proc === p)) out.push({ kind: 'add_grefs_splice', p });
  return out;
}

/** The kernel's gntalloc work in progress, the deferred-free timer, and the remote domains. */
export function gntallocEnvCandidates(s: State, ctx: Ctx): Action[] {
  const out: Action[] = [];
  const al = s.alloc;
  if (al.delGref.queue.length > 0) {
    if (!delGrefSplit(ctx.design)) out.push({ kind: '__del_gref' });
    else for (const step of DEL_GREF_STEPS) out.push({ kind: '__del_gref_step', step });
  }
  if (al.kmalloc.length > 0) {
    out.push({ kind: 'gnttab_add_deferred', kmallocFails: false });
    if (ctx.config.gntalloc!.deferredAllocFails) out.push({ kind: 'gnttab_add_deferred', kmallocFails: true });
  }
  if (al.deferred.length > 0) out.push({ kind: 'gnttab_handle_deferred' });
  for (let dom = 0; dom < ctx.config.gntalloc!.remotes; dom++) {
    al.gnttab.forEach((e, ref) => {
      if (e.state === 'granted') out.push({ kind: 'remote_map_grant_ref', dom, ref });
    });
    for (const m of al.remote) if (m.dom === dom) out.push({ kind: 'remote_unmap_grant_ref', dom, ref: m.ref });
  }
  return out;
}
