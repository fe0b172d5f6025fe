/**
 * Seed 001's V3 (before V4's "Do the invalidation as begin/end pairs with the requirement that the
 * driver holds off new references in between"): one invalidate_range callback after the PTEs are
 * cleared, invalidate_all at the start of exit_mmap and ->release at its end. A secondary fault
 * that read a PTE before the clear installs its mapping after the callback: a stale mapping.
 */
import type { Design } from '../design.js';
import { notifierV5 } from './notifierV5.js';

export const notifierV3: Design = {
  ...notifierV5,
  name: 'notifier-v3',
  base: 'notifier-v5',
  origin: 'seed 001: EMMU notifiers V3 (2008-01)',
  summary: 'a single invalidate_range after the PTEs are cleared, nothing held off; invalidate_all at exit, release last',
  notifierProtocol: 'v3',
  munmapSteps: ['unmap_vmas', 'mmu_notifier_invalidate_range', 'free_pgtables', 'remove_vma'],
  exitSteps: ['mmu_notifier_invalidate_all', 'arch_exit_mmap', 'unmap_vmas', 'free_pgtables', 'remove_vma', 'mmu_notifier_release'],
};
