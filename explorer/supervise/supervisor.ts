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
import { readFileSync } from 'node:fs';
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

/** Address space a search thread needs beyond what the process has reserved (its code range, stacks, heap). */
const MIN_THREAD_ROOM = 160 * 2 ** 20;

function mib(n: number): string {
  return `${Math.round(n / 2 ** 20)} MiB`;
}

function resolve(source: WorkerSource): ResolvedSource {
  return { url: builtModuleUrl(source.module).href, exportName: source.exportName, args: source.args ?? [] };
}

/** How a supervised task (supervisor.task) ended: its answer, or the thread was ended as for a check. */
export type SupervisedTask<T> = { readonly kind: 'result'; readonly result: T } | Extract<Supervised<unknown, unknown>, { kind: 'ended' }>;

/** A supervised task's options: the limits the supervisor enforces while it runs. */
export interface TaskOptions {
  readonly timeLimitMs?: number;
  readonly maxMemoryBytes?: number;
  readonly onProgress?: (p: Progress) => void;
  /** @defaultValue 1000 ms */
  readonly graceMs?: number;
}

/** An error message that says an allocation failed (a typed array, a Wasm memory): the budget, not a bug. */
const ALLOCATION_FAILED = /allocation failed|out of memory|cannot allocate|Invalid (typed )?array length|Array buffer allocation/i;

/** Runs checks (and other searches, as tasks) in a search thread of its own, one at a time. */
export class Supervisor {
  private thread: Worker | undefined;
  private nextId = 1;
  private active: { stop: Int32Array; requestStop: (code: number) => void } | undefined;
  /** The process's address-space limit (`ulimit -v`), when one is set: the thread and the poll keep below it. */
  private readonly addressSpace = addressSpaceLimit();

  /** Asks the check in progress (if any) to stop: SIGINT or SIGTERM. */
  interrupt(signal: 'SIGINT' | 'SIGTERM'): void {
    this.active?.requestStop(signal === 'SIGTERM' ? STOP_TERMINATE : STOP_INTERRUPT);
  }

  /** Whether a check or task is running. */
  get busy(): boolean {
    return this.active !== undefined;
  }

  /** Checks the model `source` builds, under the supervisor's clock, signals and memory budget. */
  async run<S, A>(source: WorkerSource, options: SupervisedOptions = {}): Promise<Supervised<S, A>> {
    const { onProgress, graceMs = 1000, observer, ...plain } = options;
    const out = await this.start(
      (id, stop) => ({ type: 'run', id, model: resolve(source), ...(observer ? { observer: resolve(observer) } : {}), options: plain, stop }),
      plain,
      graceMs,
      onProgress,
    );
    if (out.kind === 'ended') return out;
    const msg = out.msg as Extract<FromSearchThread, { type: 'result' }>;
    return { kind: 'result', result: msg.result as CheckResult<S, A>, ...(msg.observed !== undefined ? { observed: msg.observed } : {}) };
  }

  /**
   * Runs another search in the search thread: `(await import(task.module))[task.exportName](...task.args, { stopSignal, onProgress })`,
   * whose answer must be structured-cloneable. The same clock, signals and memory budget as a check:
   * the task reads the stop word; when it does not answer within the grace period, the thread is ended.
   */
  async task<T>(source: WorkerSource, options: TaskOptions = {}): Promise<SupervisedTask<T>> {
    const { onProgress, graceMs = 1000, ...limits } = options;
    const out = await this.start((id, stop) => ({ type: 'task', id, task: resolve(source), stop }), limits, graceMs, onProgress);
    if (out.kind === 'ended') return out;
    return { kind: 'result', result: (out.msg as Extract<FromSearchThread, { type: 'answer' }>).answer as T };
  }

  private start(
    message: (id: number, stop: SharedArrayBuffer) => ToSearchThread,
    limits: { readonly timeLimitMs?: number; readonly maxMemoryBytes?: number },
    graceMs: number,
    onProgress: ((p: Progress) => void) | undefined,
  ): Promise<{ kind: 'answer'; msg: FromSearchThread } | Extract<Supervised<unknown, unknown>, { kind: 'ended' }>> {
    if (this.active) return Promise.reject(new Error('supervisor: a check is already running'));
    const addressSpace = this.addressSpace;
    if (addressSpace !== undefined && this.thread === undefined && addressSpace - virtualSize() < MIN_THREAD_ROOM) {
      // a thread that cannot even reserve its code range would abort the process: say so instead
      const boundHit = stopBound(STOP_MEMORY, { distinctStates: 0, depth: 0 }, { maxMemoryBytes: addressSpace });
      const why = `the address-space limit (ulimit -v) of ${mib(addressSpace)} leaves ${mib(Math.max(0, addressSpace - virtualSize()))} beyond what this process has reserved, too little to start the search thread (${mib(MIN_THREAD_ROOM)} at least); raise ulimit -v`;
      return Promise.resolve({ kind: 'ended', boundHit: { ...boundHit, detail: why }, progress: undefined, why });
    }
    const thread = this.threadFor(limits.maxMemoryBytes);
    const id = this.nextId++;
    const stop = stopWord();
    let lastProgress: Progress | undefined;
    const t0 = performance.now();
    /** The stop came from the address-space poll (its bound then says so). */
    let vmStop = false;
    return new Promise((resolvePromise, reject) => {
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
        const boundHit = stopBound(code, at, code === STOP_MEMORY && limits.maxMemoryBytes === undefined && addressSpace !== undefined ? { maxMemoryBytes: addressSpace } : limits);
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
        } else if (msg.type === 'result' || msg.type === 'answer') {
          const r = msg.type === 'result' ? (msg.result as unknown as { status: string; boundHit?: BoundHit; warnings: string[] }) : undefined;
          if (vmStop && r?.boundHit?.bound === 'maxMemoryBytes') {
            // the search only saw its stop word: say which limit it was
            const old = r.boundHit.detail;
            const at = old.replace(/^.*?( at depth| with)/, '$1');
            const detail = `address-space limit (ulimit -v) of ${mib(addressSpace!)} nearly reached${at === old ? '' : at}`;
            r.boundHit = { bound: 'maxMemoryBytes', limit: addressSpace!, detail };
            r.warnings = r.warnings.map((w) => w.replace(old, detail));
          }
          finish(() => resolvePromise({ kind: 'answer', msg }));
        } else if (msg.name === 'RangeError' && ALLOCATION_FAILED.test(msg.message)) {
          ended(STOP_MEMORY, `an allocation failed in the search thread (${msg.message})`);
        } else {
          finish(() => reject(errorOf(msg.name, msg.message)));
        }
      };
      const onError = (e: Error): void => {
        const oom = (e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' || ALLOCATION_FAILED.test(e.message);
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
      if (limits.timeLimitMs !== undefined) timers.push(setTimeout(() => requestStop(STOP_TIME), limits.timeLimitMs));
      // the address-space limit (ulimit -v) counts reservations, not the resident set: keep a margin below it
      const vmStopAt = addressSpace !== undefined ? addressSpace - Math.max(48 * 2 ** 20, addressSpace * 0.04) : Infinity;
      const memoryPoll = setInterval(() => {
        if (limits.maxMemoryBytes !== undefined && process.memoryUsage.rss() > limits.maxMemoryBytes * 0.97) requestStop(STOP_MEMORY);
        else if (vmStopAt !== Infinity && virtualSize() > vmStopAt) {
          vmStop = true;
          requestStop(STOP_MEMORY);
        }
      }, MEMORY_POLL_MS);
      memoryPoll.unref();
      try {
        thread.postMessage(message(id, stop.buffer as SharedArrayBuffer));
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
    let heapMb = maxMemoryBytes !== undefined ? Math.max(64, Math.floor((maxMemoryBytes / 2 ** 20) * 0.75)) : undefined;
    const limits: { maxOldGenerationSizeMb?: number; codeRangeSizeMb?: number } = {};
    if (this.addressSpace !== undefined) {
      // under ulimit -v a new isolate's default code range (hundreds of MiB, reserved) alone may not fit,
      // and an allocation that fails outside the JS heap aborts the process: keep the heap well inside
      const room = Math.max(0, this.addressSpace - virtualSize() - 256 * 2 ** 20);
      heapMb = Math.min(heapMb ?? Infinity, Math.max(32, Math.floor((room * 0.5) / 2 ** 20)));
      limits.codeRangeSizeMb = 32;
    }
    if (heapMb !== undefined) limits.maxOldGenerationSizeMb = heapMb;
    const t = new Worker(script, Object.keys(limits).length ? { resourceLimits: limits } : {});
    t.unref();
    this.thread = t;
    return t;
  }
}

/** The soft address-space limit of this process (`ulimit -v`), in bytes, when one is set (Linux). */
function addressSpaceLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max address space'));
    const soft = line?.slice('Max address space'.length).trim().split(/\s+/)[0];
    return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined;
  }
}

/** This process's virtual size (VmSize), in bytes; 0 where it cannot be read. */
function virtualSize(): number {
  try {
    const m = /VmSize:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function errorOf(name: string, message: string): Error {
  if (name === 'ModelError') return new ModelError(message);
  if (name === 'CheckOptionError') return new CheckOptionError(message);
  return new SearchThreadError(name, message);
}

export { STOP_INTERRUPT, STOP_TERMINATE, STOP_TIME, STOP_MEMORY };
