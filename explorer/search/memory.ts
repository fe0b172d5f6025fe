/**
 * The memory guard: turns an impending out-of-memory into a clean stop. Checked every few
 * thousand states (reading the resident set costs a system call), it answers whether the search
 * must stop: the resident set is within a margin of `maxMemoryBytes`, or V8's heap (where JS
 * objects live; typed arrays do not count) is near its own limit, which would end the process
 * with a fatal "heap out of memory" that nothing can catch.
 */
import { getHeapStatistics } from 'node:v8';
import type { BoundHit } from '../result.js';

/** Headroom kept below the budget: the store grows between two checks by at most a shard or a chunk. */
const MARGIN_FRACTION = 0.06;
const MIN_MARGIN = 48 * 2 ** 20;

/** Watches the process's memory against a budget. */
export class MemoryGuard {
  private readonly stopAt: number;
  private readonly heapStopAt: number;
  /** The largest resident set seen at a check. */
  peakRss = 0;

  constructor(readonly maxBytes: number | undefined) {
    this.stopAt = maxBytes === undefined ? Infinity : maxBytes - Math.max(MIN_MARGIN, maxBytes * MARGIN_FRACTION);
    this.heapStopAt = getHeapStatistics().heap_size_limit * 0.88;
  }

  /** Measures now; returns the bound hit, or undefined while there is room. */
  check(distinct: number, depth: number): BoundHit | undefined {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakRss) this.peakRss = rss;
    if (rss > this.stopAt) {
      return {
        bound: 'maxMemoryBytes',
        limit: this.maxBytes!,
        detail: `memory budget of ${mib(this.maxBytes!)} nearly reached (resident ${mib(rss)}) with ${distinct} distinct states at depth ${depth}`,
      };
    }
    const heap = process.memoryUsage().heapUsed;
    if (heap > this.heapStopAt) {
      return {
        bound: 'maxMemoryBytes',
        limit: this.maxBytes ?? Math.round(this.heapStopAt / 0.88),
        detail: `the JS heap is near V8's limit (${mib(heap)} used) with ${distinct} distinct states at depth ${depth}; states kept as JS objects cannot grow further (a packed model or the fast path keeps them encoded)`,
      };
    }
    return undefined;
  }
}

function mib(n: number): string {
  return `${Math.round(n / 2 ** 20)} MiB`;
}
