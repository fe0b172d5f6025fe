/**
 * The wait-for graph of a state (INV-4): who is blocked, waiting for whom. A process whose next
 * action is enabled but would block (a sync unmap waiting for page references: explorer `block`)
 * waits for the holders of those references; a GPU userptr holder, which drops its references only
 * from its own notifier callback, waits for the process whose notifier chain is blocked before
 * reaching it (interval notifiers, gntdev's, run first).
 */
import { blockedBy } from '../explorer/index.js';
import type { Action } from './action.js';
import type { Ctx } from './internal/ctx.js';
import { blockedInNotifierChain } from './internal/gntdev.js';
import { nextOf } from './model.js';
import type { State } from './state.js';

/** An edge of the wait-for graph. */
export interface WaitEdge {
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

/**
 * The model's actions that run an mm's MMU-notifier chain, whether they block inside it or
 * before reaching it (the mmap error path unmaps, then zaps with the notifiers). A design's own
 * action that blocks inside a chain is seen through blockedInNotifierChain.
 */
const NOTIFIER_CHAIN: ReadonlySet<string> = new Set<Action['kind']>([
  'mmu_notifier_invalidate_range_start',
  'unmap_vmas',
  'mmu_notifier_release',
  'mmu_notifier_invalidate_range',
  'mmu_notifier_invalidate_all',
  'gntdev_mmap_error_path',
  'madvise_dontneed_single_vma',
  'madvise_step',
  'mremap',
]);

/**
 * Who waits for whom in this state (empty when nothing can block). It runs the rules and candidate
 * actions of the design with its patch (nextOf), so a design file's rules and internals are judged,
 * not the built-in ones; a patch of rules or internals may block in any design, not only a sync one.
 */
export function waitForGraph(s: State, ctx: Ctx): WaitEdge[] {
  const patched = ctx.extension?.rules !== undefined || ctx.extension?.kernel !== undefined;
  if ((ctx.design.unmapWait !== 'sync' && !patched) || s.holders.length === 0) return [];
  const next = nextOf(ctx);
  const edges: WaitEdge[] = [];
  const inChain = new Set<number>();
  for (const a of next.actions(s)) {
    if (!('p' in a) || typeof a.p !== 'number') continue;
    const r = next.rule(a);
    if (r.guard(s, a) !== true) continue;
    const b = blockedBy(r, s, a);
    if (!b) continue;
    const w = b.waitsFor as { holders?: readonly number[] } | undefined;
    for (const h of w?.holders ?? []) edges.push({ from: `process ${a.p}`, to: `${s.holders[h]!.kind} holder ${h}`, why: `${a.kind}: ${b.reason}` });
    if (NOTIFIER_CHAIN.has(a.kind) || blockedInNotifierChain.has(b)) inChain.add(a.p);
  }
  s.holders.forEach((h, i) => {
    if (h.kind === 'gpu' && inChain.has(h.proc)) {
      edges.push({ from: `gpu holder ${i}`, to: `process ${h.proc}`, why: "it drops its reference only in its own notifier callback, which runs after gntdev's in the same chain" });
    }
  });
  return edges;
}

/** A cycle in the graph, as its edges, or undefined. */
export function waitCycle(edges: readonly WaitEdge[]): WaitEdge[] | undefined {
  const out = new Map<string, WaitEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const visit = (node: string, path: WaitEdge[], seen: Set<string>): WaitEdge[] | undefined => {
    for (const e of out.get(node) ?? []) {
      const at = path.findIndex((x) => x.from === e.to);
      if (at >= 0 || e.to === path[0]?.from) return [...path.slice(Math.max(at, 0)), e];
      if (seen.has(e.to)) continue;
      seen.add(e.to);
      const c = visit(e.to, [...path, e], seen);
      if (c) return c;
    }
    return undefined;
  };
  for (const start of [...out.keys()].sort()) {
    const c = visit(start, [], new Set([start]));
    if (c) return c;
  }
  return undefined;
}
