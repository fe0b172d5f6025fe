/**
 * The messages of the parallel search (coordinator `parallel.ts`, workers `worker.ts`) and the
 * order in which findings are ranked, so that the merged result equals the sequential search's.
 */
import type { FrontierRun } from '../store/frontierRuns.js';
import type { WorkerSource } from './source.js';

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
  readonly spillDirectory: string | undefined;
  /** Signal words: [w] is worker w's, [workers] the coordinator's. */
  readonly signals: SharedArrayBuffer;
  /** Control words (`CTL_*`). */
  readonly control: SharedArrayBuffer;
  /** A supervisor's stop word (search/stop.ts), read at every state expanded. */
  readonly stop: SharedArrayBuffer | undefined;
}

/** Transitions of one action kind in one worker's share of a level. */
export interface KindCount {
  readonly kind: string;
  readonly count: number;
  /** The first (state index, action index) that generated it. */
  readonly firstState: number;
  readonly firstAi: number;
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
  | {
      readonly type: 'expand';
      /** The visited set (shared), when it changed since the last level. */
      readonly table?: SharedArrayBuffer;
      /** Index of the level's first state, and this worker's range of the level: [from, from + count). */
      readonly levelStart: number;
      readonly from: number;
      readonly count: number;
      /** The level's states: every worker's run of the previous level, in worker order. */
      readonly runs: readonly FrontierRun[];
      readonly depth: number;
      readonly atBound: boolean;
      readonly violated: readonly string[];
      readonly deadline: number;
    }
  | { readonly type: 'resume'; readonly table: SharedArrayBuffer }
  | {
      readonly type: 'commit';
      /** The visited set, when it changed since the worker last saw it. */
      readonly table?: SharedArrayBuffer;
      /** Bytes of this worker's new states that may stay in memory; the rest are spilled. */
      readonly memBytes: number;
    }
  | { readonly type: 'stop' };

/** What a worker counted while expanding its share of a level (the parallel and the distributed search). */
export interface ExpandedCounts {
  readonly generated: number;
  readonly terminal: number;
  readonly deadlocks: number;
  /** The first deadlocked states (indices), ascending. */
  readonly deadlockIdx: readonly number[];
  readonly finds: readonly WireFind[];
  /** Per action kind: transitions generated, and where first. */
  readonly generatedByKind: readonly KindCount[];
  /** Transitions to states not yet seen, cut by the depth bound. */
  readonly unexplored: number;
  /** Successors whose canonical form differed (symmetry) in this level. */
  readonly canonicalized: number;
}

/** Worker to coordinator. */
export type FromWorker =
  | { readonly type: 'ready' }
  /** The table passed its limit: this worker stopped between two states until it is rebuilt. */
  | { readonly type: 'paused' }
  | (ExpandedCounts & {
      readonly type: 'expanded';
      /** Why the worker stopped before the end of its share: a bound, or a stop word's code. */
      readonly aborted?: 'timeLimitMs' | 'maxMemoryBytes' | number;
    })
  | {
      readonly type: 'committed';
      /** The worker's new states of the level, in index order. */
      readonly run: FrontierRun;
      /** Their links: (parent index, action index) pairs, in index order. */
      readonly links: Int32Array;
      /** Findings of `always` properties; `stateIndex` counts from the worker's first new state. */
      readonly finds: readonly WireFind[];
      /** Per witness: the first new state reaching it, counted from the worker's first new state; -1 if none. */
      readonly witnessAt: readonly number[];
      /** Per action kind: new states found (firstState, firstAi unused). */
      readonly newByKind: readonly KindCount[];
      readonly spilledBytes: number;
    }
  | { readonly type: 'error'; readonly message: string; readonly stateIndex: number; readonly actionIndex: number };

/** Shared control words of a parallel search (an Int32Array over `WorkerInit.control`). */
export const CTL_INSERTED = 0;
/** Entries the table may hold before it must grow. */
export const CTL_LIMIT = 1;
/** Set (1) when a worker saw the table pass its limit: every worker pauses for the rebuild. */
export const CTL_FULL = 2;
export const CTL_WORDS = 3;

/** Inserts a worker counts before it adds them to CTL_INSERTED. */
export const PUBLISH_EVERY = 256;

/** Re-exported for the worker's imports. */
export type { WorkerSource };
