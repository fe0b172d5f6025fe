/** INV-5, PV: an L1 page table holding grant PTEs stays pinned (typed as a page table in Xen) until they are unmapped. */
import { always, type AlwaysProperty } from '../explorer/index.js';
import { l1Of, type Ctx, type State } from '../model/index.js';

export const INV5 = 'INV-5 grant PTEs only in pinned L1s';

export function inv5(ctx: Ctx): AlwaysProperty<State> {
  return always(
    INV5,
    (s: State) => {
      for (let p = 0; p < s.procs.length; p++) {
        const proc = s.procs[p]!;
        const ptes = proc.ptes;
        for (let va = 0; va < ptes.length; va++) {
          const pte = ptes[va]!;
          if (pte.kind !== 'grant') continue;
          const l1 = proc.l1[l1Of(ctx.config, va)]!;
          if (!l1.present || !l1.pinned) return `process ${p} page ${va} holds a grant PTE (map ${pte.map} slot ${pte.slot}) in an ${l1.present ? 'unpinned' : 'freed'} L1`;
        }
      }
      return true;
    },
    { description: 'PV: grant PTEs live only in pinned L1 page tables' },
  );
}
