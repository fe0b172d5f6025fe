// Mistakes tsc --strict must catch in a design file (test/designFiles/tsc.test.ts expects each
// error, on its line): a parameter the action does not have, a ghost variable of the wrong type,
// a kernel internal that answers the wrong type.
import { bool, defineDesign, int } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'wrong-types',
  summary: 'every mistake here is a type error',
  ghost: { unmaps: { layout: int(0, 3), initial: 0 }, done: { layout: bool(), initial: false } },
  rules: {
    unmap_vmas: (_ctx, original) => ({
      guard: (s, a) => original!.guard(s, a),
      effect: (d, a) => {
        original!.effect(d, a);
        d.ghost.unmaps = a.va; // unmap_vmas has no va: TS2339
        d.ghost.done = 1; // a boolean: TS2322
      },
    }),
  },
  kernel: {
    gnttabUnmapRefs: (original) => (d, ctx, map, offset, count) => original(d, ctx, map, offset, count) > 0, // answers a count: TS2322
  },
});
