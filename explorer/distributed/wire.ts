/**
 * What goes through Redis in a distributed run: the job the coordinator posts, the tasks of the
 * task stream and the results workers send back. Everything is JSON in one stream field
 * (`d`); states, fingerprints and parent links travel as binary strings under their own keys.
 */
import type { ExpandedCounts, WireFind, KindCount } from '../parallel/wire.js';

export type { WireFind, KindCount };

/** How a worker builds the model, for any host: the module as a URL, and relative to the package root. */
export interface JobSource {
  readonly url: string;
  /** The module's path inside the grantcheck package (dist/...), for a host where the package sits elsewhere. */
  readonly packagePath: string | undefined;
  readonly exportName: string;
  readonly args: readonly unknown[];
}

/** The job a coordinator posts under `grantcheck:job`. */
export interface Job {
  readonly run: string;
  readonly kind: 'check' | 'simulate';
  readonly source: JobSource;
  /** check: the options a worker needs. */
  readonly properties: readonly string[] | undefined;
  readonly useSymmetry: boolean;
  readonly checkDeadlock: boolean;
  readonly maxReportedDeadlocks: number;
  readonly shards: number;
  /** A worker renews its heartbeat key (this lifetime) three times per lifetime. */
  readonly heartbeatTimeoutMs: number;
  /** simulate: the options of every walk (seed and runs come per task). */
  readonly simulate?: Record<string, unknown>;
}

/** One blob of a level's states: records [start, start + count), `width` bytes each. */
export interface Blob {
  readonly key: string;
  readonly start: number;
  readonly count: number;
}

/** A task of the task stream. */
export type Task =
  | {
      readonly type: 'expand';
      readonly id: number;
      readonly level: number;
      /** The level's first state, and the range to expand: [from, to). */
      readonly levelStart: number;
      readonly from: number;
      readonly to: number;
      readonly blobs: readonly Blob[];
      readonly atBound: boolean;
      readonly violated: readonly string[];
    }
  | {
      readonly type: 'commit';
      readonly id: number;
      readonly level: number;
      readonly levelStart: number;
      readonly from: number;
      readonly to: number;
      readonly blobs: readonly Blob[];
      readonly violated: readonly string[];
      /** Where to write the new states whose smallest parent lies in [from, to), and their links. */
      readonly out: string;
      readonly outLinks: string;
    }
  | { readonly type: 'walks'; readonly id: number; readonly seed: number; readonly runs: number; readonly firstRun: number };

/** An expand task's answer. */
export interface Expanded extends ExpandedCounts {
  readonly type: 'expanded';
  readonly id: number;
  /** Successors offered to the visited set (atBound: looked up). */
  readonly offered: number;
}

/** A commit task's answer. */
export interface Committed {
  readonly type: 'committed';
  readonly id: number;
  /** New states written, in index order. */
  readonly count: number;
  /** Findings of `always` properties; `stateIndex` counts from the task's first new state. */
  readonly finds: readonly WireFind[];
  /** Per witness: the first new state reaching it, counted from the task's first new state; -1 if none. */
  readonly witnessAt: readonly number[];
  readonly newByKind: readonly KindCount[];
  /** max over the task's new states r (from 1) of r - (parent - levelStart): the sequential queue's peak follows from it. */
  readonly queueLead: number;
}

/** A swarm task's answer: one seeded simulation, its violation as a path. */
export interface Walked {
  readonly type: 'walked';
  readonly id: number;
  readonly result: WalkSummary;
}

/** What a worker's simulation sends back (the trace is rebuilt from the path). */
export interface WalkSummary {
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly longestWalk: number;
  readonly terminalStates: number;
  readonly zeroWeightStops: number;
  readonly shrinks: number;
  readonly coverage: readonly { readonly action: string; readonly enabled: number; readonly fired: number }[];
  readonly witnesses: readonly { readonly name: string; readonly walks: number; readonly run?: number; readonly step?: number; readonly path?: string }[];
  readonly violation?: {
    readonly property: string;
    readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
    readonly clause?: string;
    readonly path: string;
    readonly length: number;
    readonly run: number;
    readonly originalLength: number;
    readonly counterexamplePath: string;
  };
}

/** A task that failed in model code, or could not run. */
export interface Failed {
  readonly type: 'error';
  readonly id: number;
  readonly message: string;
  /** ModelError, or another error's name. */
  readonly errorName: string;
  readonly stateIndex: number;
  readonly actionIndex: number;
}

/** A result of the result stream. */
export type TaskResult = Expanded | Committed | Walked | Failed;
