// Steps reordered: gntdev-2022's munmap calls mmu_notifier_invalidate_range_start after the zap
// instead of before it. By then unmap_vmas has cleared the grant PTEs while Xen still held their
// handles. Expected: INV-1 fails.
import { defineDesign } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-notifier-after-zap',
  summary: 'munmap invalidates the range after the zap, not before',
  points: { munmapSteps: ['unmap_vmas', 'mmu_notifier_invalidate_range_start', 'mmu_notifier_invalidate_range_end', 'free_pgtables', 'remove_vma'] },
});
