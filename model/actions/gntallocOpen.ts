/**
 * open("/dev/xen/gntalloc") — gntalloc_open (drivers/xen/gntalloc.c): kzalloc(priv), an empty
 * priv->list, priv->index 0. The new file takes the lowest unused gntalloc file id.
 */
import type { Ctx } from '../internal/ctx.js';
import { notRunning, type ActionRule } from './common.js';
import { noGntalloc } from './gntallocCommon.js';

/** The rule of `gntalloc_open`. */
export function gntallocOpen(ctx: Ctx): ActionRule<'gntalloc_open'> {
  return {
    guard: (s, a) => noGntalloc(ctx) ?? notRunning(s, a.p) ?? (s.alloc.files.some((f) => f.state === 'unused') ? true : 'every gntalloc file of the configuration is used'),
    effect: (d, a) => {
      const f = d.alloc.files.findIndex((x) => x.state === 'unused');
      const file = d.alloc.files[f]!;
      file.state = 'open';
      file.fds[a.p] = true;
    },
  };
}
