// Ghost state and properties added: a ghost flag records that gnttab_unmap_refs ran on a page
// something still referenced (an O_DIRECT read, a DMA); a property says it never happens, and a
// witness that the situation it guards arises (a referenced grant page while its mm is torn down).
// The flag is set from a kernel internal replaced around the original. Expected on gup-io: the
// property holds for gntdev-2022 (its async unmap defers such a run; gntdev-2022's other outcomes
// on gup-io are the base's); unmap-at-once.ts is a patch of this one that fails it.
import { always, anyPageReferenced, bool, defineDesign, sometimes, type DesignState } from 'grantcheck';

const ghost = { unmappedWhileReferenced: { layout: bool(), initial: false } };
type S = DesignState<typeof ghost>;
const NEVER = 'no grant unmapped under a page reference';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-unmap-referenced-flag',
  summary: 'a ghost flag: gnttab_unmap_refs ran on a referenced page',
  defaultConfig: 'gup-io',
  ghost,
  kernel: {
    gnttabUnmapRefs: (original) => (d, ctx, map, offset, count) => {
      if (anyPageReferenced(d, map, offset, count)) d.ghost.unmappedWhileReferenced = true;
      return original(d, ctx, map, offset, count);
    },
  },
  properties: () => [
    always(NEVER, (s: S) => !s.ghost.unmappedWhileReferenced || 'gnttab_unmap_refs ran while a page of the run was referenced'),
    sometimes('a grant page is referenced while its mm is torn down', (s: S) => s.holders.some((h) => s.procs[h.proc]!.op.kind !== 'none'), { witnessFor: [NEVER] }),
  ],
});
