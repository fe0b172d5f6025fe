/**
 * The search thread: runs `check` for a supervisor (supervisor.ts) in a worker thread, so that the
 * thread that owns the signals, the wall clock and the memory budget never runs model code. It
 * builds the model (and an optional observer) from their sources, runs one check per request with
 * the supervisor's stop word, reports progress, and answers with the result or the error.
 */
import { parentPort } from 'node:worker_threads';
import { check } from '../check.js';
import type { Model } from '../model.js';
import type { CheckOptions } from '../options.js';
import type { Progress } from '../result.js';
import type { FromSearchThread, ToSearchThread } from './wire.js';

/** What an observer source builds: the `observe` callback and, at the end, what it collected. */
export interface Observer {
  observe(state: unknown, depth: number): void;
  finish(): unknown;
}

const port = parentPort!;

async function build<T>(source: { readonly url: string; readonly exportName: string; readonly args: readonly unknown[] }): Promise<T> {
  const mod = (await import(source.url)) as Record<string, unknown>;
  const factory = mod[source.exportName];
  if (typeof factory !== 'function') throw new Error(`search thread: ${source.url} exports no function '${source.exportName}'`);
  return (await (factory as (...a: unknown[]) => T | Promise<T>)(...source.args)) as T;
}

function post(msg: FromSearchThread): void {
  port.postMessage(msg);
}

/** What a task gets after its own arguments: the supervisor's stop word and a progress callback. */
export interface TaskContext {
  readonly stopSignal: Int32Array;
  readonly onProgress: (progress: Progress) => void;
}

port.on('message', (msg: ToSearchThread) => {
  if (msg.type === 'task') {
    void (async () => {
      try {
        const mod = (await import(msg.task.url)) as Record<string, unknown>;
        const task = mod[msg.task.exportName];
        if (typeof task !== 'function') throw new Error(`search thread: ${msg.task.url} exports no function '${msg.task.exportName}'`);
        const context: TaskContext = { stopSignal: new Int32Array(msg.stop), onProgress: (progress) => post({ type: 'progress', id: msg.id, progress }) };
        const answer = await (task as (...a: unknown[]) => unknown)(...msg.task.args, context);
        post({ type: 'answer', id: msg.id, answer });
      } catch (e) {
        const err = e instanceof Error ? e : new Error(String(e));
        post({ type: 'error', id: msg.id, name: err.name, message: err.message });
      }
    })();
    return;
  }
  if (msg.type !== 'run') return;
  void (async () => {
    try {
      const model = await build<Model<unknown, unknown>>(msg.model);
      const observer = msg.observer ? await build<Observer>(msg.observer) : undefined;
      const options: CheckOptions = {
        ...msg.options,
        stopSignal: new Int32Array(msg.stop),
        onProgress: (progress) => post({ type: 'progress', id: msg.id, progress }),
        ...(observer ? { observe: (s: unknown, d: number) => observer.observe(s, d) } : {}),
      };
      const result = check(model, options);
      post({ type: 'result', id: msg.id, result, ...(observer ? { observed: observer.finish() } : {}) });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', id: msg.id, name: err.name, message: err.message });
    }
  })();
});
