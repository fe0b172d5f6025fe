/**
 * Seed 001, "EMMU Notifiers V5" (Lameter, 2008; merged in 2.6.27): invalidate_range_start/_end
 * pairs with "the requirement that the driver holds off new references in between", ->release in
 * place of invalidate_all. Today's gntdev in an HVM domain (no grant PTEs of its own in the
 * notifier) with a secondary MMU subscribed to the process: the protocol is what is checked.
 */
import type { Design } from '../design.js';
import { gntdev2022Hvm } from './gntdev2022.js';

export const notifierV5: Design = {
  ...gntdev2022Hvm,
  name: 'notifier-v5',
  base: 'gntdev-2022-hvm',
  origin: 'seed 001: kvm-devel "[patch 0/4] EMMU Notifiers V5" (2008-02)',
  summary: 'invalidate_range_start/_end around the zap, new secondary mappings held off in between; release at exit',
  defaultConfig: 'smmu-gru',
  notifierProtocol: 'v5',
};
