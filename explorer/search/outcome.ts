/**
 * What every search engine (sequential objects, bytes, workers) hands back, and the one function
 * that turns it into a `CheckResult`: counterexamples are rebuilt here by following parent links
 * and replaying the action indices on the model (`replayPath`), whichever engine found them.
 */
import type { ParentLinks } from '../store/links.js';
import {
  defaultActionKind,
  defaultFormatAction,
  type AlwaysProperty,
  type AtQuiescenceProperty,
  type Model,
  type Property,
  type SometimesProperty,
  type StepProperty,
  type Verdict,
} from '../model.js';
import type { CheckOptions } from '../options.js';
import { encodePath, replayPath, type Path, type Step } from '../path.js';
import type {
  ActionCoverage,
  Bounds,
  BoundHit,
  CheckResult,
  CheckStats,
  Deadlock,
  PropertyOutcome,
  StoreStats,
  SymmetryStats,
  Violation,
  Witness,
} from '../result.js';

/** A property violation (or deadlock) as found: where, not yet the trace. */
export interface Found {
  readonly property: string;
  readonly kind: Violation<unknown, unknown>['kind'];
  readonly clause?: string;
  /** The state where it fails, or the source state of the failing step. */
  readonly stateIndex: number;
  /** For step properties: the action index taken from `stateIndex`. */
  readonly actionIndex?: number;
}

/** Transitions of one action kind: generated, and those that found a new state. */
export interface Counter {
  generated: number;
  distinct: number;
}

/** The properties of a model split by kind, after `options.properties` selected some. */
export interface Selected<S, A> {
  readonly all: readonly Property<S, A>[];
  readonly always: readonly AlwaysProperty<S>[];
  readonly steps: readonly StepProperty<S, A>[];
  readonly quiescent: readonly AtQuiescenceProperty<S>[];
  readonly witnesses: readonly SometimesProperty<S>[];
}

/** Splits the model's properties by kind; witnesses are always kept. */
export function selectProperties<S, A>(model: Pick<Model<S, A>, 'properties'>, options: Pick<CheckOptions, 'properties'>): Selected<S, A> {
  const only = options.properties ? new Set(options.properties) : undefined;
  const all = model.properties.filter((p) => p.kind === 'sometimes' || !only || only.has(p.name));
  return {
    all,
    always: all.filter((p): p is AlwaysProperty<S> => p.kind === 'always'),
    steps: all.filter((p): p is StepProperty<S, A> => p.kind === 'step'),
    quiescent: all.filter((p): p is AtQuiescenceProperty<S> => p.kind === 'atQuiescence'),
    witnesses: all.filter((p): p is SometimesProperty<S> => p.kind === 'sometimes'),
  };
}

/** Everything a search produced, before traces are rebuilt. */
export interface SearchOutcome {
  readonly links: ParentLinks;
  /** Distinct initial states (they are numbered first). */
  readonly initCount: number;
  readonly found: readonly Found[];
  readonly deadlockIdx: readonly number[];
  readonly witnessAt: readonly (number | undefined)[];
  readonly witnessDepth: readonly (number | undefined)[];
  /** Per action kind, in the order kinds were first generated. */
  readonly coverage: ReadonlyMap<string, Counter>;
  readonly generated: number;
  readonly terminal: number;
  readonly deadlocks: number;
  readonly depth: number;
  readonly peakQueue: number;
  readonly stop: BoundHit | undefined;
  readonly stoppedAtViolation: boolean;
  readonly durationMs: number;
  readonly visitedBytes: number;
  readonly store?: StoreStats;
  readonly symmetry?: SymmetryStats;
  /** Which engine ran (`objects`, `immer`, `fast`, `packed`, `workers`). */
  readonly engine: string;
  readonly workers?: number;
}

/** A verdict's clause text (`undefined` for a bare `false`). */
export function clauseOf(v: Verdict): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The action formatter and kind function of a model, with the defaults filled in. */
export function formatters<S, A>(model: Model<S, A>): { fmt: (a: A) => string; kindOf: (a: A) => string } {
  const fmt = model.formatAction ? (a: A) => model.formatAction!(a) : (a: A) => defaultFormatAction(a);
  const kindOf = model.actionKind ? (a: A) => model.actionKind!(a) : (a: A) => defaultActionKind(a, fmt as (a: unknown) => string);
  return { fmt, kindOf };
}

/** The path of state `index`: its initial state and the action indices that lead to it. */
export function pathTo(links: ParentLinks, initCount: number, index: number): Path {
  const out = [0, 0];
  const acts: number[] = [];
  let i = index;
  while (i >= initCount) {
    links.get(i, out);
    acts.push(out[1]!);
    i = out[0]!;
  }
  links.get(i, out);
  return { init: out[1]!, actions: acts.reverse() };
}

/** The bounds a check ran under, as given. */
export function boundsOf(options: CheckOptions): Bounds {
  return {
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    ...(options.maxMemoryBytes !== undefined ? { maxMemoryBytes: options.maxMemoryBytes } : {}),
  };
}

/**
 * Builds the result: every counterexample, deadlock and witness is replayed on `replayModel` (the
 * model as users wrote it: for guarded models the immer path) from its parent links.
 */
export function buildResult<S, A>(replayModel: Model<S, A>, sel: Selected<S, A>, options: CheckOptions, o: SearchOutcome): CheckResult<S, A> {
  const { fmt } = formatters(replayModel);
  const checkDeadlock = options.checkDeadlock ?? true;

  const traceTo = (index: number, extra?: number): { path: string; trace: Step<S, A>[] } => {
    const p = pathTo(o.links, o.initCount, index);
    const full: Path = extra === undefined ? p : { init: p.init, actions: [...p.actions, extra] };
    return { path: encodePath(full), trace: replayPath(replayModel, full) };
  };

  const violations: Violation<S, A>[] = o.found.map((f) => {
    const { path, trace } = traceTo(f.stateIndex, f.actionIndex);
    return {
      property: f.property,
      kind: f.kind,
      ...(f.clause !== undefined ? { clause: f.clause } : {}),
      trace,
      path,
      length: trace.length - 1,
    };
  });

  const deadlockReports: Deadlock<S, A>[] = o.deadlockIdx.map((i) => {
    const { path, trace } = traceTo(i);
    const last = trace[trace.length - 1]!.state;
    const disabled = replayModel.actions(last).map((a) => ({
      action: fmt(a),
      reason: replayModel.whyDisabled?.(last, a) ?? 'not enabled',
    }));
    return { trace, path, length: trace.length - 1, disabled };
  });

  const witnessReports: Witness<S, A>[] = sel.witnesses.map((w, k) => {
    const at = o.witnessAt[k];
    if (at === undefined) return { name: w.name, reached: false, witnessFor: w.witnessFor };
    const { path, trace } = traceTo(at);
    return { name: w.name, reached: true, witnessFor: w.witnessFor, depth: o.witnessDepth[k]!, path, trace };
  });

  const distinct = o.links.length;
  const secs = o.durationMs / 1000;
  const generated = o.generated;
  const stats: CheckStats = {
    distinctStates: distinct,
    generatedStates: generated,
    depth: o.depth,
    durationMs: Math.round(o.durationMs * 10) / 10,
    statesPerSecond: secs > 0 ? Math.round(distinct / secs) : 0,
    generatedPerSecond: secs > 0 ? Math.round(generated / secs) : 0,
    peakQueue: o.peakQueue,
    collisionProbability: (distinct * (generated - distinct)) / 2 ** 64,
    terminalStates: o.terminal,
    deadlockStates: o.deadlocks,
    visitedBytes: o.visitedBytes,
    linkBytes: o.links.usedBytes,
    engine: o.engine,
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(o.store ? { store: o.store } : {}),
    ...(o.symmetry ? { symmetry: o.symmetry } : {}),
  };

  const stop = o.stop;
  const exhaustive = !stop && !o.stoppedAtViolation;
  const coverageList: ActionCoverage[] = [...o.coverage.entries()].map(([action, c]) => ({ action, generated: c.generated, distinct: c.distinct }));

  const outcomes: PropertyOutcome[] = [];
  for (const p of sel.all) {
    if (p.kind === 'sometimes') {
      const w = witnessReports.find((r) => r.name === p.name)!;
      outcomes.push({ name: p.name, kind: 'sometimes', outcome: w.reached ? 'reached' : 'unreached', ...(w.reached ? { length: w.depth! } : {}) });
      continue;
    }
    const v = violations.find((x) => x.property === p.name);
    outcomes.push({
      name: p.name,
      kind: p.kind,
      outcome: v ? 'violated' : exhaustive ? 'holds' : 'unknown',
      ...(v ? { length: v.length } : {}),
    });
  }
  if (checkDeadlock) {
    const v = violations.find((x) => x.property === 'deadlock');
    outcomes.push({ name: 'deadlock', kind: 'deadlock', outcome: v ? 'violated' : exhaustive ? 'holds' : 'unknown', ...(v ? { length: v.length } : {}) });
  }

  const warnings: string[] = [];
  if (stop) warnings.push(`search incomplete: ${stop.detail}; "no violation" is not claimed beyond it`);
  if (o.stoppedAtViolation) warnings.push('search stopped at the first violation (stopAtFirstViolation): other properties were not fully checked');
  for (const w of witnessReports) {
    if (!w.reached) {
      const guarded = w.witnessFor.length ? `; ${w.witnessFor.join(', ')} may hold vacuously` : '';
      warnings.push(`witness '${w.name}' was never reached${guarded}`);
    }
  }

  const base = {
    stats,
    bounds: boundsOf(options),
    coverage: coverageList,
    witnesses: witnessReports,
    violations,
    deadlocks: deadlockReports,
    properties: outcomes,
    warnings,
  };
  if (violations.length > 0) return { status: 'violation', exhaustive, ...(stop ? { boundHit: stop } : {}), ...base };
  if (stop) return { status: 'incomplete', exhaustive: false, boundHit: stop, ...base };
  return { status: 'ok', exhaustive: true, ...base };
}
