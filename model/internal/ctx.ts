/** What every rule and helper reads besides the state: the design, the constants, the kernel internals, the task at hand. */
import type { Draft } from 'immer';
import type { ModelConfig } from '../config.js';
import type { Design } from '../design.js';
import type { ModelExtension } from '../model.js';
import type { State } from '../state.js';

export interface Ctx {
  readonly design: Design;
  readonly config: ModelConfig;
  /**
   * The kernel internals a design may replace (kernel.ts), each named as the kernel function it
   * stands for: every action that calls one calls it through here, so a replacement is used
   * everywhere.
   */
  readonly kernel: Kernel;
  /** The design's patch (a design file's rules, actions, ghost variables, internals), if it has one. */
  readonly extension?: ModelExtension;
  /**
   * The process whose task runs the kernel code at hand (`current`), where the code depends on
   * current->mm; NONE when current has no mm of its own (exit_mmap runs after exit_mm cleared
   * current->mm). Absent: the caller did not say (no code that reads it is reached).
   */
  readonly current?: number;
}

/** The contexts derived from a context by `asCurrent`, made once each (an invalidation makes one per call). */
const byCurrent = new WeakMap<Ctx, Ctx[]>();

/** The context with `current` set to process p's task if it still has its mm (running), else to a task without one. */
export function asCurrent(ctx: Ctx, running: boolean, p: number): Ctx {
  const current = running ? p : -1;
  if (ctx.current === current) return ctx;
  let made = byCurrent.get(ctx);
  if (!made) byCurrent.set(ctx, (made = []));
  return (made[current + 1] ??= { ...ctx, current });
}

/** The replaceable internals, on the state type `S` (a design's own state, with its ghost variables). */
export interface Kernel<S extends State = State> {
  /**
   * unmap_grant_pages(map, offset, pages) (drivers/xen/gntdev.c, v6.1): unmaps the map's grants in
   * the range in runs of pages still to unmap; each run goes to gnttab_unmap_refs (sync eras, which
   * may wait for page references) or gnttab_unmap_refs_async (2022).
   */
  readonly unmapGrantPages: (d: Draft<S>, ctx: Ctx, map: number, offset: number, pages: number) => void;
  /**
   * gnttab_unmap_refs(unmap_ops, kunmap_ops, pages, count) (drivers/xen/grant-table.c, v6.1) over
   * slots [offset, offset + count) of a map: GNTTABOP_unmap_grant_ref of the user handles,
   * ClearPageForeign, then clear_foreign_p2m_mapping. Answers how many handles Xen unmapped.
   */
  readonly gnttabUnmapRefs: (d: Draft<S>, ctx: Ctx, map: number, offset: number, count: number) => number;
  /**
   * set_foreign_p2m_mapping for one slot whose maps succeeded (arch/x86/xen/p2m.c, v6.1, PV): the
   * p2m entry of the placeholder page becomes FOREIGN_FRAME(mfn); if set_phys_to_machine fails
   * (`fail`), the slot's maps are undone at once (GNTTABOP_unmap_grant_ref of both, handles
   * INVALID). HVM: Xen's map updated the guest frame itself. Answers whether the slot stays mapped.
   */
  readonly setForeignP2mMapping: (d: Draft<S>, ctx: Ctx, map: number, slot: number, fail: boolean) => boolean;
  /**
   * clear_foreign_p2m_mapping(unmap_ops, kunmap_ops, pages, count) (arch/x86/xen/p2m.c, v6.1) over
   * slots [offset, offset + count): each FOREIGN_FRAME p2m entry is reset, then GNTTABOP_unmap_grant_ref
   * of the kernel-alias handles. Answers how many of those Xen unmapped.
   */
  readonly clearForeignP2mMapping: (d: Draft<S>, ctx: Ctx, map: number, offset: number, count: number) => number;
  /**
   * gntdev_put_map(priv, map) (drivers/xen/gntdev.c, v6.1): drops a reference; the last one unmaps
   * what is left (HVM), removes the notifier, sends the unmap event and frees the map.
   */
  readonly gntdevPutMap: (d: Draft<S>, ctx: Ctx, map: number) => void;
}
