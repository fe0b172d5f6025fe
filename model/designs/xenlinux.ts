/**
 * The driver the seed 000 designs share (XenLinux 2.6.18-xen gntdev, as discussed in "Vanilla
 * Linux and has_foreign_mapping", 2008): no MMU notifier; a grant PTE is unmapped when the core mm
 * zaps it, through the VMA's zap_pte hook (gntdev_clear_pte); placeholder pages are ordinary kernel
 * pages whose backing the kernel alias replaces. Everything else is today's driver (reference
 * counted maps, the unmap ioctl unlinks, live_grants/being_removed accounting, one mmap per map),
 * so that the five seed 000 designs differ only in how exit_mmap tears the grants down. Not a
 * design of its own.
 */
import type { Design } from '../design.js';
import { gntdev2022 } from './gntdev2022.js';

const { name: _name, summary: _summary, ...today } = gntdev2022;

export const xenlinuxBase: Omit<Design, 'name' | 'summary'> = {
  ...today,
  origin: 'seed 000: Xen-devel "Vanilla Linux and has_foreign_mapping" (2008-04)',
  // what XenLinux's gntdev does otherwise
  zapGrantPte: 'zap-hook',
  notifier: 'none',
  unmapWait: 'none',
  hasUnmapNotify: false,
  specialPtes: false,
  placeholder: 'own',
};
