// Steps removed: gntdev-2022's munmap without the MMU-notifier calls around the zap. gntdev's
// interval notifier then never unmaps the grants of a munmapped range: unmap_vmas clears their PTEs
// while Xen still holds the handles (an implicit unmap). Expected: INV-1 fails.
import { defineDesign, MUNMAP_STEPS } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-munmap-without-notifier',
  summary: 'munmap zaps the range without mmu_notifier_invalidate_range_start/_end',
  points: { munmapSteps: MUNMAP_STEPS.filter((step) => !step.startsWith('mmu_notifier_')) },
});
