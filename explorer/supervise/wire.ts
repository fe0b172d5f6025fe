/** The messages between a supervisor and its search thread. */
import type { CheckOptions } from '../options.js';
import type { CheckResult, Progress } from '../result.js';

/** A worker source with its module resolved to a URL of built JavaScript. */
export interface ResolvedSource {
  readonly url: string;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** The options that cross threads: no callbacks, no stop word (the supervisor's own). */
export type PlainCheckOptions = Omit<CheckOptions, 'onProgress' | 'observe' | 'stopSignal'>;

export type ToSearchThread =
  | {
      readonly type: 'run';
      readonly id: number;
      readonly model: ResolvedSource;
      readonly observer?: ResolvedSource;
      readonly options: PlainCheckOptions;
      readonly stop: SharedArrayBuffer;
    }
  | {
      /** Another search (a family search, a simulation): `task(...args, { stopSignal, onProgress })`, its answer structured-cloneable. */
      readonly type: 'task';
      readonly id: number;
      readonly task: ResolvedSource;
      readonly stop: SharedArrayBuffer;
    };

export type FromSearchThread =
  | { readonly type: 'progress'; readonly id: number; readonly progress: Progress }
  | { readonly type: 'result'; readonly id: number; readonly result: CheckResult<unknown, unknown>; readonly observed?: unknown }
  | { readonly type: 'answer'; readonly id: number; readonly answer: unknown }
  | { readonly type: 'error'; readonly id: number; readonly name: string; readonly message: string };
