/**
 * Breadth-first search, level by level, in a deterministic order: states are numbered in discovery
 * order, expanded in that order, and each action list is walked in the model's order. So the first
 * violation of a property is a shortest one, and two runs give the same result.
 *
 * Stored per distinct state: its 64-bit fingerprint (visited set) and its parent link. States
 * themselves are kept only while they wait in the frontier; counterexamples are rebuilt by
 * replaying the action indices from an initial state.
 */
import { fingerprintInto } from './fingerprint.js';
import { FingerprintSet } from './fpset.js';
import { ParentLinks } from './links.js';
import {
  defaultActionKind,
  defaultFormatAction,
  type AlwaysProperty,
  type AtQuiescenceProperty,
  type Model,
  type SometimesProperty,
  type StepProperty,
  type Verdict,
} from './model.js';
import type { CheckOptions } from './options.js';
import { encodePath, replayPath, type Path, type Step } from './path.js';
import type {
  ActionCoverage,
  BoundHit,
  CheckResult,
  CheckStats,
  Deadlock,
  PropertyOutcome,
  Violation,
  Witness,
} from './result.js';

/** Keeps the prefetch reads observable so that they are not optimised away. */
export let prefetchSink = 0;

/** Raised when the model itself throws; names the path that reproduces it. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

interface Found {
  readonly property: string;
  readonly kind: Violation<unknown, unknown>['kind'];
  readonly clause?: string;
  /** The state where it fails, or the source state of the failing step. */
  readonly stateIndex: number;
  /** For step properties: the action index taken from `stateIndex`. */
  readonly actionIndex?: number;
}

interface Counter {
  generated: number;
  distinct: number;
}

const TICK_MASK = 4095;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function clauseOf(v: Verdict): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Runs the breadth-first search; `check` validates options and calls this. */
export function bfs<S, A>(model: Model<S, A>, options: CheckOptions): CheckResult<S, A> {
  const t0 = performance.now();
  const only = options.properties ? new Set(options.properties) : undefined;
  const selected = model.properties.filter((p) => p.kind === 'sometimes' || !only || only.has(p.name));
  const always = selected.filter((p): p is AlwaysProperty<S> => p.kind === 'always');
  const steps = selected.filter((p): p is StepProperty<S, A> => p.kind === 'step');
  const quiescent = selected.filter((p): p is AtQuiescenceProperty<S> => p.kind === 'atQuiescence');
  const witnesses = selected.filter((p): p is SometimesProperty<S> => p.kind === 'sometimes');
  const checkDeadlock = options.checkDeadlock ?? true;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const timeLimit = options.timeLimitMs ?? Infinity;
  const interval = options.progressIntervalMs ?? 2000;
  const fmt = model.formatAction ? (a: A) => model.formatAction!(a) : (a: A) => defaultFormatAction(a);
  const kindOf = model.actionKind ? (a: A) => model.actionKind!(a) : (a: A) => defaultActionKind(a, fmt as (a: unknown) => string);

  const seen = new FingerprintSet();
  const links = new ParentLinks();
  const fp = new Uint32Array(2);

  const found: Found[] = [];
  const violated = new Set<string>();
  const deadlockIdx: number[] = [];
  const witnessAt: (number | undefined)[] = witnesses.map(() => undefined);
  const witnessDepth: (number | undefined)[] = witnesses.map(() => undefined);
  let unreachedWitnesses = witnesses.length;

  const coverage = new Map<string, Counter>();
  const counterFor = (a: A): Counter => {
    const k = kindOf(a);
    let c = coverage.get(k);
    if (!c) coverage.set(k, (c = { generated: 0, distinct: 0 }));
    return c;
  };
  // Models that return the same action array each time (most fixtures) get their counters by index.
  let lastActs: readonly A[] | undefined;
  let lastCounters: (Counter | undefined)[] = [];

  let generated = 0;
  let terminal = 0;
  let deadlocks = 0;
  let depth = 0;
  let peakQueue = 0;
  let stop: BoundHit | undefined;
  let stoppedAtViolation = false;
  let lastProgress = t0;
  // where the search is, for error messages
  let curIndex = -1;
  let curAction = -1;
  // scratch for the successors of the state being expanded
  const succ: S[] = [];
  let succHi = new Uint32Array(64);
  let succLo = new Uint32Array(64);
  let succAi = new Int32Array(64);
  let sink = 0;

  const record = (f: Found): void => {
    violated.add(f.property);
    found.push(f);
    if (options.stopAtFirstViolation) stoppedAtViolation = true;
  };

  const nAlways = always.length;
  const nSteps = steps.length;
  const onNewState = (s: S, index: number, d: number): void => {
    for (let i = 0; i < nAlways; i++) {
      const p = always[i]!;
      if (violated.has(p.name)) continue;
      const v = p.holds(s);
      if (v !== true) record({ property: p.name, kind: 'always', clause: clauseOf(v), stateIndex: index });
    }
    if (unreachedWitnesses > 0) {
      for (let w = 0; w < witnesses.length; w++) {
        if (witnessAt[w] === undefined && witnesses[w]!.reached(s)) {
          witnessAt[w] = index;
          witnessDepth[w] = d;
          unreachedWitnesses--;
        }
      }
    }
  };

  const tick = (queue: number): void => {
    const now = performance.now();
    if (now - t0 >= timeLimit && !stop) {
      stop = {
        bound: 'timeLimitMs',
        limit: timeLimit,
        detail: `time limit of ${timeLimit} ms reached at depth ${depth} with ${queue} states still queued`,
      };
    }
    if (options.onProgress && now - lastProgress >= interval) {
      lastProgress = now;
      const secs = (now - t0) / 1000;
      options.onProgress({
        distinctStates: links.length,
        generatedStates: generated,
        statesPerSecond: secs > 0 ? Math.round(links.length / secs) : 0,
        depth,
        queue,
        elapsedMs: Math.round(now - t0),
      });
    }
  };

  // Level 0: the initial states.
  let current: S[] = [];
  let inits: readonly S[];
  try {
    inits = model.initStates();
  } catch (e) {
    throw new ModelError(`model.initStates() threw: ${messageOf(e)}`, { cause: e });
  }
  for (let k = 0; k < inits.length; k++) {
    const s = inits[k]!;
    generated++;
    fingerprintInto(s, fp);
    if (!seen.add(fp[0]!, fp[1]!)) continue;
    const index = links.length;
    links.push(0, k);
    current.push(s);
    onNewState(s, index, 0);
  }
  const initCount = links.length;
  let levelStart = 0;
  peakQueue = current.length;

  try {
    outer: while (current.length > 0 && !stoppedAtViolation && !stop) {
      const atBound = depth >= maxDepth;
      let next: S[] = [];
      let unexplored = 0;
      const n = current.length;
      for (let j = 0; j < n; j++) {
        const s = current[j]!;
        const index = levelStart + j;
        curIndex = index;
        curAction = -1;
        const acts = model.actions(s);
        if (acts !== lastActs) {
          lastActs = acts;
          lastCounters = [];
        }
        let enabled = 0;
        const na = acts.length;
        // Phase 1: every successor, its fingerprint, the step properties.
        let m = 0;
        if (na > succHi.length) {
          succHi = new Uint32Array(na * 2);
          succLo = new Uint32Array(na * 2);
          succAi = new Int32Array(na * 2);
        }
        for (let ai = 0; ai < na; ai++) {
          const a = acts[ai]!;
          curAction = ai;
          const t = model.nextState(s, a);
          if (t === undefined) continue;
          enabled++;
          generated++;
          let c = lastCounters[ai];
          if (c === undefined) c = lastCounters[ai] = counterFor(a);
          c.generated++;
          for (let i = 0; i < nSteps; i++) {
            const p = steps[i]!;
            if (violated.has(p.name)) continue;
            const v = p.holds(s, a, t);
            if (v !== true) record({ property: p.name, kind: 'step', clause: clauseOf(v), stateIndex: index, actionIndex: ai });
          }
          fingerprintInto(t, fp);
          succ[m] = t;
          succHi[m] = fp[0]!;
          succLo[m] = fp[1]!;
          succAi[m] = ai;
          m++;
        }
        // Phase 2: touch every home slot first, so that the cache misses overlap.
        for (let k = 0; k < m; k++) sink ^= seen.touch(succHi[k]!, succLo[k]!);
        // Phase 3: insert in action order (the order, hence the numbering, is unchanged).
        for (let k = 0; k < m; k++) {
          const hi = succHi[k]!;
          const lo = succLo[k]!;
          if (atBound) {
            if (!seen.has(hi, lo)) unexplored++;
            continue;
          }
          if (links.length >= maxStates) {
            if (!seen.has(hi, lo)) {
              stop = {
                bound: 'maxStates',
                limit: maxStates,
                detail: `state bound of ${maxStates} distinct states reached at depth ${depth + 1}`,
              };
              break outer;
            }
            continue;
          }
          if (!seen.add(hi, lo)) continue;
          const ai = succAi[k]!;
          const t = succ[k]!;
          const ti = links.length;
          links.push(index, ai);
          lastCounters[ai]!.distinct++;
          next.push(t);
          const q = n - j - 1 + next.length;
          if (q > peakQueue) peakQueue = q;
          onNewState(t, ti, depth + 1);
          if ((ti & TICK_MASK) === 0) tick(q);
        }
        for (let k = 0; k < m; k++) succ[k] = undefined as unknown as S;
        curAction = -1;
        if (enabled === 0) {
          terminal++;
          for (const p of quiescent) {
            if (violated.has(p.name)) continue;
            const v = p.holds(s);
            if (v !== true) record({ property: p.name, kind: 'atQuiescence', clause: clauseOf(v), stateIndex: index });
          }
          if (checkDeadlock && !(model.isFinal?.(s) ?? false)) {
            deadlocks++;
            if (deadlockIdx.length < maxReportedDeadlocks) deadlockIdx.push(index);
            if (!violated.has('deadlock')) record({ property: 'deadlock', kind: 'deadlock', stateIndex: index });
          }
        }
        if (stoppedAtViolation) break outer;
        if ((j & 255) === 255) {
          tick(n - j - 1 + next.length);
          if (stop) break outer;
        }
      }
      if (atBound) {
        if (unexplored > 0) {
          stop = {
            bound: 'maxDepth',
            limit: maxDepth,
            detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to states not yet seen`,
          };
        }
        break;
      }
      levelStart += n;
      current = next;
      next = [];
      if (current.length > 0) depth++;
    }
  } catch (e) {
    if (e instanceof ModelError || curIndex < 0) throw e;
    const p = pathTo(curIndex);
    const where = curAction < 0 ? p : { init: p.init, actions: [...p.actions, curAction] };
    throw new ModelError(
      `the model threw ${curAction < 0 ? 'while listing actions or checking properties' : 'in nextState or a step property'} at path ${encodePath(where)}: ${messageOf(e)}`,
      { cause: e },
    );
  }

  prefetchSink ^= sink;
  const durationMs = performance.now() - t0;

  function pathTo(index: number): Path {
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

  const traceTo = (index: number, extra?: number): { path: string; trace: Step<S, A>[] } => {
    const p = pathTo(index);
    const full: Path = extra === undefined ? p : { init: p.init, actions: [...p.actions, extra] };
    return { path: encodePath(full), trace: replayPath(model, full) };
  };

  const violations: Violation<S, A>[] = found.map((f) => {
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

  const deadlockReports: Deadlock<S, A>[] = deadlockIdx.map((i) => {
    const { path, trace } = traceTo(i);
    const last = trace[trace.length - 1]!.state;
    const disabled = model.actions(last).map((a) => ({
      action: fmt(a),
      reason: model.whyDisabled?.(last, a) ?? 'not enabled',
    }));
    return { trace, path, length: trace.length - 1, disabled };
  });

  const witnessReports: Witness<S, A>[] = witnesses.map((w, k) => {
    const at = witnessAt[k];
    if (at === undefined) return { name: w.name, reached: false, witnessFor: w.witnessFor };
    const { path, trace } = traceTo(at);
    return { name: w.name, reached: true, witnessFor: w.witnessFor, depth: witnessDepth[k]!, path, trace };
  });

  const distinct = links.length;
  const secs = durationMs / 1000;
  const stats: CheckStats = {
    distinctStates: distinct,
    generatedStates: generated,
    depth,
    durationMs: Math.round(durationMs * 10) / 10,
    statesPerSecond: secs > 0 ? Math.round(distinct / secs) : 0,
    generatedPerSecond: secs > 0 ? Math.round(generated / secs) : 0,
    peakQueue,
    collisionProbability: (distinct * (generated - distinct)) / 2 ** 64,
    terminalStates: terminal,
    deadlockStates: deadlocks,
    visitedBytes: seen.bytes,
    linkBytes: links.usedBytes,
  };

  const exhaustive = !stop && !stoppedAtViolation;
  const coverageList: ActionCoverage[] = [...coverage.entries()].map(([action, c]) => ({ action, ...c }));

  const outcomes: PropertyOutcome[] = [];
  for (const p of selected) {
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
  if (stoppedAtViolation) warnings.push('search stopped at the first violation (stopAtFirstViolation): other properties were not fully checked');
  for (const w of witnessReports) {
    if (!w.reached) {
      const guarded = w.witnessFor.length ? `; ${w.witnessFor.join(', ')} may hold vacuously` : '';
      warnings.push(`witness '${w.name}' was never reached${guarded}`);
    }
  }

  const base = {
    stats,
    bounds: {
      ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
      ...(options.timeLimitMs !== undefined ? { timeLimitMs: options.timeLimitMs } : {}),
    },
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
