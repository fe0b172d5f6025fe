/**
 * INV-1, no implicit unmap: a PTE holding a grant mapping leaves only through
 * GNTTABOP_unmap_grant_ref with its handle. Checked on every transition: a user handle whose PTE
 * Xen held before the step (present, pinned L1, still mapping the grant) must, after it, either be
 * unmapped or still have that PTE. Any action that clears the PTE, unpins or frees its page table
 * without the hypercall fails it, whoever wrote the action.
 */
import { actionProperty, type StepProperty } from '../explorer/index.js';
import { l1Of, userPteIntact, type Action, type Ctx, type State } from '../model/index.js';

export const INV1 = 'INV-1 no implicit unmap';

export function inv1(ctx: Ctx): StepProperty<State, Action> {
  return actionProperty(
    INV1,
    (s: State, a: Action, t: State) => {
      for (const h of s.handles) {
        if (h.kind !== 'user' || !userPteIntact(s, ctx.config, h)) continue;
        const after = t.handles.find((x) => x.map === h.map && x.slot === h.slot && x.kind === 'user');
        if (!after || userPteIntact(t, ctx.config, after)) continue;
        const p = t.procs[h.proc]!;
        const l1 = p.l1[l1Of(ctx.config, h.va)]!;
        const how = !l1.present ? 'its page table was freed' : !l1.pinned ? 'its page table was unpinned' : 'the PTE was cleared';
        return `${a.kind} implicitly unmapped map ${h.map} slot ${h.slot} (process ${h.proc} page ${h.va}): ${how} while the handle is live`;
      }
      return true;
    },
    { description: 'a grant PTE leaves only through GNTTABOP_unmap_grant_ref with its handle' },
  );
}
