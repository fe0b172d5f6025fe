/**
 * do_exit -> exit_files (kernel/exit.c): after exit_mm, the exited process's descriptors are
 * closed (fput each; the last reference runs gntdev_release, or gntalloc_release). The process is then dead.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { gntallocExitFiles } from '../internal/gntalloc.js';
import { fput } from '../internal/mm.js';
import { NO_OP } from '../state.js';
import type { ActionRule } from './common.js';

export function exitFiles(ctx: Ctx): ActionRule<'exit_files'> {
  return {
    guard: (s, a) => {
      const p = s.procs[a.p];
      if (!p || p.state !== 'exiting') return `process ${a.p} is not exiting`;
      if (p.op.kind !== 'exit' || p.op.step < ctx.design.exitSteps.length) return 'exit_mmap is not done';
      return true;
    },
    effect: (d, a) => {
      const p = d.procs[a.p]!;
      p.op = castDraft(NO_OP);
      p.state = 'dead';
      const files = p.fds.flatMap((held, f) => (held ? [f] : []));
      p.fds = p.fds.map(() => false);
      for (const f of files) fput(d, ctx, f, a.p);
      gntallocExitFiles(d, ctx, a.p);
    },
  };
}
