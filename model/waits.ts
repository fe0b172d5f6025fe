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
import { candidateActions, ruleOf } from './next.js';
import type { State } from './state.js';

/** An edge of the wait-for graph. */
export interface WaitEdge {
  readonly from: string;
  readonly to: string;
  readonly why: string;
}

/** Actions that run an mm's MMU-notifier chain. */
const NOTIFIER_CHAIN: ReadonlySet<Action['kind']> = new Set([
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

/** Who waits for whom in this state (empty when nothing can block). */
export function waitForGraph(s: State, ctx: Ctx): WaitEdge[] {
  if (ctx.design.unmapWait !== 'sync' || s.holders.length === 0) return [];
  const rule = ruleOf(ctx);
  const edges: WaitEdge[] = [];
  const inChain = new Set<number>();
  for (const a of candidateActions(s, ctx)) {
    if (!('p' in a)) continue;
    const r = rule(a);
    if (r.guard(s, a) !== true) continue;
    const b = blockedBy(r, s, a);
    if (!b) continue;
    const waits = (b.waitsFor as { holders?: readonly number[] } | undefined)?.holders ?? [];
    for (const h of waits) edges.push({ from: `process ${a.p}`, to: `${s.holders[h]!.kind} holder ${h}`, why: `${a.kind}: ${b.reason}` });
    if (NOTIFIER_CHAIN.has(a.kind)) inChain.add(a.p);
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
