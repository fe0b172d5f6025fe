/**
 * The byte engine: breadth-first search over states kept as byte records. The same search as
 * `bfs.ts` (numbering, order, properties, bounds: results are identical), but the frontier is a
 * byte arena (`queue.ts`) that spills to disk past its budget, and a state is a JS value only
 * while it is expanded or checked. Two kinds of model run on it, through `ByteOps`:
 * - packed models (`packed.ts`): states are the bytes themselves;
 * - guard+recipe models on the fast path (`fastpath.ts`): states are encoded by a `StateCodec`,
 *   decoded for expansion, and each recipe runs on a decoded mutable copy.
 */
import { FingerprintSet } from './fpset.js';
import { ParentLinks } from './links.js';
import { MemoryGuard } from './memory.js';
import type { Model } from './model.js';
import type { CheckOptions } from './options.js';
import { clauseOf, formatters, pathTo, type Counter, type Found, type SearchOutcome, type Selected } from './outcome.js';
import { encodePath } from './path.js';
import { ByteQueue, SpillBudget } from './queue.js';
import type { BoundHit } from './result.js';
import { searchClock } from './clock.js';
import { ModelError } from './errors.js';

/** How the byte engine sees a model. Slots hold the successors of the state being expanded. */
export interface ByteOps<S, A> {
  /** The engine name reported in stats. */
  readonly name: string;
  /** Bytes per record when fixed (packed models). */
  readonly width: number | undefined;
  /** Number of initial states. */
  initCount(): number;
  /** Puts initial state `k` into slot `m` (bytes and value). */
  initSlot(k: number, m: number): void;
  /** Makes the record `buf[off .. off + len)` the state being expanded; returns its value. */
  load(buf: Uint8Array, off: number, len: number): S;
  /** The expansion of the loaded state is over (e.g. check that model code did not mutate it). */
  unload(): void;
  actions(s: S): readonly A[];
  /** The successor of the loaded state under action `ai` into slot `m`; false when disabled. */
  succ(s: S, ai: number, a: A, m: number): boolean;
  /** Fingerprint of slot `m` (of its canonical form under symmetry) into `out`. */
  fpSlot(m: number, out: Uint32Array): void;
  /** Slot `m`'s bytes are `slotBuf(m)[slotOff(m) .. + slotLen(m))`. */
  slotBuf(m: number): Uint8Array;
  slotOff(m: number): number;
  slotLen(m: number): number;
  /** Slot `m` as a value, for properties. */
  slotValue(m: number): S;
  /** A new state's value was handed to properties (e.g. check that they did not mutate it). */
  checked(m: number): void;
  /** The expansion is over: drop what slots `0 .. m-1` hold. */
  clearSlots(m: number): void;
  /** The number of actions when every state has the same action list (then `actions` ignores its argument). */
  readonly fixedActions?: number;
  /** Successors whose canonical form differed from themselves (symmetry), or undefined without symmetry. */
  canonicalized(): number | undefined;
}

const TICK_MASK = 4095;
const MEMORY_MASK = 16383;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Keeps the prefetch reads observable so that they are not optimised away. */
export let engineSink = 0;

/** Runs the breadth-first search on byte records; `model` is the replayable face (for errors and isFinal). */
export function byteSearch<S, A>(model: Model<S, A>, ops: ByteOps<S, A>, sel: Selected<S, A>, options: CheckOptions): SearchOutcome {
  const t0 = performance.now();
  const { always, steps, quiescent, witnesses } = sel;
  const checkDeadlock = options.checkDeadlock ?? true;
  const maxReportedDeadlocks = options.maxReportedDeadlocks ?? 5;
  const maxDepth = options.maxDepth ?? Infinity;
  const maxStates = options.maxStates ?? Infinity;
  const { kindOf } = formatters(model);
  const isFinal = model.isFinal ? (s: S) => model.isFinal!(s) : undefined;

  const seen = new FingerprintSet();
  const links = new ParentLinks();
  const fp = new Uint32Array(2);
  const memory = new MemoryGuard(options.maxMemoryBytes);
  const budget = new SpillBudget(
    options.frontierMemoryBytes ?? (options.maxMemoryBytes !== undefined ? Math.floor(options.maxMemoryBytes / 4) : 512 * 2 ** 20),
    options.spillDirectory,
  );

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
  let lastActs: readonly A[] | undefined;
  let lastCounters: (Counter | undefined)[] = [];

  let generated = 0;
  let terminal = 0;
  let deadlocks = 0;
  let depth = 0;
  let peakQueue = 0;
  let stop: BoundHit | undefined;
  let stoppedAtViolation = false;
  // Fixed action lists (packed models) count coverage per action index in typed arrays.
  const fixed = ops.fixedActions;
  const genAi = new Float64Array(fixed ?? 0);
  const newAi = new Float64Array(fixed ?? 0);
  const firstAi: number[] = [];
  let curIndex = -1;
  let curAction = -1;
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
  const nWitnesses = witnesses.length;
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
      for (let w = 0; w < nWitnesses; w++) {
        if (witnessAt[w] === undefined && witnesses[w]!.reached(s)) {
          witnessAt[w] = index;
          witnessDepth[w] = d;
          unreachedWitnesses--;
        }
      }
    }
  };
  const needValue = nAlways > 0 || nWitnesses > 0 || observe !== undefined;

  /** The clock: the time bound and the progress callback. */
  const clock = searchClock(options, t0);
  const tick = (queue: number, generatedNow: number, depthNow: number): BoundHit | undefined =>
    clock({ distinctStates: links.length, generatedStates: generatedNow, depth: depthNow, queue });

  const width = ops.width;
  let current = new ByteQueue(budget, width);
  let next = new ByteQueue(budget, width);
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
      current.push(ops.slotBuf(0), ops.slotOff(0), ops.slotLen(0));
      if (needValue) {
        onNewState(ops.slotValue(0), index, 0);
        ops.checked(0);
      }
    }
    ops.clearSlots(1);
    initCount = links.length;
    let levelStart = 0;
    peakQueue = current.length;

    outer: while (current.length > 0 && !stoppedAtViolation && !stop) {
      const atBound = depth >= maxDepth;
      let unexplored = 0;
      const n = current.length;
      const reader = current.reader();
      for (let j = 0; j < n; j++) {
        reader.next();
        const index = levelStart + j;
        curIndex = index;
        curAction = -1;
        const s = ops.load(reader.buf, reader.off, reader.len);
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
          if (nSteps > 0) {
            const t = ops.slotValue(m);
            for (let i = 0; i < nSteps; i++) {
              const p = steps[i]!;
              if (violated.has(p.name)) continue;
              const v = p.holds(s, a, t);
              if (v !== true) record({ property: p.name, kind: 'step', clause: clauseOf(v), stateIndex: index, actionIndex: ai });
            }
          }
          ops.fpSlot(m, fp);
          succHi[m] = fp[0]!;
          succLo[m] = fp[1]!;
          succAi[m] = ai;
          m++;
        }
        // Phase 2: touch every home slot first, so that the cache misses overlap.
        for (let k = 0; k < m; k++) sink ^= seen.touch(succHi[k]!, succLo[k]!);
        // Phase 3: insert in action order.
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
          const ti = links.length;
          links.push(index, ai);
          if (fixed !== undefined) newAi[ai]!++;
          else lastCounters[ai]!.distinct++;
          next.push(ops.slotBuf(k), ops.slotOff(k), ops.slotLen(k));
          const q = n - j - 1 + next.length;
          if (q > peakQueue) peakQueue = q;
          if (needValue) {
            curAction = ai;
            onNewState(ops.slotValue(k), ti, depth + 1);
            ops.checked(k);
          }
          if ((ti & TICK_MASK) === 0) {
            stop ??= tick(q, generated, depth);
            if ((ti & MEMORY_MASK) === 0) stop ??= memory.check(ti, depth);
          }
        }
        ops.clearSlots(m);
        curAction = -1;
        if (enabled === 0) {
          terminal++;
          for (const p of quiescent) {
            if (violated.has(p.name)) continue;
            const v = p.holds(s);
            if (v !== true) record({ property: p.name, kind: 'atQuiescence', clause: clauseOf(v), stateIndex: index });
          }
          if (checkDeadlock && !(isFinal?.(s) ?? false)) {
            deadlocks++;
            if (deadlockIdx.length < maxReportedDeadlocks) deadlockIdx.push(index);
            if (!violated.has('deadlock')) record({ property: 'deadlock', kind: 'deadlock', stateIndex: index });
          }
        }
        ops.unload();
        if (stoppedAtViolation || stop) break outer;
        if ((j & 255) === 255) {
          stop ??= tick(n - j - 1 + next.length, generated, depth);
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
      current.dispose();
      levelStart += n;
      current = next;
      next = new ByteQueue(budget, width);
      if (current.length > 0) depth++;
      if (!stop) stop = memory.check(links.length, depth);
    }
  } catch (e) {
    if (e instanceof ModelError || curIndex < 0) throw e;
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
  engineSink ^= sink;
  if (fixed !== undefined) {
    const acts = ops.actions(undefined as unknown as S);
    for (const ai of firstAi) {
      const c = counterFor(acts[ai]!);
      c.generated += genAi[ai]!;
      c.distinct += newAi[ai]!;
    }
  }
  const canon = ops.canonicalized();
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
    store: { peakFrontierBytes: budget.peak, spilledBytes: budget.spilled },
    ...(canon !== undefined ? { symmetry: { canonicalized: canon } } : {}),
    engine: ops.name,
  };
}
