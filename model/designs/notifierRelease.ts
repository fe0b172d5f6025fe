/**
 * Seed 000 / 002, the route pvops took: an MMU notifier per gntdev file whose ->release (run by
 * exit_mmap before arch_exit_mmap) unmaps every grant, so the early unpin finds no grant PTE left.
 * No zap hook: a PTE the notifier missed would be cleared implicitly. The notifier also walks the
 * maps the unmap ioctl unlinked while mmapped (freeable_maps), so that only exit_mmap's order
 * differs from the other seed 000 designs.
 */
import type { Design } from '../design.js';
import { xenlinuxBase } from './xenlinux.js';

export const notifierRelease: Design = {
  ...xenlinuxBase,
  name: 'notifier-release',
  origin: 'seed 000 / seed 002 ("mmu notifiers are fine; this is exactly what they\'re for"), pvops gntdev',
  summary: 'mmu_notifier_release unmaps every grant before arch_exit_mmap unpins; no zap hook',
  notifier: 'per-file',
  freeableMaps: true,
  zapGrantPte: 'clear',
};
