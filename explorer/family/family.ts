/**
 * Family search: one breadth-first exploration of a family of models that differ only in which
 * transitions they allow: the variants (the orderings of a teardown sequence, say). It is the
 * search of a featured transition system (Classen, Heymans, Schobbens, Legay, Raskin: "Model
 * checking lots of systems", ICSE 2010), with sets of variants as bitsets.
 *
 * Each queue entry is a state with the set of variants that newly reached it at this depth (the
 * arrivals from every parent of the level merged into one entry). A state is expanded once per
 * such set, only along the transitions those variants allow, and a successor is queued with the
 * variants that reach it for the first time. So what the variants
 * share is explored once, and for each variant separately the search is exactly a breadth-first
 * search of that variant alone: every (state, variant) is reached first at its depth in that
 * variant, along a path of that variant. Hence, per variant, the same reachable states and
 * counterexamples of the same (shortest) length as `check` of that variant would give. The test
 * suite compares the two on random families.
 *
 * Properties are reported per variant: each violation names the variants it is the shortest
 * violation of (those for which it is the first found), and its trace is a path of each of them
 * (an entry remembers, for each parent it merged, the variants that came that way). Runs on guard+recipe models (the fast
 * path) and packed models.
 */
import { isGuardedModel } from '../expand/codecOps.js';
import { FingerprintMap } from '../store/fpset.js';
import type { Model } from '../model.js';
import { CheckOptionError } from '../options.js';
import { clauseOf, selectProperties } from '../search/outcome.js';
import { isPackedModel } from '../packed.js';
import { encodePath, replayPath, type Path, type Step } from '../path.js';
import { SpillBudget } from '../store/queue.js';
import type { BoundHit, Progress } from '../result.js';
import { ModelError } from '../errors.js';
import { searchClock } from '../search/clock.js';
import { expanderOf } from '../check.js';
import { PropertyChecker } from '../search/properties.js';
import { stopBound } from '../search/stop.js';

/** What to explore. */
export interface FamilyOptions<S, A> {
  /** Number of variants (numbered 0 .. variants-1). */
  readonly variants: number;
  /**
   * The variants that may take `action` in `state` (whose guard holds there): a bitset of
   * ceil(variants / 32) words, bit v of word v >> 5 for variant v; undefined = every variant.
   */
  readonly allows: (state: S, action: A) => Uint32Array | undefined;
  /** Check only these properties (names); witnesses are always kept. */
  readonly properties?: readonly string[];
  /** Report terminal states that are not final (isFinal) as deadlocks. @defaultValue true */
  readonly checkDeadlock?: boolean;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeLimitMs?: number;
  readonly onProgress?: (p: Progress) => void;
  readonly progressIntervalMs?: number;
  /** A supervisor's stop word (search/stop.ts), read at every entry expanded. */
  readonly stopSignal?: Int32Array;
}

/** A violation, and the variants whose shortest violation of that property it is. */
export interface FamilyViolation<S, A> {
  readonly property: string;
  readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
  readonly clause?: string;
  /** Ascending. */
  readonly variants: readonly number[];
  readonly trace: readonly Step<S, A>[];
  readonly path: string;
  readonly length: number;
}

/** A witness, and the variants in which some reachable state satisfies it. */
export interface FamilyWitness {
  readonly name: string;
  readonly witnessFor: readonly string[];
  /** Ascending. */
  readonly variants: readonly number[];
}

export interface FamilyResult<S, A> {
  /** True when no bound cut the search: every state of every variant was explored. */
  readonly exhaustive: boolean;
  readonly boundHit?: BoundHit;
  readonly violations: readonly FamilyViolation<S, A>[];
  readonly witnesses: readonly FamilyWitness[];
  /** Every bound given (name → value). */
  readonly bounds: Readonly<Record<string, number>>;
  readonly stats: {
    readonly variants: number;
    /** Distinct states (over every variant). */
    readonly distinctStates: number;
    /** Queue entries expanded: a state once per set of variants that newly reached it. */
    readonly expansions: number;
    readonly generatedStates: number;
    readonly depth: number;
    readonly durationMs: number;
    readonly statesPerSecond: number;
    readonly engine: string;
  };
}

const TICK_MASK = 1023;


/** Explores every variant of the family at once; see the file comment. */
export function checkFamily<S, A>(model: Model<S, A>, options: FamilyOptions<S, A>): FamilyResult<S, A> {
  const t0 = performance.now();
  const nv = options.variants;
  if (!Number.isInteger(nv) || nv < 1) throw new CheckOptionError(`variants must be a positive integer, got ${nv}`);
  for (const [k, v] of [['maxStates', options.maxStates], ['maxDepth', options.maxDepth], ['timeLimitMs', options.timeLimitMs]] as const) {
    if (v !== undefined && !(Number.isInteger(v) && v >= (k === 'maxDepth' ? 0 : 1))) throw new CheckOptionError(`${k} must be a ${k === 'maxDepth' ? 'non-negative' : 'positive'} integer, got ${v}`);
  }
  if (!isPackedModel(model) && !isGuardedModel(model)) throw new CheckOptionError('checkFamily runs guard+recipe models (guardedModel) and packed models');
  // the same expander as check, without symmetry (a variant's allowed actions name concrete ids)
  const ops = expanderOf(model, { symmetry: false });
  const names = model.properties.map((p) => p.name);
  for (const p of options.properties ?? []) if (!names.includes(p)) throw new CheckOptionError(`unknown property '${p}'`);
  const { always, steps, quiescent, witnesses } = selectProperties(model, options);
  const checkDeadlock = options.checkDeadlock ?? true;
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const isFinal = model.isFinal ? (s: S) => model.isFinal!(s) : undefined;

  const W = (nv + 31) >>> 5;
  const full = new Uint32Array(W);
  for (let v = 0; v < nv; v++) full[v >>> 5]! |= 1 << (v & 31);

  // states: fingerprint -> node; per node, the variants that reached it
  const nodes = new FingerprintMap();
  let reached = new Uint32Array(1024 * W);
  let nodeCount = 0;
  /** A new node for the fingerprint (known to be absent). */
  const addNode = (hi: number, lo: number): number => {
    nodes.getOrAdd(hi, lo, nodeCount);
    if ((nodeCount + 1) * W > reached.length) {
      const r = new Uint32Array(reached.length * 2);
      r.set(reached);
      reached = r;
    }
    return nodeCount++;
  };
  // Entries, numbered in breadth-first order: each has its variants (delta) and its arrivals
  // (contributions: parent entry, action index, the variants that came that way), kept for traces.
  let entryDelta = new Uint32Array(1024 * W);
  let entryFirst = new Int32Array(1024);
  let entryCount = 0;
  let cParent = new Int32Array(1024);
  let cAction = new Int32Array(1024);
  let cNext = new Int32Array(1024);
  let cBits = new Uint32Array(1024 * W);
  let cCount = 0;
  // per node, the entry of the next level it is queued in (to merge arrivals), else -1
  let pending = new Int32Array(1024).fill(-1);
  const grow = <T extends Int32Array | Uint32Array>(a: T, need: number, fill?: number): T => {
    if (need <= a.length) return a;
    const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
    if (fill !== undefined) b.fill(fill);
    b.set(a);
    return b;
  };
  /** A new entry with its first arrival (parent -1 and action k for initial state k). */
  const newEntry = (parent: number, action: number, b: Uint32Array): number => {
    const e = entryCount++;
    entryDelta = grow(entryDelta, entryCount * W);
    entryFirst = grow(entryFirst, entryCount);
    entryDelta.set(b, e * W);
    entryFirst[e] = -1;
    addArrival(e, parent, action, b);
    return e;
  };
  const addArrival = (e: number, parent: number, action: number, b: Uint32Array): void => {
    const c = cCount++;
    cParent = grow(cParent, cCount);
    cAction = grow(cAction, cCount);
    cNext = grow(cNext, cCount);
    cBits = grow(cBits, cCount * W);
    cParent[c] = parent;
    cAction[c] = action;
    cBits.set(b, c * W);
    cNext[c] = entryFirst[e]!;
    entryFirst[e] = c;
  };
  /** The path of variant v to entry e (the arrivals that carried v). */
  const pathOf = (e: number, v: number): Path => {
    const acts: number[] = [];
    const w = v >>> 5;
    const bit = 1 << (v & 31);
    for (;;) {
      let c = entryFirst[e]!;
      while (c >= 0 && (cBits[c * W + w]! & bit) === 0) c = cNext[c]!;
      if (c < 0) throw new Error(`family search: variant ${v} has no arrival at entry ${e}`);
      if (cParent[c]! < 0) return { init: cAction[c]!, actions: acts.reverse() };
      acts.push(cAction[c]!);
      e = cParent[c]!;
    }
  };
  /** Some path to entry e (of its first variant), for error messages. */
  const somePath = (e: number): Path => {
    for (let v = 0; v < nv; v++) if (entryDelta[e * W + (v >>> 5)]! & (1 << (v & 31))) return pathOf(e, v);
    return { init: 0, actions: [] };
  };

  // per property (and deadlock), the variants whose shortest violation is already recorded
  interface Rec {
    readonly property: string;
    readonly kind: FamilyViolation<S, A>['kind'];
    readonly clause?: string;
    readonly entry: number;
    readonly actionIndex?: number;
    readonly variants: number[];
  }
  const found: Rec[] = [];
  const done = new Map<string, Uint32Array>();
  const doneOf = (name: string): Uint32Array => {
    let d = done.get(name);
    if (!d) done.set(name, (d = new Uint32Array(W)));
    return d;
  };
  /** Records the violation for the variants of `bits` not yet recorded for the property. */
  const record = (property: string, kind: Rec['kind'], verdict: string | boolean | undefined, bits: Uint32Array, entry: number, actionIndex?: number): void => {
    const d = doneOf(property);
    const variants: number[] = [];
    for (let w = 0; w < W; w++) {
      const fresh = bits[w]! & ~d[w]!;
      if (fresh === 0) continue;
      d[w]! |= fresh;
      for (let b = 0; b < 32; b++) if (fresh & (1 << b)) variants.push((w << 5) + b);
    }
    if (variants.length === 0) return;
    const clause = verdict === undefined ? undefined : clauseOf(verdict);
    found.push({ property, kind, ...(clause !== undefined ? { clause } : {}), entry, ...(actionIndex !== undefined ? { actionIndex } : {}), variants });
  };
  const covers = (name: string, bits: Uint32Array): boolean => {
    const d = done.get(name);
    if (!d) return false;
    for (let w = 0; w < W; w++) if ((bits[w]! & ~d[w]!) !== 0) return false;
    return true;
  };
  const witnessBits = witnesses.map(() => new Uint32Array(W));
  const witnessFull = witnesses.map(() => false);
  // The shared property checker, told which variants are at hand: a property is settled for them
  // when each already has its shortest violation, and a finding is recorded for the others.
  let scope: Uint32Array = full;
  let scopeEntry = -1;
  const checker = new PropertyChecker<S, A>(
    { all: [], always, steps, quiescent, witnesses: [] },
    {
      checkDeadlock,
      ...(isFinal ? { isFinal } : {}),
      settled: (name) => covers(name, scope),
      report: (f) => record(f.property, f.kind, f.clause ?? false, scope, scopeEntry, f.actionIndex),
    },
  );

  /** The state properties and witnesses of an entry's state, for its variants (when it is expanded). */
  const onEntry = (t: S, bits: Uint32Array, entry: number): void => {
    scope = bits;
    scopeEntry = entry;
    checker.newState(t, entry, depth);
    for (let k = 0; k < witnesses.length; k++) {
      if (witnessFull[k]) continue;
      const wb = witnessBits[k]!;
      let fresh = false;
      for (let w = 0; w < W; w++) if ((bits[w]! & ~wb[w]!) !== 0) fresh = true;
      if (!fresh || !witnesses[k]!.reached(t)) continue;
      let all = true;
      for (let w = 0; w < W; w++) {
        wb[w]! |= bits[w]!;
        if (wb[w] !== full[w]) all = false;
      }
      witnessFull[k] = all;
    }
  };

  let generated = 0;
  let depth = 0;
  let stop: BoundHit | undefined;
  let curEntry = -1;
  let curAction = -1;
  const fp = new Uint32Array(2);
  const budget = new SpillBudget(512 * 2 ** 20);
  let current = ops.newFrontier(budget);
  let next = ops.newFrontier(budget);
  const delta = new Uint32Array(W);
  const bits = new Uint32Array(W);
  const fresh = new Uint32Array(W);
  const enabledBits = new Uint32Array(W);
  let expansions = 0;

  const clock = searchClock(options, t0, 'entries');
  const tick = (queue: number): BoundHit | undefined => clock({ distinctStates: nodeCount, generatedStates: generated, depth, queue });

  try {
    const ni = ops.initCount();
    for (let k = 0; k < ni; k++) {
      ops.initSlot(k, 0);
      generated++;
      ops.fpSlot(0, fp);
      let node = nodes.get(fp[0]!, fp[1]!);
      if (node < 0) {
        node = addNode(fp[0]!, fp[1]!);
        pending = grow(pending, nodeCount, -1);
        pending[node] = -1;
      }
      let any = 0;
      for (let w = 0; w < W; w++) any |= fresh[w] = full[w]! & ~reached[node * W + w]!;
      if (any === 0) continue;
      for (let w = 0; w < W; w++) reached[node * W + w]! |= fresh[w]!;
      newEntry(-1, k, fresh);
      ops.push(current, 0);
    }
    ops.clearSlots(1);
    let levelStart = 0;

    outer: while (current.length > 0 && !stop) {
      const atBound = depth >= maxDepth;
      let unexplored = 0;
      const n = current.length;
      const nextStart = levelStart + n;
      const load = ops.open(current);
      for (let j = 0; j < n; j++) {
        const entry = levelStart + j;
        if (options.stopSignal !== undefined && Atomics.load(options.stopSignal, 0) !== 0) {
          stop = stopBound(Atomics.load(options.stopSignal, 0), { distinctStates: nodeCount, depth }, options);
          break outer;
        }
        curEntry = entry;
        curAction = -1;
        expansions++;
        delta.set(entryDelta.subarray(entry * W, entry * W + W));
        const s = load();
        onEntry(s, delta, entry);
        const acts = ops.actions(s);
        enabledBits.fill(0);
        for (let ai = 0; ai < acts.length; ai++) {
          const a = acts[ai]!;
          curAction = ai;
          const mask = options.allows(s, a);
          let any = 0;
          for (let w = 0; w < W; w++) any |= bits[w] = delta[w]! & (mask ? mask[w]! : 0xffffffff);
          if (any === 0) continue;
          if (!ops.succ(s, ai, a, 0)) continue;
          generated++;
          for (let w = 0; w < W; w++) enabledBits[w]! |= bits[w]!;
          if (steps.length > 0) {
            scope = bits;
            scopeEntry = entry;
            checker.step(s, a, ops.slotValue(0), entry, ai);
          }
          ops.fpSlot(0, fp);
          let node = nodes.get(fp[0]!, fp[1]!);
          let anyFresh = 0;
          for (let w = 0; w < W; w++) anyFresh |= fresh[w] = bits[w]! & (node < 0 ? 0xffffffff : ~reached[node * W + w]!);
          if (anyFresh === 0) continue;
          if (atBound) {
            unexplored++;
            continue;
          }
          if (node < 0) {
            if (nodeCount >= maxStates) {
              stop = { bound: 'maxStates', limit: maxStates, detail: `state bound of ${maxStates} distinct states reached at depth ${depth + 1}` };
              break outer;
            }
            node = addNode(fp[0]!, fp[1]!);
            pending = grow(pending, nodeCount, -1);
            pending[node] = -1;
          }
          for (let w = 0; w < W; w++) reached[node * W + w]! |= fresh[w]!;
          const q = pending[node]!;
          if (q >= nextStart) {
            // already queued for the next level: merge these variants into that entry
            for (let w = 0; w < W; w++) entryDelta[q * W + w]! |= fresh[w]!;
            addArrival(q, entry, ai, fresh);
          } else {
            pending[node] = newEntry(entry, ai, fresh);
            ops.push(next, 0);
            if ((entryCount & TICK_MASK) === 0) stop ??= tick(n - j - 1 + next.length);
          }
        }
        ops.clearSlots(1);
        curAction = -1;
        // the variants in which no action is enabled here: this is a terminal state of theirs
        let anyTerminal = 0;
        for (let w = 0; w < W; w++) anyTerminal |= bits[w] = delta[w]! & ~enabledBits[w]!;
        if (anyTerminal !== 0) {
          scope = bits;
          scopeEntry = entry;
          checker.terminalState(s, entry);
        }
        ops.unload();
        if (stop) break outer;
      }
      if (atBound) {
        if (unexplored > 0) stop = { bound: 'maxDepth', limit: maxDepth, detail: `depth bound ${maxDepth} reached with ${unexplored} transitions to (state, variant) pairs not yet seen` };
        break;
      }
      levelStart = nextStart;
      current = next;
      next = ops.newFrontier(budget);
      if (current.length > 0) depth++;
    }
  } catch (e) {
    if (e instanceof CheckOptionError || e instanceof ModelError) throw e;
    let where = '';
    if (curEntry >= 0) {
      const p = somePath(curEntry);
      where = ` at path ${encodePath(curAction >= 0 ? { init: p.init, actions: [...p.actions, curAction] } : p)}`;
    }
    throw new ModelError(`the model threw in its successor function or a property${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  } finally {
    current.dispose();
    next.dispose();
  }

  // Traces: per variant, its own path to the entry (variants with the same path share a trace),
  // replayed on the model.
  const violations: FamilyViolation<S, A>[] = [];
  for (const f of found) {
    const byPath = new Map<string, { path: Path; variants: number[] }>();
    for (const v of f.variants) {
      const p = pathOf(f.entry, v);
      const path = f.actionIndex === undefined ? p : { init: p.init, actions: [...p.actions, f.actionIndex] };
      const key = encodePath(path);
      const slot = byPath.get(key);
      if (slot) slot.variants.push(v);
      else byPath.set(key, { path, variants: [v] });
    }
    for (const [key, { path, variants }] of byPath) {
      const trace = replayPath(model, path);
      violations.push({ property: f.property, kind: f.kind, ...(f.clause !== undefined ? { clause: f.clause } : {}), variants, trace, path: key, length: trace.length - 1 });
    }
  }
  const bitList = (b: Uint32Array): number[] => {
    const out: number[] = [];
    for (let v = 0; v < nv; v++) if (b[v >>> 5]! & (1 << (v & 31))) out.push(v);
    return out;
  };
  const durationMs = performance.now() - t0;
  const bounds: Record<string, number> = {};
  if (options.maxStates !== undefined) bounds.maxStates = options.maxStates;
  if (options.maxDepth !== undefined) bounds.maxDepth = options.maxDepth;
  if (options.timeLimitMs !== undefined) bounds.timeLimitMs = options.timeLimitMs;
  return {
    exhaustive: stop === undefined,
    ...(stop ? { boundHit: stop } : {}),
    violations,
    witnesses: witnesses.map((w, k) => ({ name: w.name, witnessFor: w.witnessFor, variants: bitList(witnessBits[k]!) })),
    bounds,
    stats: {
      variants: nv,
      distinctStates: nodeCount,
      expansions,
      generatedStates: generated,
      depth,
      durationMs: Math.round(durationMs * 10) / 10,
      statesPerSecond: durationMs > 0 ? Math.round(nodeCount / (durationMs / 1000)) : 0,
      engine: ops.name,
    },
  };
}
