/**
 * mmap(fd, offset) on gntdev — mmap_region (mm/mmap.c) -> gntdev_mmap (drivers/xen/gntdev.c).
 * Whole map only (offset = the map's index, length = its count). Without MAP_FIXED the kernel
 * picks the lowest free range (get_unmapped_area); with MAP_FIXED over existing mappings (its own
 * included), mmap_region (mm/mmap.c, v6.1) unmaps them first: the munmap steps run, then
 * gntdev_mmap, whose refusals (-EINVAL) come only then. The map hypercalls may fail per slot (user
 * PTE, kernel alias, or the p2m update after both), and the interval-notifier insert may fail: a
 * nondeterministic choice `fail`.
 * The mmap holds mmap_lock throughout; its failure path is the next action of this process.
 */
import type { MapFail } from '../action.js';
import type { Ctx } from '../internal/ctx.js';
import { doMmapAt, freeRange, mmapRefusal } from '../internal/mmap.js';
import { beginMunmap } from './doMunmap.js';
import { NONE, type State } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

/** The failure choices of an mmap of a map of `count` pages under this design and configuration. */
export function mmapFailChoices(ctx: Ctx, count: number): MapFail[] {
  const out: MapFail[] = ['none'];
  if (ctx.config.mapFailures === 'single') {
    for (let i = 0; i < count; i++) {
      if (ctx.design.pv) out.push(`user${i}`);
      if (!ctx.design.pv || ctx.design.kernelAlias) out.push(`kernel${i}`);
    }
  }
  if (ctx.config.notifierInsertFails && ctx.design.pv && ctx.design.notifier === 'per-map') out.push('notifier');
  return out;
}

function overlaps(s: State, p: number, start: number, end: number): boolean {
  return s.procs[p]!.vmas.some((v) => v.start < end && start < v.end);
}

export function gntdevMmap(ctx: Ctx): ActionRule<'gntdev_mmap'> {
  return {
    guard: (s, a) => {
      const r = notRunning(s, a.p) ?? mmBusy(s, a.p);
      if (r) return r;
      if (!s.procs[a.p]!.fds[a.file]) return `process ${a.p} holds no fd on file ${a.file}`;
      const m = s.maps[a.map];
      if (!m) return `no map ${a.map}`;
      const p2m = /^p2m(\d+)$/.exec(a.fail);
      if (p2m && (!ctx.design.pv || Number(p2m[1]) >= m.count)) return ctx.design.pv ? `map ${a.map} has no slot ${p2m[1]}` : 'set_foreign_p2m_mapping does nothing in an HVM guest (Xen updates its p2m itself)';
      if (a.va === NONE) {
        const refusal = mmapRefusal(s, ctx, a.p, a.file, a.map);
        if (refusal) return refusal;
        return freeRange(s, ctx, a.p, m.count) === NONE ? '-ENOMEM: no free range' : true;
      }
      // MAP_FIXED: mmap_region unmaps what the range overlaps first and calls gntdev_mmap after, so
      // gntdev_mmap's refusals (in_use, map->vma, another mm) come after that munmap (doMmapAt)
      if (!ctx.config.mapFixed) return 'the configuration leaves MAP_FIXED out';
      if (a.va + m.count > ctx.config.vaPages) return 'the range leaves the address space';
      if (a.fail !== 'none') return 'MAP_FIXED mmaps are modelled without failures';
      return overlaps(s, a.p, a.va, a.va + m.count) ? true : 'MAP_FIXED over a free range is the same as a plain mmap';
    },
    effect: (d, a) => {
      const count = d.maps[a.map]!.count;
      if (a.va === NONE) {
        doMmapAt(d, ctx, a.p, a.file, a.map, freeRange(d, ctx, a.p, count), a.fail);
        return;
      }
      beginMunmap(d, ctx, a.p, a.va, a.va + count);
      const op = d.procs[a.p]!.op;
      op.thenFile = a.file;
      op.thenMap = a.map;
    },
  };
}
