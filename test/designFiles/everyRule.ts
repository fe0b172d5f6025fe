// One patch per action kind: each replaces that kind's rule with the rule it replaces, plus a
// ghost flag set when it runs. The table below is written out kind by kind, each rule reading a
// parameter of its own action type, so tsc --strict checks that the rule of every kind is typed
// (a step kind's rule used to be typed `never`). The test records, per kind, how many steps it
// takes until the replaced rule first runs: the replacement takes effect everywhere the model
// runs that kind.
import { ACTION_KINDS, bool, defineDesign, type ActionKind, type Design, type RuleBuilders, type RuleFor } from 'grantcheck';

export const ghost = { ran: { layout: bool(), initial: false } };
type G = typeof ghost;

/** The rule it replaces, unchanged, except that running it sets the ghost flag; `param` reads one of the action's own parameters. */
function traced<K extends string>(original: RuleFor<never, K, G> | undefined, param: (a: Parameters<RuleFor<never, K, G>['guard']>[1]) => number | string | boolean | undefined): RuleFor<never, K, G> {
  const rule = original!;
  return {
    guard: (s, a) => {
      void param(a);
      return rule.guard(s, a);
    },
    effect: (d, a) => {
      rule.effect(d, a);
      d.ghost.ran = true;
    },
  };
}

/** Every kind's replacement, each reading a parameter its action has. */
export const RULES: Required<RuleBuilders<never, G>> = {
  gntdev_open: (_c, o) => traced(o, (a) => a.p),
  close: (_c, o) => traced(o, (a) => a.file),
  gntdev_ioctl_map_grant_ref: (_c, o) => traced(o, (a) => a.count),
  gntdev_ioctl_unmap_grant_ref: (_c, o) => traced(o, (a) => a.map),
  gntdev_ioctl_get_offset_for_vaddr: (_c, o) => traced(o, (a) => a.va),
  gntdev_ioctl_set_unmap_notify: (_c, o) => traced(o, (a) => a.map),
  gntdev_mmap: (_c, o) => traced(o, (a) => a.fail),
  gntdev_mmap_error_path: (_c, o) => traced(o, (a) => a.p),
  do_munmap: (_c, o) => traced(o, (a) => a.end),
  mmu_notifier_release: (_c, o) => traced(o, (a) => a.p),
  arch_exit_mmap: (_c, o) => traced(o, (a) => a.p),
  arch_exit_mmap_pre: (_c, o) => traced(o, (a) => a.p),
  arch_exit_mmap_post: (_c, o) => traced(o, (a) => a.p),
  mmu_notifier_invalidate_all: (_c, o) => traced(o, (a) => a.p),
  mmu_notifier_invalidate_range_start: (_c, o) => traced(o, (a) => a.p),
  unmap_vmas: (_c, o) => traced(o, (a) => a.p),
  mmu_notifier_invalidate_range: (_c, o) => traced(o, (a) => a.p),
  mmu_notifier_invalidate_range_end: (_c, o) => traced(o, (a) => a.p),
  free_pgtables: (_c, o) => traced(o, (a) => a.p),
  remove_vma: (_c, o) => traced(o, (a) => a.p),
  exit_files: (_c, o) => traced(o, (a) => a.p),
  do_exit: (_c, o) => traced(o, (a) => a.p),
  dup_mmap: (_c, o) => traced(o, (a) => a.p),
  madvise_dontneed_single_vma: (_c, o) => traced(o, (a) => a.end),
  madvise_step: (_c, o) => traced(o, (a) => a.r),
  madvise_dofork: (_c, o) => traced(o, (a) => a.start),
  mremap: (_c, o) => traced(o, (a) => a.to),
  mmput: (_c, o) => traced(o, (a) => a.p),
  gnttab_unmap_work: (_c, o) => traced(o, (a) => a.offset),
  mmu_notifier_register: (_c, o) => traced(o, (a) => a.p),
  smmu_fault: (_c, o) => traced(o, (a) => a.va),
  smmu_install: (_c, o) => traced(o, (a) => a.p),
  xpmem_remote_ack: (_c, o) => traced(o, (a) => a.p),
  get_user_pages: (_c, o) => traced(o, (a) => a.va),
  gpu_userptr_pin: (_c, o) => traced(o, (a) => a.va),
  dma_access: (_c, o) => traced(o, (a) => a.h),
  dma_unmap_page: (_c, o) => traced(o, (a) => a.h),
  gnttab_query_foreign_access: (_c, o) => traced(o, (a) => a.ref),
  gnttab_end_foreign_access_ref: (_c, o) => traced(o, (a) => a.ref),
  free_page: (_c, o) => traced(o, (a) => a.ref),
  gnttab_grant_foreign_access: (_c, o) => traced(o, (a) => a.ref),
  gntalloc_open: (_c, o) => traced(o, (a) => a.p),
  gntalloc_ioctl_alloc: (_c, o) => traced(o, (a) => a.dom),
  add_grefs_splice: (_c, o) => traced(o, (a) => a.p),
  gntalloc_ioctl_dealloc: (_c, o) => traced(o, (a) => a.index),
  gntalloc_ioctl_unmap_notify: (_c, o) => traced(o, (a) => a.index),
  gntalloc_ioctl_get_offset_for_vaddr: (_c, o) => traced(o, (a) => a.va),
  gntalloc_mmap: (_c, o) => traced(o, (a) => a.pgoff),
  __del_gref: (_c, o) => traced(o, (a) => a.kind),
  __del_gref_step: (_c, o) => traced(o, (a) => a.step),
  gnttab_add_deferred: (_c, o) => traced(o, (a) => a.kmallocFails),
  gnttab_handle_deferred: (_c, o) => traced(o, (a) => a.kind),
  remote_map_grant_ref: (_c, o) => traced(o, (a) => a.dom),
  remote_unmap_grant_ref: (_c, o) => traced(o, (a) => a.ref),
};

/** The patch that replaces the rule of `kind` (only that one) on `base`. */
export function ruleReplaced(kind: ActionKind, base: string | Design): Design {
  return defineDesign<never, G>({
    base,
    name: `traced-${kind.replace(/^_+/, '')}`,
    summary: `the rule of ${kind}, with a ghost flag set when it runs`,
    ghost,
    rules: { [kind]: RULES[kind] } as RuleBuilders<never, G>,
  });
}

/** Every action kind of the model has a replacement here. */
export const KINDS: readonly ActionKind[] = ACTION_KINDS;
