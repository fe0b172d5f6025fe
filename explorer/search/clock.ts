/**
 * The clock of a search, shared by the engines (bfs.ts, engine.ts, family.ts): the time bound and
 * the progress callback, consulted every so many states.
 */
import type { BoundHit, Progress } from '../result.js';

/** What a clock reads from the search's options. */
export interface ClockOptions {
  readonly timeLimitMs?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
}

/** Where the search stands when the clock is read. */
export interface ClockReading {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly depth: number;
  /** What is still queued (states, or a family search's entries). */
  readonly queue: number;
}

/**
 * A clock started at `t0`: each call reports progress when the interval has passed, and returns
 * the time bound when it is reached (else undefined). `queued` names what the queue holds.
 */
export function searchClock(options: ClockOptions, t0: number, queued = 'states'): (at: ClockReading) => BoundHit | undefined {
  const timeLimit = options.timeLimitMs ?? Infinity;
  const interval = options.progressIntervalMs ?? 2000;
  let lastProgress = t0;
  return ({ distinctStates, generatedStates, depth, queue }) => {
    const now = performance.now();
    if (options.onProgress && now - lastProgress >= interval) {
      lastProgress = now;
      const secs = (now - t0) / 1000;
      options.onProgress({ distinctStates, generatedStates, statesPerSecond: secs > 0 ? Math.round(distinctStates / secs) : 0, depth, queue, elapsedMs: Math.round(now - t0) });
    }
    if (now - t0 < timeLimit) return undefined;
    return { bound: 'timeLimitMs', limit: timeLimit, detail: `time limit of ${timeLimit} ms reached at depth ${depth} with ${queue} ${queued} still queued` };
  };
}
