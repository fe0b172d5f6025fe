/**
 * What the search thread runs besides `check` (explorer/supervise: `Supervisor.task`): each task
 * builds the design from where it comes from (a built-in name, a design file, changed points) and
 * runs one search with the supervisor's stop word, answering structured-cloneable data. The
 * calling thread keeps the signals, the wall clock and the memory budget; model code (a design
 * file's guards and recipes) runs only here.
 */
import { modelOf, reachOf, type Reach } from '../catalog.js';
import { designFromSource, loadDesignFile } from '../designFile.js';
import type { DesignSource } from '../extend.js';
import { simulate, type Observer, type SimulateOptions, type SimulationResult, type TaskContext, type CheckOptions } from '../explorer/index.js';
import { configs, type Action, type ModelConfig, type State } from '../model/index.js';
import { configWith, type ConfigOverrides } from './config.js';
import { checkOrderings, type OrderingsResult, type SequenceName } from '../orderings.js';
import { StateProfiler } from './profile.js';

/** The family search of `grantcheck orderings`. */
export async function orderingsTask(
  args: { readonly design: DesignSource; readonly config: ModelConfig; readonly sequence: SequenceName; readonly keep: readonly (readonly [string, string])[]; readonly bounds: Pick<CheckOptions, 'maxStates' | 'maxDepth' | 'timeLimitMs'>; readonly progressIntervalMs?: number },
  ctx: TaskContext,
): Promise<OrderingsResult> {
  const design = await designFromSource(args.design);
  return checkOrderings({ design, config: args.config, sequence: args.sequence, keep: args.keep, bounds: args.bounds, stopSignal: ctx.stopSignal, onProgress: ctx.onProgress, ...(args.progressIntervalMs !== undefined ? { progressIntervalMs: args.progressIntervalMs } : {}) });
}

/** The random walks of `grantcheck simulate`. */
export async function simulateTask(args: { readonly design: DesignSource; readonly config: ModelConfig; readonly options: SimulateOptions }, ctx: TaskContext): Promise<SimulationResult<State, Action>> {
  const model = modelOf(await designFromSource(args.design), args.config);
  return simulate(model, { ...args.options, stopSignal: ctx.stopSignal });
}

/** What a design reaches (a patch's base, to compare with the patch: `grantcheck check --design-file`). */
export async function reachTask(args: { readonly design: DesignSource; readonly config: ModelConfig; readonly bounds: Pick<CheckOptions, 'maxStates' | 'maxDepth' | 'timeLimitMs' | 'progressIntervalMs'> }, ctx: TaskContext): Promise<Reach> {
  return reachOf(await designFromSource(args.design), args.config, { ...args.bounds, stopSignal: ctx.stopSignal, onProgress: ctx.onProgress });
}

/**
 * Loads a design file and builds its model on a configuration: what the calling thread does next,
 * tried here first, where code that never returns (a top-level loop, a builder that loops) can be
 * ended. Answers the design's name.
 */
export async function loadTask(args: { readonly file: string; readonly config: string | undefined; readonly overrides: ConfigOverrides }): Promise<string> {
  const design = await loadDesignFile(args.file);
  const base = args.config !== undefined ? configs[args.config] : configs[design.defaultConfig];
  // an unknown configuration is the calling thread's to report (it names the choices)
  if (base !== undefined) modelOf(design, configWith(base, args.overrides));
  return design.name;
}

/** The observer of `--profile` (an `Observer` built in the search thread). */
export function profileObserver(): Observer {
  const p = new StateProfiler();
  return { observe: p.observe, finish: () => p.result() };
}
