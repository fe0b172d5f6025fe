/**
 * Foreign pages under get_user_pages and DMA (seeds 002, 003; regression cases 9, 18, 19, 4):
 * INV-6, no access after unmap, the kernel linear map, p2m/m2p consistency, the DMA unmap's
 * reverse lookup, and INV-4 (no cycle of waits).
 */
import { actionProperty, always, sometimes, type AlwaysProperty, type SometimesProperty, type StepProperty } from '../explorer/index.js';
import { mfnToPage, waitCycle, waitForGraph, type Action, type Ctx, type State } from '../model/index.js';

export const INV6 = 'INV-6 get_user_pages yields the local placeholder page';
export const NO_ACCESS_AFTER_UNMAP = 'no access to a page after its grant was unmapped';
export const KMAP = 'the kernel linear map is never transiently absent';
export const P2M = 'p2m and m2p entries match the live handles';
export const DMA_UNMAP = 'dma_unmap finds the local page from the DMA address';
export const INV4 = 'INV-4 no cycle of waits';

export function inv6(_ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    INV6,
    (s: State, a: Action, t: State) => {
      if (a.kind !== 'get_user_pages' && a.kind !== 'gpu_userptr_pin') return true;
      const pte = s.procs[a.p]!.ptes[a.va]!;
      const h = t.holders[t.holders.length - 1]!;
      if (h.page === 'wrong') return `${a.kind}(page ${a.va}) returned B's pfn of frame ${h.ref} through M2P: an unrelated page of A, not map ${pte.map} slot ${pte.slot}'s placeholder`;
      if (h.map !== pte.map || h.slot !== pte.slot) return `${a.kind}(page ${a.va}) returned map ${h.map} slot ${h.slot}'s page, but the PTE maps map ${pte.map} slot ${pte.slot}`;
      return true;
    },
    { description: 'get_user_pages on a foreign PTE yields the local placeholder page of that very mapping' },
  );
}

export function noAccessAfterUnmap(_ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    NO_ACCESS_AFTER_UNMAP,
    (s: State, a: Action) => {
      if (a.kind !== 'dma_access') return true;
      const h = s.holders[a.h]!;
      if (h.page !== 'placeholder') return true;
      if (!s.handles.some((x) => x.map === h.map && x.slot === h.slot)) {
        return `I/O holder ${a.h} accessed map ${h.map} slot ${h.slot}'s page after its grant of B's frame ${h.ref} was unmapped (B may reuse it)`;
      }
      return true;
    },
    { description: 'a device or kernel path holding a page reference never accesses it after the grant behind it was unmapped' },
  );
}

export function kmap(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    KMAP,
    (s: State) => {
      for (const [id, m] of s.maps.entries()) {
        for (const [i, sl] of m.slots.entries()) if (sl.page.kmapGap) return `map ${id} slot ${i}'s kernel linear mapping was left as a zero mapping before the original was reinstated`;
      }
      return true;
    },
    { description: "a page's kernel linear mapping is never absent or wrong, not even between the unmap and the reinstatement" },
  );
}

export function p2mConsistent(_ctx: Ctx): AlwaysProperty<State> {
  return always(
    P2M,
    (s: State) => {
      for (const o of s.overrides) {
        const page = s.maps[o.map]!.slots[o.slot]!.page;
        if (page.state === 'freed') return `the m2p override still maps B's frame ${o.ref} to freed map ${o.map} slot ${o.slot}`;
        if (!s.handles.some((h) => h.map === o.map && h.slot === o.slot)) return `the m2p override maps B's frame ${o.ref} to map ${o.map} slot ${o.slot}, which has no grant mapped`;
      }
      for (const [id, m] of s.maps.entries()) {
        for (const [i, sl] of m.slots.entries()) {
          if (sl.page.p2m === 'foreign' && !s.handles.some((h) => h.map === id && h.slot === i)) return `map ${id} slot ${i}'s p2m is FOREIGN_FRAME with no grant mapped`;
        }
      }
      return true;
    },
    { description: 'p2m FOREIGN_FRAME and m2p override entries exist only while the grant is mapped, and never for a freed page' },
  );
}

export function dmaUnmap(_ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    DMA_UNMAP,
    (s: State, a: Action) => {
      if (a.kind !== 'dma_unmap_page') return true;
      const h = s.holders[a.h]!;
      if (h.page !== 'placeholder' || !h.dmaForeign) return true;
      const found = mfnToPage(s, h.ref);
      if (found.page !== 'placeholder' || found.map !== h.map || found.slot !== h.slot) {
        return `dma_unmap_page of B's frame ${h.ref}: mfn_to_pfn gives ${found.page === 'wrong' ? "B's pfn (an unrelated page)" : `map ${found.map} slot ${found.slot}`}, not map ${h.map} slot ${h.slot}: cache maintenance on the wrong page`;
      }
      return true;
    },
    { description: 'a DMA unmap, given only the machine address, finds the struct page (needed for cache maintenance on non-coherent devices)' },
  );
}

export function inv4(ctx: Ctx): AlwaysProperty<State> {
  return always(
    INV4,
    (s: State) => {
      const cycle = waitCycle(waitForGraph(s, ctx));
      return cycle ? cycle.map((e) => `${e.from} waits for ${e.to} (${e.why})`).join('; ') : true;
    },
    { description: 'no set of kernel threads and page holders waits for each other in a cycle' },
  );
}

export function pageWitnesses(ctx: Ctx): SometimesProperty<State>[] {
  const out: SometimesProperty<State>[] = [
    sometimes('gup holds a page of a grant mapping', (s: State) => s.holders.length > 0),
    ...(ctx.config.holderKinds.includes('io')
      ? [
          sometimes('I/O is in flight while its grant is being unmapped', (s: State) => s.holders.some((h) => h.kind === 'io' && s.procs[h.proc]!.op.kind !== 'none')),
        ]
      : []),
    sometimes('a kernel alias is unmapped', (s: State) => s.maps.some((m) => m.slots.some((sl) => sl.page.wasMapped && !sl.kernel && !sl.user))),
  ];
  if (ctx.config.dmaNonCoherent && ctx.design.pv) out.push(sometimes('a DMA of a grant page completes', (s: State) => s.holders.some((h) => h.kind === 'io' && h.dmaForeign)));
  if (ctx.config.holderKinds.includes('gpu')) out.push(sometimes('a GPU pins a grant page during a munmap', (s: State) => s.holders.some((h) => h.kind === 'gpu' && s.procs[h.proc]!.op.kind === 'munmap')));
  if (ctx.config.maxMaps > 1) {
    out.push(
      sometimes('one frame is mapped at two places', (s: State) => s.grants.some((_, r) => new Set(s.handles.filter((h) => h.ref === r).map((h) => h.map)).size > 1)),
    );
  }
  return out;
}
