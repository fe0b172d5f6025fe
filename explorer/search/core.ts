/**
 * The breadth-first search, level by level, in a deterministic order: states are numbered in
 * discovery order, expanded in that order, and each action list is walked in the model's order.
 * So the first violation of a property is a shortest one, and two runs give the same result.
 * Written once for every kind of model: the expander (expander.ts) says how states are stored and
 * expanded, the property checker (properties.ts) what is checked, and the stores (store/) keep
 * the visited set (64-bit fingerprints), the parent links and the frontier (which spills to disk
 * past its budget). Counterexamples are rebuilt afterwards by replaying action indices.
 *
 * Bounds: depth and state counts are checked where they are reached; the clock and the memory
 * guard every few thousand states; a supervisor's stop word at every state expanded.
 */
import { ModelError } from '../errors.js';
import type { Model } from '../model.js';
import type { CheckOptions } from '../options.js';
import { encodePath } from '../path.js';
import type { BoundHit } from '../result.js';
import { FingerprintSet } from '../store/fpset.js';
import { ParentLinks } from '../store/links.js';
import { SpillBudget } from '../store/queue.js';
import { searchClock } from './clock.js';
import type { Expander } from './expander.js';
import { MemoryGuard } from './memory.js';
import { formatters, pathTo, type Counter, type SearchOutcome, type Selected } from './outcome.js';
import { PropertyChecker } from './properties.js';
import { stopBound } from './stop.js';

const TICK_MASK = 4095;
const MEMORY_MASK = 16383;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Keeps the prefetch reads observable so that they are not optimised away. */
export let coreSink = 0;

/** The frontier's memory budget: a quarter of the memory budget, else 512 MiB. */
export function frontierBudget(options: CheckOptions): SpillBudget {
  return new SpillBudget(
    options.frontierMemoryBytes ?? (options.maxMemoryBytes !== undefined ? Math.floor(options.maxMemoryBytes / 4) : 512 * 2 ** 20),
    options.spillDirectory,
  );
}

/** Runs the breadth-first search; `model` is the replayable face (for isFinal and errors). */
export function search<S, A>(model: Model<S, A>, ops: Expander<S, A>, sel: Selected<S, A>, options: CheckOptions): SearchOutcome {
  const t0 = performance.now();
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const stopAtFirst = options.stopAtFirstViolation ?? false;
  const stopSignal = options.stopSignal;
  const { kindOf } = formatters(model);
  const checker = new PropertyChecker<S, A>(sel, {
    ...(options.checkDeadlock !== undefined ? { checkDeadlock: options.checkDeadlock } : {}),
    ...(options.maxReportedDeadlocks !== undefined ? { maxReportedDeadlocks: options.maxReportedDeadlocks } : {}),
    ...(model.isFinal ? { isFinal: (s: S) => model.isFinal!(s) } : {}),
    ...(options.observe ? { observe: options.observe } : {}),
  });
  const needValue = checker.needValue;
  const hasSteps = checker.hasSteps;

  const seen = new FingerprintSet();
  const links = new ParentLinks();
  const fp = new Uint32Array(2);
  const memory = new MemoryGuard(options.maxMemoryBytes);
  const budget = frontierBudget(options);

  const coverage = new Map<string, Counter>();
  const counterFor = (a: A): Counter => {
    const k = kindOf(a);
    let c = coverage.get(k);
    if (!c) coverage.set(k, (c = { generated: 0, distinct: 0 }));
    return c;
  };
  // Models that return the same action array each time get their counters by index.
  let lastActs: readonly A[] | undefined;
  let lastCounters: (Counter | undefined)[] = [];
  // Fixed action lists (packed models) count coverage per action index in typed arrays.
  const fixed = ops.fixedActions;
  const genAi = new Float64Array(fixed ?? 0);
  const newAi = new Float64Array(fixed ?? 0);
  const firstAi: number[] = [];

  let generated = 0;
  let depth = 0;
  let peakQueue = 0;
  let stop: BoundHit | undefined;
  const stopped = (): boolean => stop !== undefined || (stopAtFirst && checker.violated.size > 0);
  let curIndex = -1;
  let curAction = -1;
  let succHi = new Uint32Array(64);
  let succLo = new Uint32Array(64);
  let succAi = new Int32Array(64);
  let sink = 0;

  const clock = searchClock(options, t0);
  const tick = (queue: number): BoundHit | undefined => clock({ distinctStates: links.length, generatedStates: generated, depth, queue });

  let current = ops.newFrontier(budget);
  let next = ops.newFrontier(budget);
  let initCount = 0;
  try {
    // Level 0: the initial states.
    const ni = ops.initCount();
    for (let k = 0; k < ni; k++) {
      ops.initSlot(k, 0);
      generated++;
      ops.fpSlot(0, fp);
      if (!seen.add(fp[0]!, fp[1]!)) continue;
      const index = links.length;
      links.push(0, k);
      ops.push(current, 0);
      if (needValue) {
        checker.newState(ops.slotValue(0), index, 0, k);
        ops.checked(0);
      }
    }
    ops.clearSlots(1);
    initCount = links.length;
    let levelStart = 0;
    peakQueue = current.length;

    outer: while (current.length > 0 && !stopped()) {
      const atBound = depth >= maxDepth;
      let unexplored = 0;
      const n = current.length;
      const load = ops.open(current);
      for (let j = 0; j < n; j++) {
        const index = levelStart + j;
        curIndex = index;
        curAction = -1;
        if (stopSignal !== undefined && Atomics.load(stopSignal, 0) !== 0) {
          stop = stopBound(Atomics.load(stopSignal, 0), { distinctStates: links.length, depth }, options);
          break outer;
        }
        const s = load();
        const acts = ops.actions(s);
        if (acts !== lastActs) {
          lastActs = acts;
          lastCounters = [];
        }
        let enabled = 0;
        const na = acts.length;
        let m = 0;
        if (na > succHi.length) {
          succHi = new Uint32Array(na * 2);
          succLo = new Uint32Array(na * 2);
          succAi = new Int32Array(na * 2);
        }
        // Phase 1: every successor, its fingerprint, the step properties.
        for (let ai = 0; ai < na; ai++) {
          const a = acts[ai]!;
          curAction = ai;
          // a state with a huge fan-out must not hold a stop back
          if ((ai & 1023) === 1023 && stopSignal !== undefined && Atomics.load(stopSignal, 0) !== 0) {
            stop = stopBound(Atomics.load(stopSignal, 0), { distinctStates: links.length, depth }, options);
            break outer;
          }
          if (!ops.succ(s, ai, a, m)) continue;
          enabled++;
          generated++;
          if (fixed !== undefined) {
            if (genAi[ai]!++ === 0) firstAi.push(ai);
          } else {
            let c = lastCounters[ai];
            if (c === undefined) c = lastCounters[ai] = counterFor(a);
            c.generated++;
          }
          if (hasSteps) checker.step(s, a, ops.slotValue(m), index, ai);
          ops.fpSlot(m, fp);
          succHi[m] = fp[0]!;
          succLo[m] = fp[1]!;
          succAi[m] = ai;
          m++;
        }
        // Phase 2: touch every home slot first, so that the cache misses overlap.
        for (let k = 0; k < m; k++) sink ^= seen.touch(succHi[k]!, succLo[k]!);
        // Phase 3: insert in action order (the order, hence the numbering, is the model's).
        for (let k = 0; k < m; k++) {
          const hi = succHi[k]!;
          const lo = succLo[k]!;
          if (atBound) {
            if (!seen.has(hi, lo)) unexplored++;
            continue;
          }
          if (links.length >= maxStates) {
            if (!seen.has(hi, lo)) {
              stop = { bound: 'maxStates', limit: maxStates, detail: `state bound of ${maxStates} distinct states reached at depth ${depth + 1}` };
              break outer;
            }
            continue;
          }
          if (!seen.add(hi, lo)) continue;
          const ai = succAi[k]!;
          const ti = links.length;
          links.push(index, ai);
          if (fixed !== undefined) newAi[ai]!++;
          else lastCounters[ai]!.distinct++;
          ops.push(next, k);
          const q = n - j - 1 + next.length;
          if (q > peakQueue) peakQueue = q;
          if (needValue) {
            curAction = ai;
            checker.newState(ops.slotValue(k), ti, depth + 1, ai);
            ops.checked(k);
          }
          if ((ti & TICK_MASK) === 0) {
            stop ??= tick(q);
            if ((ti & MEMORY_MASK) === 0) stop ??= memory.check(ti, depth);
          }
        }
        ops.clearSlots(m);
        curAction = -1;
        if (enabled === 0) checker.terminalState(s, index);
        ops.unload();
        if (stopped()) break outer;
        if ((j & 255) === 255) {
          stop ??= tick(n - j - 1 + next.length);
          if (stop) break outer;
        }
      }
      if (atBound) {
        if (unexplored > 0) {
          stop = { bound: 'maxDepth', limit: maxDepth, detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to states not yet seen` };
        }
        break;
      }
      current.dispose();
      levelStart += n;
      current = next;
      next = ops.newFrontier(budget);
      if (current.length > 0) depth++;
      if (!stop) stop = memory.check(links.length, depth);
    }
  } catch (e) {
    if (e instanceof ModelError && curIndex < 0) throw e;
    if (curIndex < 0) throw new ModelError(`the model threw while making or checking its initial states: ${messageOf(e)}`, { cause: e });
    const p = pathTo(links, initCount, curIndex);
    const where = curAction < 0 ? p : { init: p.init, actions: [...p.actions, curAction] };
    throw new ModelError(
      `the model threw ${curAction < 0 ? 'while listing actions or checking properties' : 'in its successor function or a property'} at path ${encodePath(where)}: ${messageOf(e)}`,
      { cause: e },
    );
  } finally {
    current.dispose();
    next.dispose();
  }
  coreSink ^= sink;
  if (fixed !== undefined && lastActs !== undefined) {
    for (const ai of firstAi) {
      const c = counterFor(lastActs[ai]!);
      c.generated += genAi[ai]!;
      c.distinct += newAi[ai]!;
    }
  }
  const canon = ops.canonicalized();
  return {
    links,
    initCount,
    found: checker.found,
    deadlockIdx: checker.deadlockIdx,
    witnessAt: checker.witnessAt,
    witnessDepth: checker.witnessDepth,
    coverage,
    generated,
    terminal: checker.terminal,
    deadlocks: checker.deadlocks,
    depth,
    peakQueue,
    stop,
    stoppedAtViolation: !stop && stopAtFirst && checker.violated.size > 0,
    durationMs: performance.now() - t0,
    visitedBytes: seen.bytes,
    store: { peakFrontierBytes: budget.peak, spilledBytes: budget.spilled },
    ...(canon !== undefined ? { symmetry: { canonicalized: canon } } : {}),
    engine: ops.name,
  };
}
