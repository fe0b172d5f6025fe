/**
 * close(fd) — filp_close -> fput (fs/file_table.c): drops the descriptor's reference; if no fd and
 * no VMA holds the file any more, gntdev_release runs (simplified: at once, not from task work).
 * With `driver: 'gntalloc'` the fd is on a gntalloc file, whose last fput runs gntalloc_release.
 */
import type { Ctx } from '../internal/ctx.js';
import { allocFput } from '../internal/gntalloc.js';
import { fput } from '../internal/mm.js';
import { notRunning, type ActionRule } from './common.js';
import { noAllocFd } from './gntallocCommon.js';

export function close(ctx: Ctx): ActionRule<'close'> {
  return {
    guard: (s, a) => {
      if (a.driver === 'gntalloc') return notRunning(s, a.p) ?? noAllocFd(s, a.p, a.file) ?? true;
      return notRunning(s, a.p) ?? (s.procs[a.p]!.fds[a.file] ? true : `process ${a.p} holds no fd on file ${a.file}`);
    },
    effect: (d, a) => {
      if (a.driver === 'gntalloc') {
        d.alloc.files[a.file]!.fds[a.p] = false;
        allocFput(d, ctx, a.file);
        return;
      }
      d.procs[a.p]!.fds[a.file] = false;
      fput(d, ctx, a.file, a.p);
    },
  };
}
