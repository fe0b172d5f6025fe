/**
 * Supervision apart from search: the thread that owns the signals, the wall clock and the memory
 * budget is not the thread that runs model code. A supervisor runs each check in its search thread
 * (thread.ts, a worker thread that builds the model from its `WorkerSource`); when a limit is
 * reached or a signal comes, it writes the reason into the search's stop word (read at every
 * state and every 1,024 successors), and the search stops and answers with what it reached. When
 * model code does not return (a guard that loops for ever, a recipe that never ends), the answer
 * does not come: after a grace period the supervisor ends the thread and reports the run
 * incomplete with the bounds its last progress report gave. A thread that runs out of heap is
 * reported the same way (bound `maxMemoryBytes`), never as a crash.
 */
import { Worker } from 'node:worker_threads';
import { CheckOptionError } from '../options.js';
import { ModelError } from '../errors.js';
import { builtModuleUrl, type WorkerSource } from '../parallel/source.js';
import type { BoundHit, CheckResult, Progress } from '../result.js';
import { STOP_INTERRUPT, STOP_MEMORY, STOP_TERMINATE, STOP_TIME, stopBound, stopWord } from '../search/stop.js';
import type { FromSearchThread, PlainCheckOptions, ResolvedSource, ToSearchThread } from './wire.js';

/** How a supervised check ended. */
export type Supervised<S, A> =
  /** The search answered: complete, or stopped cleanly at a bound or a signal. */
  | { readonly kind: 'result'; readonly result: CheckResult<S, A>; readonly observed?: unknown }
  /**
   * The search did not answer within the grace period after it was asked to stop (model code that
   * does not return), or its thread ran out of memory: it was ended. `progress` is the last report.
   */
  | { readonly kind: 'ended'; readonly boundHit: BoundHit; readonly progress: Progress | undefined; readonly why: string };

/** A supervised check's options: the check's own (without callbacks) and the supervisor's. */
export interface SupervisedOptions extends PlainCheckOptions {
  readonly onProgress?: (p: Progress) => void;
  /** How long a search asked to stop may take to answer before its thread is ended. @defaultValue 1000 ms */
  readonly graceMs?: number;
  /** How a search thread builds an observer (`{ observe, finish }`) of every new state; its `finish()` comes back as `observed`. */
  readonly observer?: WorkerSource;
}

/** An error the search raised (ModelError, CheckOptionError, or another: its name is kept). */
export class SearchThreadError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

/** Polling period of the memory budget. */
const MEMORY_POLL_MS = 100;

function resolve(source: WorkerSource): ResolvedSource {
  return { url: builtModuleUrl(source.module).href, exportName: source.exportName, args: source.args ?? [] };
}

/** Runs checks in a search thread of its own, one at a time. */
export class Supervisor {
  private thread: Worker | undefined;
  private nextId = 1;
  private active: { stop: Int32Array; requestStop: (code: number) => void } | undefined;

  /** Asks the check in progress (if any) to stop: SIGINT or SIGTERM. */
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    this.active?.requestStop(signal === 'SIGTERM' ? STOP_TERMINATE : STOP_INTERRUPT);
  }

  /** Checks the model `source` builds, under the supervisor's clock, signals and memory budget. */
  run<S, A>(source: WorkerSource, options: SupervisedOptions = {}): Promise<Supervised<S, A>> {
    if (this.active) return Promise.reject(new Error('supervisor: a check is already running'));
    const { onProgress, graceMs = 1000, observer, ...plain } = options;
    const thread = this.threadFor(plain.maxMemoryBytes);
    const id = this.nextId++;
    const stop = stopWord();
    let lastProgress: Progress | undefined;
    const t0 = performance.now();
    return new Promise<Supervised<S, A>>((resolvePromise, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const finish = (f: () => void): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        clearInterval(memoryPoll);
        thread.off('message', onMessage);
        thread.off('error', onError);
        thread.off('exit', onExit);
        thread.unref();
        this.active = undefined;
        f();
      };
      const ended = (code: number, why: string): void => {
        const at = { distinctStates: lastProgress?.distinctStates ?? 0, depth: lastProgress?.depth ?? 0 };
        const boundHit = stopBound(code, at, plain);
        this.thread = undefined;
        void thread.terminate();
        finish(() => resolvePromise({ kind: 'ended', boundHit: { ...boundHit, detail: `${boundHit.detail} (last progress report, ${Math.round(performance.now() - t0)} ms in); ${why}` }, progress: lastProgress, why }));
      };
      const requestStop = (code: number): void => {
        if (settled || Atomics.load(stop, 0) !== 0) return;
        Atomics.store(stop, 0, code);
        timers.push(setTimeout(() => ended(code, `the search did not stop within ${graceMs} ms of being asked (model code that does not return), so its thread was ended`), graceMs));
      };
      this.active = { stop, requestStop };
      const onMessage = (msg: FromSearchThread): void => {
        if (msg.id !== id) return;
        if (msg.type === 'progress') {
          lastProgress = msg.progress;
          onProgress?.(msg.progress);
        } else if (msg.type === 'result') {
          finish(() => resolvePromise({ kind: 'result', result: msg.result as CheckResult<S, A>, ...(msg.observed !== undefined ? { observed: msg.observed } : {}) }));
        } else {
          finish(() => reject(errorOf(msg.name, msg.message)));
        }
      };
      const onError = (e: Error): void => {
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' || /allocation failed|out of memory/i.test(e.message);
        if (oom) ended(STOP_MEMORY, `the search thread ran out of memory (${e.message})`);
        else {
          this.thread = undefined;
          finish(() => reject(new SearchThreadError(e.name, e.message)));
        }
      };
      const onExit = (code: number): void => {
        this.thread = undefined;
        finish(() => reject(new SearchThreadError('Error', `the search thread exited (code ${code}) without an answer`)));
      };
      thread.on('message', onMessage);
      thread.on('error', onError);
      thread.on('exit', onExit);
      thread.ref();
      if (plain.timeLimitMs !== undefined) timers.push(setTimeout(() => requestStop(STOP_TIME), plain.timeLimitMs));
      const memoryPoll = setInterval(() => {
        if (plain.maxMemoryBytes !== undefined && process.memoryUsage.rss() > plain.maxMemoryBytes * 0.97) requestStop(STOP_MEMORY);
      }, MEMORY_POLL_MS);
      memoryPoll.unref();
      try {
        const msg: ToSearchThread = { type: 'run', id, model: resolve(source), ...(observer ? { observer: resolve(observer) } : {}), options: plain, stop: stop.buffer as SharedArrayBuffer };
        thread.postMessage(msg);
      } catch (e) {
        finish(() => reject(e));
      }
    });
  }

  /** Ends the search thread (the process can then exit). */
  async close(): Promise<void> {
    const t = this.thread;
    this.thread = undefined;
    if (t) await t.terminate();
  }

  private threadFor(maxMemoryBytes: number | undefined): Worker {
    if (this.thread) return this.thread;
    const script = builtModuleUrl(new URL('./thread.js', import.meta.url).href);
    // the thread's JS heap gets most of the budget; typed arrays (the stores) are counted by the poll
    const heapMb = maxMemoryBytes !== undefined ? Math.max(64, Math.floor((maxMemoryBytes / 2 ** 20) * 0.75)) : undefined;
    const t = new Worker(script, heapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMb } } : {});
    t.unref();
    this.thread = t;
    return t;
  }
}

function errorOf(name: string, message: string): Error {
  if (name === 'ModelError') return new ModelError(message);
  if (name === 'CheckOptionError') return new CheckOptionError(message);
  return new SearchThreadError(name, message);
}

export { STOP_INTERRUPT, STOP_TERMINATE, STOP_TIME, STOP_MEMORY };
