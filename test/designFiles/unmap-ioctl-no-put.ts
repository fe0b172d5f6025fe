// A rule replaced: IOCTL_GNTDEV_UNMAP_GRANT_REF unlinks the map from priv->maps but forgets
// gntdev_put_map, so the list's reference is never dropped. Expected: the map's users count no
// longer matches its list, VMAs and in-flight unmaps.
import { defineDesign, notRunning } from 'grantcheck';

export default defineDesign({
  base: 'gntdev-2022',
  name: 'gntdev-2022-unmap-ioctl-no-put',
  summary: 'IOCTL_GNTDEV_UNMAP_GRANT_REF unlinks the map without dropping its reference',
  rules: {
    gntdev_ioctl_unmap_grant_ref: (_ctx, original) => ({
      guard: (s, a) => notRunning(s, a.p) ?? original!.guard(s, a),
      effect: (d, a) => {
        const maps = d.files[a.file]!.maps;
        maps.splice(maps.indexOf(a.map), 1);
      },
    }),
  },
});
