/** What every rule and helper reads besides the state: the design and the constants. */
import type { ModelConfig } from '../config.js';
import type { Design } from '../design.js';

export interface Ctx {
  readonly design: Design;
  readonly config: ModelConfig;
  /**
   * The process whose task runs the kernel code at hand (`current`), where the code depends on
   * current->mm; NONE when current has no mm of its own (exit_mmap runs after exit_mm cleared
   * current->mm). Absent: the caller did not say (no code that reads it is reached).
   */
  readonly current?: number;
}

/** The context with `current` set to process p's task if it still has its mm (running), else to a task without one. */
export function asCurrent(ctx: Ctx, running: boolean, p: number): Ctx {
  return { ...ctx, current: running ? p : -1 };
}
