// A rule of a step kind replaced: exit_mmap's unmap_vmas zaps without the MMU-notifier calls the
// kernel's unmap_vmas makes (exit_mmap's sequence cannot list them, so the step's rule is where
// they are); a munmap's unmap_vmas is the original. In gntdev-2022, mmu_notifier_release has
// unmapped every grant before exit_mmap zaps. Expected: nothing reachable changes, and
// `grantcheck check --design-file` warns so.
import { defineDesign, stepRange, stepRule, zapVmas } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-exit-zap-without-notifier',
  summary: "exit_mmap's unmap_vmas makes no MMU-notifier calls",
  rules: {
    unmap_vmas: (ctx, original) => {
      const zapOnly = stepRule(ctx, 'unmap_vmas', (d, p) => {
        const [start, end] = stepRange(ctx, d, p);
        zapVmas(d, ctx, p, start, end, d.procs[p]!.vmas.map((v) => ({ start: v.start, end: v.end })));
      });
      return {
        guard: (s, a) => original!.guard(s, a),
        effect: (d, a) => (d.procs[a.p]!.op.kind === 'exit' ? zapOnly : original!).effect(d, a),
      };
    },
  },
});
