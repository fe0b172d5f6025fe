/** Guard clauses the gntalloc rules share. */
import type { Ctx } from '../internal/ctx.js';
import type { State } from '../state.js';

/** Guard clause: the configuration has gntalloc. */
export function noGntalloc(ctx: Ctx): string | undefined {
  return ctx.config.gntalloc ? undefined : 'the configuration has no gntalloc';
}

/** Guard clause: process p holds a descriptor on gntalloc file `file` (an open file: a released one has no descriptor). */
export function noAllocFd(s: State, p: number, file: number): string | undefined {
  return s.alloc.files[file]?.fds[p] ? undefined : `process ${p} holds no fd on gntalloc file ${file}`;
}
