/**
 * The messages of the parallel search (coordinator `parallel.ts`, workers `worker.ts`) and the
 * order in which findings are ranked, so that the merged result equals the sequential search's.
 */
import type { WorkerSource } from './workers.js';

/** What a worker is started with. */
export interface WorkerInit {
  readonly index: number;
  readonly workers: number;
  readonly source: { readonly url: string; readonly exportName: string; readonly args: readonly unknown[] };
  /** Property names selected by `options.properties` (undefined: all). */
  readonly properties: readonly string[] | undefined;
  readonly useSymmetry: boolean;
  readonly checkDeadlock: boolean;
  readonly maxReportedDeadlocks: number;
  readonly maxMemoryBytes: number | undefined;
  readonly frontierMemoryBytes: number;
  readonly spillDirectory: string | undefined;
  /** Signal words: [w] is worker w's, [workers] the coordinator's. */
  readonly signals: SharedArrayBuffer;
}

/**
 * When a finding happened in the sequential search, as a sortable tuple: (state index being
 * expanded, phase, action index, property index). Phase 0: step properties (phase 1 of an
 * expansion); 1: properties of a new state (found while inserting it); 2: quiescence and deadlock.
 * Initial states use state index -1 and their initial-state index as action index.
 */
export type FindTime = readonly [number, number, number, number];

/** A finding, with the time that ranks it. */
export interface WireFind {
  readonly property: string;
  readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
  readonly clause?: string;
  readonly stateIndex: number;
  readonly actionIndex?: number;
  readonly time: FindTime;
}

/** Compares two find times. */
export function compareTimes(a: FindTime, b: FindTime): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Coordinator to worker. */
export type ToWorker =
  | { readonly type: 'init'; readonly states: readonly { readonly index: number; readonly bytes: Uint8Array; readonly hi: number; readonly lo: number }[] }
  | {
      readonly type: 'expand';
      readonly levelStart: number;
      readonly depth: number;
      readonly atBound: boolean;
      readonly violated: readonly string[];
      readonly deadline: number;
    }
  | { readonly type: 'assign'; readonly indices: Float64Array }
  | { readonly type: 'stop' };

/** Worker to coordinator. */
export type FromWorker =
  | { readonly type: 'ready' }
  | {
      readonly type: 'keys';
      /** New states of the level owned by this worker, sorted: parent index * KEY_SPAN + action index. */
      readonly keys: Float64Array;
      readonly generated: number;
      readonly terminal: number;
      readonly deadlocks: number;
      /** The first deadlocked states (indices), ascending. */
      readonly deadlockIdx: readonly number[];
      readonly finds: readonly WireFind[];
      /** Per action index: transitions generated, and the first state index that generated it (-1: none). */
      readonly genAi: Float64Array;
      readonly firstGen: Float64Array;
      readonly unexplored: number;
      /** Successors whose canonical form differed (symmetry), since the start. */
      readonly canonicalized: number;
      readonly aborted?: 'timeLimitMs' | 'maxMemoryBytes';
    }
  | {
      readonly type: 'done';
      readonly finds: readonly WireFind[];
      /** Per witness: the first new state index reaching it, -1 if none. */
      readonly witnessAt: readonly number[];
      readonly newAi: Float64Array;
      readonly frontier: number;
      readonly visitedBytes: number;
      readonly spilledBytes: number;
      readonly peakFrontierBytes: number;
    }
  | { readonly type: 'error'; readonly message: string; readonly stateIndex: number; readonly actionIndex: number };

/** Worker to worker: successors routed to their owner; chunks go back empty to be reused; the end of a level. */
export type ToPeer =
  | { readonly type: 'chunk'; readonly buf: ArrayBuffer; readonly count: number }
  | { readonly type: 'free'; readonly buf: ArrayBuffer }
  | { readonly type: 'end' };

/** Keys pack (parent index, action index) in one double: index * KEY_SPAN + action. */
export const KEY_SPAN = 2 ** 21;

/**
 * The worker that owns a fingerprint: from the low word's low bits (the visited set uses the low
 * word's high bits for shards and the high word for slots, so each worker's set stays uniform).
 */
export function ownerOf(lo: number, workers: number): number {
  return (lo & 0xffffff) % workers;
}

/** Re-exported for the worker's imports. */
export type { WorkerSource };
