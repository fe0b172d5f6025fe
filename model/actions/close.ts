/**
 * close(fd) — filp_close -> fput (fs/file_table.c): drops the descriptor's reference; if no fd and
 * no VMA holds the file any more, gntdev_release runs (simplified: at once, not from task work).
 */
import type { Ctx } from '../internal/ctx.js';
import { fput } from '../internal/mm.js';
import { notRunning, type ActionRule } from './common.js';

export function close(ctx: Ctx): ActionRule<'close'> {
  return {
    guard: (s, a) => notRunning(s, a.p) ?? (s.procs[a.p]!.fds[a.file] ? true : `process ${a.p} holds no fd on file ${a.file}`),
    effect: (d, a) => {
      d.procs[a.p]!.fds[a.file] = false;
      fput(d, ctx, a.file);
    },
  };
}
