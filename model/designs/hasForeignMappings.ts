/**
 * Seed 000, Abd-El-Malek's proposal (XenLinux's fix): gntdev's mmap sets
 * mm->context.has_foreign_mappings; arch_exit_mmap_pre does the early unpin only without the flag,
 * arch_exit_mmap_post unpins after unmap_vmas when it is set.
 */
import type { Design } from '../design.js';
import { xenlinuxBase } from './xenlinux.js';

export const hasForeignMappings: Design = {
  ...xenlinuxBase,
  name: 'has-foreign-mappings',
  summary: 'arch_exit_mmap_pre/post around unmap_vmas: no early unpin while the mm has foreign mappings',
  exitSteps: ['mmu_notifier_release', 'arch_exit_mmap_pre', 'unmap_vmas', 'arch_exit_mmap_post', 'free_pgtables', 'remove_vma'],
  archExitMmap: 'unpin-unless-foreign',
  setsHasForeignMappings: true,
};
