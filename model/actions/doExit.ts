/**
 * do_exit -> exit_mm -> mmput -> exit_mmap (kernel/exit.c, kernel/fork.c, mm/mmap.c): the last
 * thread is gone; exit_mmap starts and runs the design's exit steps, one action each. Other
 * processes, B and the kernel's workers keep running in between. Then exit_files closes the
 * descriptors.
 *
 * With config.remoteMmput another task holds the mm (get_task_mm: ptrace's access_remote_vm,
 * /proc/pid/mem), so exit_mm's mmput is not the last (`held`): do_exit goes on to exit_files at
 * once, and exit_mmap runs later in that task's mmput (`mmput`), which may get_user_pages on the
 * mm meanwhile.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { gntallocExitFiles } from '../internal/gntalloc.js';
import { fput } from '../internal/mm.js';
import { NO_OP } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

export function doExit(ctx: Ctx): ActionRule<'do_exit'> {
  return {
    guard: (s, a) => (a.held && !ctx.config.remoteMmput ? 'the configuration has no other task holding the mm' : (notRunning(s, a.p) ?? mmBusy(s, a.p) ?? true)),
    effect: (d, a) => {
      const p = d.procs[a.p]!;
      p.state = 'exiting';
      if (!a.held) {
        p.op = castDraft({ ...NO_OP, kind: 'exit', step: 0, start: 0, end: 0 });
        return;
      }
      // exit_mm's mmput is not the last; exit_files (kernel/exit.c) closes the descriptors now
      const files = p.fds.flatMap((held, f) => (held ? [f] : []));
      p.fds = p.fds.map(() => false);
      for (const f of files) fput(d, ctx, f, a.p);
      gntallocExitFiles(d, ctx, a.p);
    },
  };
}

/** The other task's mmput (kernel/fork.c) drops the last mm_users reference: exit_mmap begins. */
export function mmput(ctx: Ctx): ActionRule<'mmput'> {
  return {
    guard: (s, a) => {
      if (!ctx.config.remoteMmput) return 'the configuration has no other task holding the mm';
      const p = s.procs[a.p];
      return p && p.state === 'exiting' && p.op.kind === 'none' ? true : `process ${a.p}'s mm is not held by another task after its exit`;
    },
    effect: (d, a) => {
      d.procs[a.p]!.op = castDraft({ ...NO_OP, kind: 'exit', step: 0, start: 0, end: 0 });
    },
  };
}
