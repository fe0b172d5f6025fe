/**
 * Options of `check`, with their defaults, and their validation (bad input gets one sentence that
 * names the option and the fix).
 */
import type { Progress } from './result.js';

/** Options of a check. Every field is optional; defaults are documented per field. */
export interface CheckOptions {
  /** Do not expand states deeper than this many steps. @defaultValue unbounded */
  readonly maxDepth?: number;
  /** Stop once this many distinct states are stored. @defaultValue unbounded */
  readonly maxStates?: number;
  /** Stop after this many milliseconds. @defaultValue unbounded */
  readonly timeLimitMs?: number;
  /** Stop at the first violation instead of looking for every property's shortest counterexample. @defaultValue false */
  readonly stopAtFirstViolation?: boolean;
  /** Report terminal states that are not final as deadlocks. @defaultValue true */
  readonly checkDeadlock?: boolean;
  /** How many deadlocked states to explain in full (all are counted). @defaultValue 5 */
  readonly maxReportedDeadlocks?: number;
  /** Check only these properties (by name); witnesses are always tracked. @defaultValue all */
  readonly properties?: readonly string[];
  /** Called every `progressIntervalMs` during the search. */
  readonly onProgress?: (progress: Progress) => void;
  /** @defaultValue 2000 */
  readonly progressIntervalMs?: number;
  /**
   * Memory budget in bytes (the process's resident set): when the search would pass it, it stops
   * with status `incomplete` and `boundHit.bound === 'maxMemoryBytes'` instead of being killed.
   * The CLI and bench spell it `--max-memory`. @defaultValue unbounded
   */
  readonly maxMemoryBytes?: number;
  /**
   * Bytes of encoded frontier kept in memory; beyond it the frontier spills to a file in
   * `spillDirectory` (encoded engines only). @defaultValue a quarter of maxMemoryBytes, else 512 MiB
   */
  readonly frontierMemoryBytes?: number;
  /** Where frontier spill files go (deleted at the end of the search). @defaultValue os.tmpdir() */
  readonly spillDirectory?: string;
  /**
   * How guard+recipe models run their recipes: `fast` runs them on views of the state's bytes when
   * the model declares a layout (explorer/layout), else on a decoded mutable copy; `codec` forces
   * the decoded copy (the earlier fast path, kept as a yardstick); `immer` runs `produce`.
   * @defaultValue 'fast'
   */
  readonly recipes?: 'fast' | 'codec' | 'immer';
  /** Apply the model's declared symmetry (canonicalisation before fingerprinting). @defaultValue true */
  readonly symmetry?: boolean;
  /**
   * Worker threads for a parallel search (packed models that say how a worker builds them). Same
   * results as the sequential search. @defaultValue 1 (sequential, in this thread)
   */
  readonly workers?: number;
  /**
   * The parallel search's shared visited set starts with this many slots (a power of two, 2^4 to
   * 2^30; 12 bytes each), like SPIN's `-w`. Past 75% load it doubles, and every doubling pauses
   * all workers. @defaultValue 2^20 (12 MiB)
   */
  readonly sharedTableSlots?: number;
  /**
   * Called once per new distinct state, in discovery order, with its depth (the initial states
   * first, at depth 0). It must not keep the state: engines may reuse it. Not available with
   * `workers > 1`.
   */
  readonly observe?: (state: unknown, depth: number) => void;
  /**
   * A stop word in shared memory (`stopWord()`, search/stop.ts): when another thread writes a
   * reason into it, the search stops at the next state it expands and reports the bound reached
   * (interrupted, time, memory). Read at every state: the time limit and signals hold whatever the
   * fan-out.
   */
  readonly stopSignal?: Int32Array;
}

/** Raised for options that cannot be run (negative bounds, unknown properties...). */
export class CheckOptionError extends Error {
  override readonly name = 'CheckOptionError';
}

function positiveInteger(name: string, v: number | undefined, allowZero: boolean): void {
  if (v === undefined) return;
  if (!Number.isFinite(v) || !Number.isInteger(v) || v < (allowZero ? 0 : 1)) {
    throw new CheckOptionError(
      `${name} must be ${allowZero ? 'a whole number ≥ 0' : 'a whole number ≥ 1'}, got ${String(v)}; give a bound such as ${name}=${allowZero ? 10 : 100000}`,
    );
  }
}

/** Throws a CheckOptionError when an option is out of range; `propertyNames` are the model's. */
export function validateOptions(options: CheckOptions, propertyNames: readonly string[]): void {
  positiveInteger('maxDepth', options.maxDepth, true);
  positiveInteger('maxStates', options.maxStates, false);
  positiveInteger('maxReportedDeadlocks', options.maxReportedDeadlocks, true);
  if (options.timeLimitMs !== undefined && !(options.timeLimitMs > 0 && Number.isFinite(options.timeLimitMs))) {
    throw new CheckOptionError(`timeLimitMs must be a positive number of milliseconds, got ${String(options.timeLimitMs)}`);
  }
  for (const [name, v, min, minText] of [
    ['maxMemoryBytes', options.maxMemoryBytes, 1 << 20, '1 MiB'],
    ['frontierMemoryBytes', options.frontierMemoryBytes, 1 << 14, '16 KiB'],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) {
      throw new CheckOptionError(`${name} must be a number of bytes of at least ${minText}, got ${String(v)}; e.g. ${name}=${4 * 2 ** 30} (4 GiB)`);
    }
  }
  positiveInteger('workers', options.workers, false);
  if (options.observe !== undefined && (options.workers ?? 1) > 1) throw new CheckOptionError('observe runs in the searching thread: give workers: 1 with it');
  const slots = options.sharedTableSlots;
  if (slots !== undefined && !(Number.isInteger(Math.log2(slots)) && slots >= 2 ** 4 && slots <= 2 ** 30)) {
    throw new CheckOptionError(`sharedTableSlots must be a power of two from 2^4 to 2^30, got ${String(slots)}; e.g. sharedTableSlots=${2 ** 20}`);
  }
  if (options.recipes !== undefined && options.recipes !== 'fast' && options.recipes !== 'codec' && options.recipes !== 'immer') {
    throw new CheckOptionError(`recipes must be 'fast', 'codec' or 'immer', got ${String(options.recipes)}`);
  }
  if (options.progressIntervalMs !== undefined && !(options.progressIntervalMs > 0)) {
    throw new CheckOptionError(`progressIntervalMs must be positive, got ${String(options.progressIntervalMs)}`);
  }
  for (const p of options.properties ?? []) {
    if (!propertyNames.includes(p)) {
      throw new CheckOptionError(`unknown property '${p}'; the model's properties are: ${propertyNames.join(', ')}`);
    }
  }
}
