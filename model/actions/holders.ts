/**
 * Page references taken through get_user_pages on a grant mapping (seeds 002, 003; regression cases
 * 9, 19, 4): an O_DIRECT bio, a DMA transfer or a queued network retransmit (`io`), which accesses
 * the page until it completes; and a GPU userptr object (`gpu`, i915), which drops its references
 * only from its own MMU-notifier callback. Each takes a reference on the struct page gup returned.
 */
import type { Ctx } from '../internal/ctx.js';
import { dropHolder } from '../internal/gntdev.js';
import { resolveGup } from '../internal/gup.js';
import type { State } from '../state.js';
import { notRunning, type ActionRule } from './common.js';

function gupGuard(ctx: Ctx, s: State, p: number, va: number, kind: 'io' | 'gpu'): true | string {
  if (!ctx.config.holderKinds.includes(kind)) return `the configuration has no ${kind} holders`;
  // another task holding an exited process's mm may get_user_pages on it (access_remote_vm)
  const lingering = ctx.config.remoteMmput && kind === 'io' && s.procs[p]?.state === 'exiting' && s.procs[p]!.op.kind === 'none';
  const r = lingering ? undefined : notRunning(s, p);
  if (r) return r;
  if (s.holders.length >= ctx.config.pins) return `the configuration allows ${ctx.config.pins} page reference(s) at once`;
  if (s.holders.some((h) => h.proc === p && h.va === va)) return `page ${va} is held already`;
  const g = resolveGup(s, ctx, p, va);
  return typeof g === 'string' ? g : true;
}

function takeRef(ctx: Ctx, d: Parameters<ActionRule<'get_user_pages'>['effect']>[0], p: number, va: number, kind: 'io' | 'gpu'): void {
  const g = resolveGup(d, ctx, p, va) as Exclude<ReturnType<typeof resolveGup>, string>;
  d.holders.push({ kind, proc: p, va, ...g });
  if (g.page === 'placeholder') d.maps[g.map]!.slots[g.slot]!.page.pins++;
}

/** get_user_pages(p, va) for an O_DIRECT read, then dma_map (mm/gup.c; the block layer's bio). */
export function getUserPages(ctx: Ctx): ActionRule<'get_user_pages'> {
  return {
    guard: (s, a) => gupGuard(ctx, s, a.p, a.va, 'io'),
    effect: (d, a) => takeRef(ctx, d, a.p, a.va, 'io'),
  };
}

/** A GPU userptr object pins the page (i915_gem_userptr: pin_user_pages and its own mmu notifier). */
export function gpuUserptrPin(ctx: Ctx): ActionRule<'gpu_userptr_pin'> {
  return {
    guard: (s, a) => gupGuard(ctx, s, a.p, a.va, 'gpu'),
    effect: (d, a) => takeRef(ctx, d, a.p, a.va, 'gpu'),
  };
}

/** The device (or a queued retransmit) reads or writes the page at its DMA address: nothing changes, a property checks what it reached. */
export function dmaAccess(_ctx: Ctx): ActionRule<'dma_access'> {
  return {
    guard: (s, a) => (s.holders[a.h]?.kind === 'io' ? true : `no I/O holder ${a.h}`),
    effect: () => {},
  };
}

/**
 * The I/O completes: dma_unmap_page (which is given only the DMA address: a machine address in PV;
 * a non-coherent device needs the struct page for cache maintenance), then the bio's put_page.
 */
export function dmaUnmapPage(_ctx: Ctx): ActionRule<'dma_unmap_page'> {
  return {
    guard: (s, a) => (s.holders[a.h]?.kind === 'io' ? true : `no I/O holder ${a.h}`),
    effect: (d, a) => dropHolder(d, a.h),
  };
}
