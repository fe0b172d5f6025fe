/**
 * open("/dev/xen/gntdev") — gntdev_open (drivers/xen/gntdev.c): allocates priv with an empty
 * priv->maps. 2011-2019 PV also registers a classic MMU notifier on the opener's mm (priv->mm).
 * The new file takes the lowest unused file id; the opener holds an fd on it.
 */
import type { Ctx } from '../internal/ctx.js';
import { NONE } from '../state.js';
import { notRunning, type ActionRule } from './common.js';

export function gntdevOpen(ctx: Ctx): ActionRule<'gntdev_open'> {
  return {
    guard: (s, a) => notRunning(s, a.p) ?? (s.files.some((f) => f.state === 'unused') ? true : 'every gntdev file of the configuration is used'),
    effect: (d, a) => {
      const f = d.files.findIndex((x) => x.state === 'unused');
      d.files[f] = { state: 'open', maps: [], freeable: [], mnProc: ctx.design.pv && ctx.design.notifier === 'per-file' ? a.p : NONE };
      d.procs[a.p]!.fds[f] = true;
    },
  };
}
