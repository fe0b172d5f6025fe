/**
 * The CLI's searches, each in the search thread of one supervisor for the whole run (explorer/
 * supervise): the calling thread keeps the signals (signals.ts), the wall clock and the memory
 * budget, so that a time limit holds and a Ctrl-C is answered within about a second whatever the
 * model's code does. A search whose thread had to be ended (model code that never returned, a
 * thread out of memory) is reported as an incomplete result with the bounds its last progress
 * report gave.
 */
import { SearchThreadError, Supervisor, type CheckResult, type GuardedModel, type IncompleteResult, type Progress, type Supervised, type SupervisedOptions, type SupervisedTask, type TaskOptions, type WorkerSource } from '../explorer/index.js';
import type { Action, State } from '../model/index.js';
import { interruptedBy, setSearchTarget, type Signal } from './signals.js';

let supervisor: Supervisor | undefined;

function theSupervisor(): Supervisor {
  return (supervisor ??= new Supervisor());
}

/** Ends the search thread (at the end of a command). */
export async function closeSearches(): Promise<void> {
  const s = supervisor;
  supervisor = undefined;
  await s?.close();
}

/** The module of the CLI's search-thread tasks (tasks.ts). */
export const TASKS = new URL('./tasks.js', import.meta.url).href;

/** Progress every half second when nobody watches: an ended search reports where it stood. */
const QUIET_PROGRESS_MS = 500;

/** Runs `f` with the supervisor as what a signal interrupts. */
async function asTarget<T>(f: (s: Supervisor) => Promise<T>): Promise<T> {
  const s = theSupervisor();
  setSearchTarget(s);
  try {
    return await f(s);
  } finally {
    setSearchTarget(undefined);
  }
}

/** What ended searches say, as the result of a check: incomplete, every property unknown. */
export function endedResult(model: GuardedModel<State, Action>, ended: Extract<Supervised<State, Action>, { kind: 'ended' }>, options: { readonly maxStates?: number; readonly maxDepth?: number; readonly timeLimitMs?: number; readonly maxMemoryBytes?: number }): IncompleteResult<State, Action> {
  const p: Progress | undefined = ended.progress;
  const secs = (p?.elapsedMs ?? 0) / 1000;
  return {
    status: 'incomplete',
    exhaustive: false,
    boundHit: ended.boundHit,
    stats: {
      distinctStates: p?.distinctStates ?? 0,
      generatedStates: p?.generatedStates ?? 0,
      depth: p?.depth ?? 0,
      durationMs: p?.elapsedMs ?? 0,
      statesPerSecond: p?.statesPerSecond ?? 0,
      generatedPerSecond: secs > 0 ? Math.round((p?.generatedStates ?? 0) / secs) : 0,
      peakQueue: p?.queue ?? 0,
      collisionProbability: 0,
      terminalStates: 0,
      deadlockStates: 0,
      visitedBytes: 0,
      linkBytes: 0,
    },
    bounds: {
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
      ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
    },
    coverage: [],
    witnesses: [],
    violations: [],
    deadlocks: [],
    properties: model.properties.map((q) => ({ name: q.name, kind: q.kind, outcome: 'unknown' as const })),
    warnings: [`the search was ended, not stopped: ${ended.why}; its figures are those of its last progress report, and no violation it may have found is known`],
  };
}

/** The options of a supervised check. */
export type SupervisedCheckOptions = Omit<SupervisedOptions, 'observer'> & { readonly profile?: boolean };

/**
 * Checks `model` in the search thread (it is built there from `model.worker`); with `profile`, the
 * thread's profiler observes every new state and its profile comes back too.
 */
export async function supervisedCheck(model: GuardedModel<State, Action>, options: SupervisedCheckOptions): Promise<{ readonly result: CheckResult<State, Action>; readonly observed?: unknown }> {
  const source = (model as { worker?: WorkerSource }).worker;
  if (source === undefined) throw new Error(`the model does not say how the search thread builds it (model.worker)`);
  const { profile, ...rest } = options;
  const out = await asTarget((s) =>
    s.run<State, Action>(source, {
      ...rest,
      ...(rest.onProgress === undefined ? { progressIntervalMs: QUIET_PROGRESS_MS } : {}),
      ...(profile ? { observer: { module: TASKS, exportName: 'profileObserver' } } : {}),
    }),
  );
  if (out.kind === 'ended') return { result: endedResult(model, out, rest) };
  return { result: out.result, ...(out.observed !== undefined ? { observed: out.observed } : {}) };
}

/** Runs a task of tasks.ts in the search thread. */
export async function supervisedTask<T>(exportName: string, args: unknown, options: TaskOptions = {}): Promise<SupervisedTask<T>> {
  return asTarget((s) => s.task<T>({ module: TASKS, exportName, args: [args] }, options));
}

/**
 * Loads a design file (and builds its model) in the search thread, within `timeoutMs`; a signal
 * meanwhile ends the process as at any moment outside a search. Errors come back with their names.
 */
export async function supervisedLoad(file: string, config: string | undefined, overrides: unknown, timeoutMs: number): Promise<SupervisedTask<string>> {
  try {
    return await theSupervisor().task<string>({ module: TASKS, exportName: 'loadTask', args: [{ file, config, overrides }] }, { timeLimitMs: timeoutMs, graceMs: 100 });
  } catch (e) {
    const err = e as Error;
    // what the file's own loading says names it already; anything else that went wrong is the file's too
    if (err.name === 'DesignFileError' || err.name === 'UsageError' || err.name === 'CatalogError') throw e;
    throw new SearchThreadError(err.name === 'ModelError' || err.name === 'DesignError' ? err.name : 'DesignFileError', `design file '${file}': ${err.message.split('\n')[0]}`);
  }
}

/** The signal that interrupted a search of this run, if one did. */
export function interrupted(): Signal | undefined {
  return interruptedBy();
}

/** Whether a result's bound is a signal. */
export function wasInterrupted(r: { readonly boundHit?: { readonly bound: string } | string }): boolean {
  return typeof r.boundHit === 'object' && r.boundHit.bound === 'interrupted';
}

export { SearchThreadError };
