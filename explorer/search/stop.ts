/**
 * Stopping a search from outside it: a supervisor (another thread that owns the signals, the
 * wall clock and the memory budget) writes a reason into a shared word, and the search, which
 * reads the word at every state it expands, stops there cleanly and reports what it reached.
 */
import type { BoundHit } from '../result.js';

/** Why a supervisor asked the search to stop (the value of the shared word; 0: go on). */
export const STOP_INTERRUPT = 1;
export const STOP_TERMINATE = 2;
export const STOP_TIME = 3;
export const STOP_MEMORY = 4;

/** A stop word in shared memory (one Int32). */
export function stopWord(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** The bound a stop reason stands for, where the search stood. */
export function stopBound(code: number, at: { readonly distinctStates: number; readonly depth: number }, limits: { readonly timeLimitMs?: number; readonly maxMemoryBytes?: number }): BoundHit {
  const where = `at depth ${at.depth} with ${at.distinctStates} distinct states`;
  switch (code) {
    case STOP_TIME:
      return { bound: 'timeLimitMs', limit: limits.timeLimitMs ?? 0, detail: `time limit of ${limits.timeLimitMs ?? '?'} ms reached ${where}` };
    case STOP_MEMORY:
      return { bound: 'maxMemoryBytes', limit: limits.maxMemoryBytes ?? 0, detail: `memory budget of ${Math.round((limits.maxMemoryBytes ?? 0) / 2 ** 20)} MiB nearly reached ${where}` };
    case STOP_TERMINATE:
      return { bound: 'interrupted', limit: 15, detail: `interrupted by SIGTERM ${where}` };
    default:
      return { bound: 'interrupted', limit: 2, detail: `interrupted by SIGINT ${where}` };
  }
}
