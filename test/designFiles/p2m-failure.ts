// Actions added (new parameter choices of an existing kind): an mmap whose p2m update fails for one
// slot after both of its maps succeeded (set_foreign_p2m_mapping: the slot's maps are undone at
// once and the mmap fails). No configuration enumerates these failures; this patch does. Expected:
// every property holds (gntdev-2022's error path unmaps what is left).
import { defineDesign, NONE, type Action, type MapFail } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-p2m-failure',
  summary: 'mmap may fail to update the p2m of one slot',
  actions: (s) =>
    s.procs.flatMap((proc, p) =>
      proc.state !== 'running'
        ? []
        : s.files.flatMap((f, file) =>
            !proc.fds[file]
              ? []
              : f.maps.flatMap((map) =>
                  Array.from({ length: s.maps[map]!.count }, (_, i): Action => ({ kind: 'gntdev_mmap', p, file, map, va: NONE, fail: `p2m${i}` as MapFail })),
                ),
          ),
    ),
});
