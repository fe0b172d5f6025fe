/**
 * get_user_pages on a grant mapping (mm/gup.c, mm/memory.c vm_normal_page, arch/x86/xen/p2m.c),
 * and the reverse lookup a DMA unmap needs (mfn_to_pfn). How the struct page behind a PV grant PTE
 * is found is the design's choice (Design.gupLookup); see seeds 002 and 003, regression case 19.
 */
import { NONE, type Holder, type State } from '../state.js';
import type { Ctx } from './ctx.js';
import { vmaAt } from './mm.js';

/** What get_user_pages resolves a user address to (without the reference it then takes). */
export type GupResult = Pick<Holder, 'page' | 'map' | 'slot' | 'ref' | 'dmaForeign'>;

/**
 * mfn_to_pfn for B's frame `ref` (the machine address of a foreign page): the m2p override entry
 * for it if there is one (the newest: m2p_find_override_pfn walks the hash bucket from its head),
 * else the global M2P, which gives B's own pfn: an unrelated page of A.
 */
export function mfnToPage(s: State, ref: number): GupResult {
  const o = s.overrides.find((x) => x.ref === ref);
  if (o) return { page: 'placeholder', map: o.map, slot: o.slot, ref, dmaForeign: true };
  return { page: 'wrong', map: NONE, slot: NONE, ref, dmaForeign: true };
}

/**
 * get_user_pages(p, va): gup_fast walks the page tables without locks and gives up on a special
 * PTE, and on a frame whose pfn is not local; the slow path (under mmap_lock, through find_vma)
 * then uses vm_normal_page: find_special_page for a special PTE (2015+), or Draft B's VMA page array.
 * An HVM mapping is an ordinary page PTE: the placeholder itself. Returns the page, or why gup fails.
 */
export function resolveGup(s: State, ctx: Ctx, p: number, va: number): GupResult | string {
  const proc = s.procs[p]!;
  const pte = proc.ptes[va];
  if (!pte || pte.kind === 'none') return `no PTE at page ${va}`;
  if (pte.kind === 'page') return { page: 'placeholder', map: pte.map, slot: pte.slot, ref: s.maps[pte.map]!.refs[pte.slot]!, dmaForeign: false };
  const ref = s.maps[pte.map]!.refs[pte.slot]!;
  const design = ctx.design;
  // gup_fast: a non-special grant PTE goes through pte_pfn -> mfn_to_pfn
  if (!pte.special && (design.gupLookup === 'm2p' || design.gupLookup === 'm2p-override')) return mfnToPage(s, ref);
  // the slow path needs the VMA
  const vma = vmaAt(proc, va);
  if (!vma || vma.map === NONE) return `find_vma: no gntdev VMA at page ${va}`;
  if (design.gupLookup === 'vma-page-array') {
    const slot = vma.pagesOffset + (va - vma.start);
    return { page: 'placeholder', map: vma.map, slot, ref, dmaForeign: design.pv };
  }
  if (design.gupLookup === 'find-special-page') {
    if (!pte.special) return 'vm_normal_page: a VM_MIXEDMAP PTE without a struct page (no special bit): -EFAULT';
    const m = s.maps[vma.map]!;
    return { page: 'placeholder', map: vma.map, slot: va - m.pagesVmStart, ref, dmaForeign: design.pv };
  }
  return mfnToPage(s, ref);
}
