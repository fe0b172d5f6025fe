/**
 * What a check answers: a discriminated union on `status`. "No violation" is a claim about bounds,
 * so every result carries the bounds it ran under and whether the search was exhaustive.
 */
import type { Step } from './path.js';

/** `ok`: exhaustive, nothing violated. `violation`: at least one counterexample. `incomplete`: a bound stopped the search first. */
export type CheckStatus = 'ok' | 'violation' | 'incomplete';

/** The bounds a search can run under. */
export interface Bounds {
  readonly maxDepth?: number;
  readonly maxStates?: number;
  readonly timeLimitMs?: number;
  /** The memory budget (resident set, bytes): the search stops cleanly before an out-of-memory kill. */
  readonly maxMemoryBytes?: number;
}

/**
 * Which bound cut the search off, and where (`interrupted`: a signal; `limit` is its number;
 * `lost`: a distributed run lost its Redis server, or every worker).
 */
export interface BoundHit {
  readonly bound: keyof Bounds | 'interrupted' | 'lost';
  readonly limit: number;
  /** One sentence for people ("depth 12 reached with 310 unexplored successors"). */
  readonly detail: string;
}

/** Counters of a search (TLC's and Stateright's vocabulary). */
export interface CheckStats {
  /** States found, each counted once. */
  readonly distinctStates: number;
  /** Initial states plus every enabled transition taken (with repeats). */
  readonly generatedStates: number;
  /** The greatest distance (in steps) from an initial state to a distinct state. */
  readonly depth: number;
  readonly durationMs: number;
  /** Distinct states per second. */
  readonly statesPerSecond: number;
  /** Generated states per second. */
  readonly generatedPerSecond: number;
  /** The largest number of states waiting to be expanded at once. */
  readonly peakQueue: number;
  /** TLC's optimistic estimate: distinct × (generated − distinct) / 2^64. */
  readonly collisionProbability: number;
  /** States with no enabled action (final or deadlocked). */
  readonly terminalStates: number;
  /** Terminal states that are not final. */
  readonly deadlockStates: number;
  /** Bytes held by the visited set. */
  readonly visitedBytes: number;
  /** Bytes written for parent links. */
  readonly linkBytes: number;
  /** The engine that ran: `objects` (states as JS values), `fast` (guard+recipe fast path), `immer`, `packed`, `workers`. */
  readonly engine?: string;
  /** Worker threads used (parallel search only). */
  readonly workers?: number;
  /** How the compact store fared (engines with an encoded frontier). */
  readonly store?: StoreStats;
  /** Symmetry reduction, when the model declares one and it was applied. */
  readonly symmetry?: SymmetryStats;
}

/** The compact store of a search: encoded frontier, spill to disk, memory. */
export interface StoreStats {
  /** The largest number of bytes the encoded frontier (two levels) held in memory at once. */
  readonly peakFrontierBytes: number;
  /** Bytes of frontier written to disk because they outgrew the in-memory budget. */
  readonly spilledBytes: number;
}

/** What symmetry reduction did: successors replaced by their canonical representative before lookup. */
export interface SymmetryStats {
  /** Generated successors whose canonical form differed from the state itself. */
  readonly canonicalized: number;
}

/** Per action kind: transitions taken, and how many of them found a new state. */
export interface ActionCoverage {
  readonly action: string;
  readonly generated: number;
  readonly distinct: number;
}

/** A counterexample to one property: the shortest trace that breaks it. */
export interface Violation<S, A> {
  /** The property's name (`deadlock` for a deadlock). */
  readonly property: string;
  readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
  /** The clause that failed, when the property named it. */
  readonly clause?: string;
  /** Steps from an initial state; the last state (or step) is where the property fails. */
  readonly trace: readonly Step<S, A>[];
  /** The encoded path (`0/3/1`) that replays the trace. */
  readonly path: string;
  /** Number of actions in the trace. */
  readonly length: number;
}

/** A state with no enabled action that is not final, with every action's reason for being disabled. */
export interface Deadlock<S, A> {
  readonly trace: readonly Step<S, A>[];
  readonly path: string;
  readonly length: number;
  readonly disabled: readonly { readonly action: string; readonly reason: string }[];
}

/** Whether a `sometimes` witness was reached, and the shortest way there. */
export interface Witness<S, A> {
  readonly name: string;
  readonly reached: boolean;
  readonly witnessFor: readonly string[];
  readonly depth?: number;
  readonly path?: string;
  readonly trace?: readonly Step<S, A>[];
}

/** The outcome of each property, for tables. */
export interface PropertyOutcome {
  readonly name: string;
  readonly kind: 'always' | 'step' | 'sometimes' | 'atQuiescence' | 'deadlock';
  /** holds: no violation in an exhaustive search; violated: counterexample found; reached/unreached: witnesses; unknown: the search was cut off before any violation. */
  readonly outcome: 'holds' | 'violated' | 'reached' | 'unreached' | 'unknown';
  /** Length of the counterexample, or the witness depth. */
  readonly length?: number;
}

interface ResultBase<S, A> {
  readonly stats: CheckStats;
  readonly bounds: Bounds;
  /** True when every reachable state (within maxDepth, if given and not hit) was explored. */
  readonly exhaustive: boolean;
  readonly coverage: readonly ActionCoverage[];
  readonly witnesses: readonly Witness<S, A>[];
  readonly violations: readonly Violation<S, A>[];
  readonly deadlocks: readonly Deadlock<S, A>[];
  readonly properties: readonly PropertyOutcome[];
  /** Things a reader must know: unreached witnesses, bounds hit, stopped early. */
  readonly warnings: readonly string[];
}

/** An exhaustive search with no violation. */
export interface OkResult<S, A> extends ResultBase<S, A> {
  readonly status: 'ok';
  readonly exhaustive: true;
}

/** At least one counterexample (the search may have been cut off after it). */
export interface ViolationResult<S, A> extends ResultBase<S, A> {
  readonly status: 'violation';
  readonly boundHit?: BoundHit;
}

/** A bound stopped the search before any violation. */
export interface IncompleteResult<S, A> extends ResultBase<S, A> {
  readonly status: 'incomplete';
  readonly exhaustive: false;
  readonly boundHit: BoundHit;
}

/** The result of `check`. */
export type CheckResult<S, A> = OkResult<S, A> | ViolationResult<S, A> | IncompleteResult<S, A>;

/** Progress of a long run, delivered at a steady interval. */
export interface Progress {
  readonly distinctStates: number;
  readonly generatedStates: number;
  readonly statesPerSecond: number;
  readonly depth: number;
  readonly queue: number;
  readonly elapsedMs: number;
}
