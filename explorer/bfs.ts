/**
 * Breadth-first search, level by level, in a deterministic order: states are numbered in discovery
 * order, expanded in that order, and each action list is walked in the model's order. So the first
 * violation of a property is a shortest one, and two runs give the same result.
 *
 * Stored per distinct state: its 64-bit fingerprint (visited set) and its parent link. States
 * themselves are kept only while they wait in the frontier; counterexamples are rebuilt by
 * replaying the action indices from an initial state.
 */
import { ModelError } from './errors.js';
import { fingerprintInto } from './fingerprint.js';
import { FingerprintSet } from './fpset.js';
import { ParentLinks } from './links.js';
import { MemoryGuard } from './memory.js';
import type { Model } from './model.js';
import type { CheckOptions } from './options.js';
import { clauseOf, formatters, pathTo, type Counter, type Found, type SearchOutcome, type Selected } from './outcome.js';
import { encodePath } from './path.js';
import type { BoundHit } from './result.js';
import { searchClock } from './clock.js';

/** Keeps the prefetch reads observable so that they are not optimised away. */
export let prefetchSink = 0;

export { ModelError };

const TICK_MASK = 4095;
const MEMORY_MASK = 16383;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Runs the breadth-first search with states as JS values (`engine` names the run in the stats);
 * `check` validates options, calls this, and builds the result.
 */
export function bfs<S, A>(model: Model<S, A>, sel: Selected<S, A>, options: CheckOptions, engine = 'objects'): SearchOutcome {
  const t0 = performance.now();
  const { always, steps, quiescent, witnesses } = sel;
  const checkDeadlock = options.checkDeadlock ?? true;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const { kindOf } = formatters(model);
  const symmetry = (options.symmetry ?? true) && model.symmetry ? (s: S) => model.symmetry!(s) : undefined;
  let canonicalized = 0;
  const memory = new MemoryGuard(options.maxMemoryBytes);

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
  const observe = options.observe;
  const onNewState = (s: S, index: number, d: number): void => {
    if (observe) observe(s, d);
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

  const clock = searchClock(options, t0);
  const tick = (queue: number): void => {
    const hit = clock({ distinctStates: links.length, generatedStates: generated, depth, queue });
    if (hit && !stop) stop = hit;
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
    fingerprintInto(symmetry ? symmetry(s) : s, fp);
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
          if (symmetry) {
            const c = symmetry(t);
            if (c !== t) canonicalized++;
            fingerprintInto(c, fp);
          } else {
            fingerprintInto(t, fp);
          }
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
          if ((ti & TICK_MASK) === 0) {
            tick(q);
            if ((ti & MEMORY_MASK) === 0 && !stop) stop = memory.check(ti, depth);
          }
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
      if (!stop) stop = memory.check(links.length, depth);
    }
  } catch (e) {
    if (e instanceof ModelError || curIndex < 0) throw e;
    const p = pathTo(links, initCount, curIndex);
    const where = curAction < 0 ? p : { init: p.init, actions: [...p.actions, curAction] };
    throw new ModelError(
      `the model threw ${curAction < 0 ? 'while listing actions or checking properties' : 'in nextState or a step property'} at path ${encodePath(where)}: ${messageOf(e)}`,
      { cause: e },
    );
  }

  prefetchSink ^= sink;
  return {
    links,
    initCount,
    found,
    deadlockIdx,
    witnessAt,
    witnessDepth,
    coverage,
    generated,
    terminal,
    deadlocks,
    depth,
    peakQueue,
    stop,
    stoppedAtViolation,
    durationMs: performance.now() - t0,
    visitedBytes: seen.bytes,
    ...(symmetry ? { symmetry: { canonicalized } } : {}),
    engine,
  };
}
