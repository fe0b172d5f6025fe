/**
 * What the rules share: common guard clauses, and the machinery of the multi-step system calls
 * (munmap and exit_mmap run one step per action, in the design's order).
 */
import { castDraft, type Draft } from 'immer';
import type { Rule } from '../../explorer/index.js';
import type { Action } from '../action.js';
import type { Ctx } from '../internal/ctx.js';
import { doMmapAt } from '../internal/mmap.js';
import { NO_OP, NONE, type State, type TeardownStep } from '../state.js';

/** The rule of one action kind. */
export type ActionRule<K extends Action['kind']> = Rule<State, Extract<Action, { readonly kind: K }>>;

/** Guard clause: process p is alive and running (not unused, exiting or dead). */
export function notRunning(s: State, p: number): string | undefined {
  const proc = s.procs[p];
  if (!proc) return `no process ${p}`;
  return proc.state === 'running' ? undefined : `process ${p} is ${proc.state}`;
}

/** Guard clause for a call that takes p's mmap_lock for writing: no call holds it, for writing or reading. */
export function mmBusy(s: State, p: number): string | undefined {
  const proc = s.procs[p]!;
  if (proc.op.kind !== 'none') return `mmap_lock held: ${proc.op.kind} in progress`;
  return proc.readers.length > 0 ? `mmap_lock held for reading: ${proc.readers.length} MADV_DONTNEED call(s) in progress` : undefined;
}

/** The step list of the sequence running in p's mm (empty when none). */
export function stepsOf(ctx: Ctx, s: State, p: number): readonly TeardownStep[] {
  const op = s.procs[p]!.op;
  return op.kind === 'munmap' ? ctx.design.munmapSteps : op.kind === 'exit' ? ctx.design.exitSteps : [];
}

/**
 * Which step may run next in p's sequence: the design's next step; or, in the orderings tool's
 * family model, any step while the sequence is not done (the family search's variants, one per
 * ordering, each allow only their own step at this position).
 */
export function nextStepAllowed(ctx: Ctx, s: State, p: number, kind: TeardownStep): true | string {
  const op = s.procs[p]!.op;
  const steps = stepsOf(ctx, s, p);
  const dyn = ctx.design.dynamicOrder;
  if (!dyn || dyn.sequence !== op.kind) {
    const next = steps[op.step];
    return next === kind ? true : next === undefined ? `${op.kind} steps are done` : `next step is ${next}`;
  }
  // the family search's variants allow only each ordering's step at this position (so no repeats)
  return op.step < steps.length ? true : `${op.kind} steps are done`;
}

/**
 * A teardown step as a rule: enabled when the sequence in progress in p's mm has reached this step;
 * the effect runs the step, then advances. The last munmap step ends the call (and runs the mmap
 * a MAP_FIXED was waiting for).
 */
export function stepRule<K extends TeardownStep>(ctx: Ctx, kind: K, run: (d: Draft<State>, p: number) => void): ActionRule<K> {
  const rule: Rule<State, { readonly kind: K; readonly p: number }> = {
    guard: (s, a) => {
      const proc = s.procs[a.p];
      if (!proc) return `no process ${a.p}`;
      if (proc.op.kind !== 'munmap' && proc.op.kind !== 'exit') return `no munmap or exit_mmap in progress in process ${a.p}`;
      if (proc.smmu.awaitingAck) return "XPmem's invalidate callback sleeps until the remote side acknowledges";
      const steps = stepsOf(ctx, s, a.p);
      if (!steps.includes(kind)) return `${kind} is not a step of this design's ${proc.op.kind === 'exit' ? 'exit_mmap' : 'munmap'}`;
      return nextStepAllowed(ctx, s, a.p, kind);
    },
    effect: (d, a) => {
      run(d, a.p);
      const op = d.procs[a.p]!.op;
      op.step++;
      if (op.kind === 'munmap' && op.step === ctx.design.munmapSteps.length) {
        const { thenFile, thenMap, start } = op;
        d.procs[a.p]!.op = castDraft(NO_OP);
        if (thenMap !== NONE) doMmapAt(d, ctx, a.p, thenFile, thenMap, start, 'none');
      }
    },
  };
  return rule as unknown as ActionRule<K>;
}

/** The range a step works on: munmap's range, or the whole address space for exit_mmap. */
export function stepRange(ctx: Ctx, s: State, p: number): readonly [number, number] {
  const op = s.procs[p]!.op;
  return op.kind === 'munmap' ? [op.start, op.end] : [0, ctx.config.vaPages];
}
