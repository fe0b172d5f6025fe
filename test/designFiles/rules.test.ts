// Why this test? Every action kind's rule must be replaceable by a design file, typed (a step
// kind's rule used to be `never`), and the replacement must be what the model runs: for each kind,
// a patch replaces its rule with the original plus a ghost flag (everyRule.ts), and the search
// finds the shortest trace in which the replaced rule runs, ending with an action of that kind.
import { describe, expect, it } from 'vitest';
import { configByName, modelOf } from '../../catalog.js';
import { always, check } from '../../explorer/index.js';
import { defineDesign } from '../../extend.js';
import { configs, type ActionKind, type Design, type ModelConfig, type State } from '../../model/index.js';
import { KINDS, ruleReplaced } from './everyRule.js';

/** today's __del_gref split into its parts, in the kernel's order (so that __del_gref_step runs) */
const delGrefSplit = defineDesign({ base: 'gntalloc-2022', name: 'gntalloc-2022-split', summary: '__del_gref in three steps, in order', points: { gntalloc: { delGrefOrder: ['notify', 'revoke', 'free'] } } });
/** B grants its refs only when asked (so that gnttab_grant_foreign_access runs) */
const ungranted: ModelConfig = { ...configs.tiny!, name: 'tiny-ungranted', refsGrantedAtStart: false };
/** the switches off in every named configuration but the ones that need them */
const dofork: ModelConfig = { ...configs.tiny!, name: 'tiny-dofork', madvDofork: true };
const mremapping: ModelConfig = { ...configs.tiny!, name: 'tiny-mremap', mremap: true, vaPages: 3, ptesPerL1: 1, mapCounts: [1] };
const remoteMmput: ModelConfig = { ...configs.tiny!, name: 'tiny-remote-mmput', remoteMmput: true };

/** Where each kind runs: the base design, the configuration, and the recorded length of the shortest trace whose last step runs it. */
const WHERE: { readonly [K in ActionKind]: readonly [string | Design, string | ModelConfig, number] } = {
  gntdev_open: ['gntdev-2022', 'tiny', 1],
  close: ['gntdev-2022', 'tiny', 2],
  gntdev_ioctl_map_grant_ref: ['gntdev-2022', 'tiny', 2],
  gntdev_ioctl_unmap_grant_ref: ['gntdev-2022', 'tiny', 3],
  gntdev_ioctl_get_offset_for_vaddr: ['gntdev-2022', 'tiny', 4],
  gntdev_ioctl_set_unmap_notify: ['gntdev-2022', 'small', 3],
  gntdev_mmap: ['gntdev-2022', 'tiny', 3],
  gntdev_mmap_error_path: ['gntdev-2022', 'small', 4],
  do_munmap: ['gntdev-2022', 'tiny', 4],
  mmu_notifier_release: ['gntdev-2022', 'tiny', 2],
  arch_exit_mmap: ['gntdev-2022', 'tiny', 3],
  arch_exit_mmap_pre: ['has-foreign-mappings', 'tiny', 3],
  arch_exit_mmap_post: ['has-foreign-mappings', 'tiny', 5],
  mmu_notifier_invalidate_all: ['notifier-v3', 'smmu-gru', 2],
  mmu_notifier_invalidate_range_start: ['gntdev-2022', 'tiny', 5],
  unmap_vmas: ['gntdev-2022', 'tiny', 4],
  mmu_notifier_invalidate_range: ['notifier-v3', 'smmu-gru', 6],
  mmu_notifier_invalidate_range_end: ['gntdev-2022', 'tiny', 7],
  free_pgtables: ['gntdev-2022', 'tiny', 5],
  remove_vma: ['gntdev-2022', 'tiny', 6],
  exit_files: ['gntdev-2022', 'tiny', 7],
  do_exit: ['gntdev-2022', 'tiny', 1],
  dup_mmap: ['gntdev-2022', 'fork', 1],
  madvise_dontneed_single_vma: ['gntdev-6.12', 'read-side', 4],
  madvise_step: ['gntdev-6.12', 'read-side', 5],
  madvise_dofork: ['gntdev-6.12', dofork, 4],
  mremap: ['gntdev-6.12', mremapping, 4],
  mmput: ['gntdev-6.12', remoteMmput, 2],
  gnttab_unmap_work: ['gntdev-2022', 'gup-io', 8],
  mmu_notifier_register: ['notifier-v5', 'smmu-gru', 1],
  smmu_fault: ['notifier-v5', 'smmu-gru', 5],
  smmu_install: ['notifier-v5', 'smmu-gru', 6],
  xpmem_remote_ack: ['notifier-v5', 'smmu-xpmem', 7],
  get_user_pages: ['gntdev-2022', 'gup-io', 4],
  gpu_userptr_pin: ['gntdev-2022', 'gpu', 4],
  dma_access: ['gntdev-2022', 'gup-io', 5],
  dma_unmap_page: ['gntdev-2022', 'gup-io', 5],
  gnttab_query_foreign_access: ['frontend-before-xsa-396', 'small', 1],
  gnttab_end_foreign_access_ref: ['gntdev-2022', 'small', 1],
  free_page: ['gntdev-2022', 'small', 2],
  gnttab_grant_foreign_access: ['gntdev-2022', ungranted, 1],
  gntalloc_open: ['gntalloc-2022', 'alloc-small', 1],
  gntalloc_ioctl_alloc: ['gntalloc-2022', 'alloc-small', 2],
  add_grefs_splice: ['gntalloc-2022', 'alloc-small', 3],
  gntalloc_ioctl_dealloc: ['gntalloc-2022', 'alloc-small', 4],
  gntalloc_ioctl_unmap_notify: ['gntalloc-2022', 'alloc-notify', 4],
  gntalloc_ioctl_get_offset_for_vaddr: ['gntalloc-user-offsets', 'alloc-offsets', 7],
  gntalloc_mmap: ['gntalloc-2022', 'alloc-small', 4],
  __del_gref: ['gntalloc-2011', 'alloc-small', 5],
  __del_gref_step: [delGrefSplit, 'alloc-small', 5],
  gnttab_add_deferred: ['gntalloc-2022', 'alloc-leak', 6],
  gnttab_handle_deferred: ['gntalloc-2022', 'alloc-small', 7],
  remote_map_grant_ref: ['gntalloc-2022', 'alloc-small', 3],
  remote_unmap_grant_ref: ['gntalloc-2022', 'alloc-small', 4],
};

function firstRun(kind: ActionKind): { length: number; last: string } {
  const [base, config] = WHERE[kind];
  const traced = ruleReplaced(kind, base);
  const probe = defineDesign({ base: traced, name: `${traced.name}-probe`, summary: 'stops where the replaced rule first runs', properties: () => [always<State>('the replaced rule never runs', (s) => s.ghost?.ran !== true)] });
  const r = check(modelOf(probe, typeof config === 'string' ? configByName(config) : config), { properties: ['the replaced rule never runs'], stopAtFirstViolation: true, checkDeadlock: false });
  const v = r.violations[0];
  if (!v) throw new Error(`rules.${kind}: the replaced rule never ran`);
  return { length: v.length, last: v.trace.at(-1)!.action!.kind };
}

describe('a patch replacing the rule of each action kind', () => {
  for (const kind of KINDS) {
    it(kind, () => {
      const r = firstRun(kind);
      expect(r.last).toBe(kind);
      expect(r.length).toBe(WHERE[kind][2]);
    });
  }
});
