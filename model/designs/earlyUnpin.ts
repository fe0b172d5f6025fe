/**
 * Seed 000, the problem: pvops exit_mmap unpins the page tables early (arch_exit_mmap before
 * unmap_vmas), unconditionally, so the grant PTEs are no longer in a pinned L1 when unmap_vmas'
 * zap hook tries to unmap them (regression case 17).
 */
import type { Design } from '../design.js';
import { xenlinuxBase } from './xenlinux.js';

export const earlyUnpin: Design = {
  ...xenlinuxBase,
  name: 'early-unpin',
  summary: 'exit_mmap unpins the page tables before unmap_vmas, even with grant PTEs present',
  archExitMmap: 'unpin',
};
