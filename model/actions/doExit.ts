/**
 * do_exit -> exit_mm -> mmput -> exit_mmap (kernel/exit.c, mm/mmap.c): the last thread is gone;
 * exit_mmap starts and runs the design's exit steps, one action each. Other processes, B and
 * the kernel's workers keep running in between. Then exit_files closes the descriptors.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../internal/ctx.js';
import { NO_OP } from '../state.js';
import { mmBusy, notRunning, type ActionRule } from './common.js';

export function doExit(_ctx: Ctx): ActionRule<'do_exit'> {
  return {
    guard: (s, a) => notRunning(s, a.p) ?? mmBusy(s, a.p) ?? true,
    effect: (d, a) => {
      const p = d.procs[a.p]!;
      p.state = 'exiting';
      p.op = castDraft({ ...NO_OP, kind: 'exit', step: 0, start: 0, end: 0 });
    },
  };
}
