/**
 * Tiny models with known answers (Stateright's test_util): they test the checker itself, feed the
 * benchmark, and show the API. None of them knows anything of Xen.
 */
import { guardedModel, type GuardedModel } from './guarded.js';
import { always, atQuiescence, sometimes, type Model } from './model.js';
import { packedModel, type PackedModel } from './packed.js';

/** A machine that cycles between two states: 2 distinct states, depth 1, no terminal state. */
export function binaryClock(): Model<0 | 1, 'tick'> {
  return {
    initStates: () => [0],
    actions: () => ['tick'],
    nextState: (s) => (s === 0 ? 1 : 0),
    properties: [always('in range', (s: 0 | 1) => s === 0 || s === 1), sometimes('ticks to 1', (s: 0 | 1) => s === 1)],
  };
}

/** Options of the counters fixture. */
export interface CountersOptions {
  /** A state predicate that must never hold (a planted bug), for counterexample tests. */
  readonly bad?: (s: readonly number[]) => boolean;
}

/**
 * N counters, each 0..K, incremented one at a time: (K+1)^N distinct states, depth N·K, one final
 * state (all at K). The shortest path to a state is the sum of its counters.
 */
export function counters(n: number, k: number, options: CountersOptions = {}): Model<readonly number[], number> {
  const acts = Array.from({ length: n }, (_, i) => i);
  const bad = options.bad;
  return {
    initStates: () => [new Array<number>(n).fill(0)],
    actions: () => acts,
    nextState(s, i) {
      if (s[i]! >= k) return undefined;
      const t = s.slice();
      t[i]!++;
      return t;
    },
    isFinal: (s) => s.every((c) => c === k),
    formatAction: (i) => `inc(${i})`,
    actionKind: (i) => `inc(${i})`,
    properties: [
      always('counters in range', (s: readonly number[]) => s.every((c) => c >= 0 && c <= k)),
      ...(bad ? [always('no bad state', (s: readonly number[]) => !bad(s))] : []),
      sometimes('first counter full', (s: readonly number[]) => s[0] === k),
    ],
  };
}

/**
 * The counters fixture as a packed model (`packedModel`: a Uint8Array per state, a successor
 * function writing into the checker's scratch buffer): same state space as `counters`, run by the
 * byte engine. `worker` lets a parallel search rebuild it in worker threads.
 */
export function packedCounters(n: number, k: number, options: { readonly bad?: readonly number[] } = {}): PackedModel<number> {
  const acts = Array.from({ length: n }, (_, i) => i);
  const bad = options.bad;
  return packedModel<number>({
    width: n,
    initStates: () => [new Uint8Array(n)],
    actions: acts,
    next(s, i, out) {
      if (s[i]! >= k) return false;
      for (let j = 0; j < n; j++) out[j] = s[j]!;
      out[i]!++;
      return true;
    },
    isFinal: (s) => s.every((c) => c === k),
    formatAction: (i) => `inc(${i})`,
    actionKind: (i) => `inc(${i})`,
    decode: (s) => [...s],
    properties: [
      always('counters in range', (s: Uint8Array) => s.every((c) => c <= k)),
      ...(bad ? [always('no bad state', (s: Uint8Array) => !bad.every((c, i) => s[i] === c))] : []),
      sometimes('first counter full', (s: Uint8Array) => s[0] === k),
    ],
    worker: { module: import.meta.url, exportName: 'packedCounters', args: [n, k, options] },
  });
}

/** An explicit directed graph: nodes are numbers, an action is an edge. */
export interface Graph {
  readonly init: readonly number[];
  /** edges[v] lists the successors of v, in order. */
  readonly edges: readonly (readonly number[])[];
  /** Nodes the invariant forbids. */
  readonly bad?: readonly number[];
  /** Terminal nodes that are not deadlocks. */
  readonly final?: readonly number[];
}

/** An edge taken in a graph model. */
export interface Edge {
  readonly kind: 'edge';
  readonly from: number;
  readonly to: number;
}

/** The graph as a model; property `not bad` forbids the bad nodes. */
export function graphModel(g: Graph): Model<number, Edge> {
  const bad = new Set(g.bad ?? []);
  const fin = new Set(g.final ?? []);
  return {
    initStates: () => g.init,
    actions: (v) => (g.edges[v] ?? []).map((to) => ({ kind: 'edge' as const, from: v, to })),
    nextState: (v, e) => (e.from === v ? e.to : undefined),
    isFinal: (v) => fin.has(v),
    formatAction: (e) => `${e.from}->${e.to}`,
    actionKind: () => 'edge',
    properties: [always('not bad', (v: number) => !bad.has(v))],
  };
}

/** Options of the packed graph fixture. */
export interface PackedGraphOptions {
  /** An edge [from, to] that the step property 'no forbidden edge' forbids. */
  readonly forbidden?: readonly [number, number];
  /** A model error planted in the successor function: taking an edge out of this node throws. */
  readonly throwAt?: number;
}

/**
 * An explicit graph as a packed model (a node is 2 bytes; action k takes a node's k-th edge), with
 * every kind of property: 'not bad' (always), 'no forbidden edge' (step), 'terminal nodes are
 * final' (at quiescence), a witness, and deadlocks. Plain data in, so worker threads rebuild it.
 */
export function packedGraph(g: Graph, options: PackedGraphOptions = {}): PackedModel<number> {
  const bad = new Set(g.bad ?? []);
  const fin = new Set(g.final ?? []);
  const out = Math.max(1, ...g.edges.map((e) => e.length));
  const node = (s: Uint8Array) => s[0]! | (s[1]! << 8);
  const top = g.edges.length - 1;
  return packedModel<number>({
    width: 2,
    initStates: () => g.init.map((v) => new Uint8Array([v & 0xff, v >> 8])),
    actions: Array.from({ length: out }, (_, k) => k),
    next(s, k, o) {
      const v = node(s);
      if (v === options.throwAt) throw new Error(`planted failure at node ${v}`);
      const to = g.edges[v]?.[k];
      if (to === undefined) return false;
      o[0] = to & 0xff;
      o[1] = to >> 8;
      return true;
    },
    isFinal: (s) => fin.has(node(s)),
    formatAction: (k) => `edge ${k}`,
    actionKind: () => 'edge',
    properties: [
      always('not bad', (s: Uint8Array) => !bad.has(node(s))),
      ...(options.forbidden
        ? [{ kind: 'step' as const, name: 'no forbidden edge', holds: (s: Uint8Array, _k: number, t: Uint8Array) => !(node(s) === options.forbidden![0] && node(t) === options.forbidden![1]) || 'took the edge' }]
        : []),
      atQuiescence('terminal nodes are final', (s: Uint8Array) => fin.has(node(s)) || `node ${node(s)} is terminal`),
      sometimes('reaches the last node', (s: Uint8Array) => node(s) === top),
    ],
    worker: { module: import.meta.url, exportName: 'packedGraph', args: [g, options] },
  });
}

/** State of the two-lock fixture. */
export interface LocksState {
  /** Who holds each lock: -1 when free. */
  readonly owner: readonly number[];
  /** Program counter of each process: 0 start, 1 holds its first lock, 2 holds both, 3 done. */
  readonly pc: readonly number[];
}

/** An action of the two-lock fixture. */
export interface LockAction {
  readonly kind: 'lock_first' | 'lock_second' | 'unlock_all';
  readonly p: number;
}

/**
 * Two processes take two locks in opposite orders (process p takes lock p, then lock 1-p): the
 * classic ABBA deadlock, written as guards and immer recipes, so that the deadlock report names the
 * guard that blocks each action.
 */
export function abbaLocks(): GuardedModel<LocksState, LockAction> {
  const first = (p: number) => p;
  const second = (p: number) => 1 - p;
  return guardedModel<LocksState, LockAction>({
    initStates: () => [{ owner: [-1, -1], pc: [0, 0] }],
    actions: () =>
      [0, 1].flatMap((p) => [
        { kind: 'lock_first' as const, p },
        { kind: 'lock_second' as const, p },
        { kind: 'unlock_all' as const, p },
      ]),
    rule: (a) => {
      switch (a.kind) {
        case 'lock_first':
          return {
            guard: (s, x) => (s.pc[x.p] !== 0 ? `process ${x.p} is past its first lock` : s.owner[first(x.p)] !== -1 ? `lock ${first(x.p)} is held by process ${s.owner[first(x.p)]}` : true),
            effect: (d, x) => {
              d.owner[first(x.p)] = x.p;
              d.pc[x.p] = 1;
            },
          };
        case 'lock_second':
          return {
            guard: (s, x) => (s.pc[x.p] !== 1 ? `process ${x.p} does not hold its first lock` : s.owner[second(x.p)] !== -1 ? `lock ${second(x.p)} is held by process ${s.owner[second(x.p)]}` : true),
            effect: (d, x) => {
              d.owner[second(x.p)] = x.p;
              d.pc[x.p] = 2;
            },
          };
        case 'unlock_all':
          return {
            guard: (s, x) => (s.pc[x.p] !== 2 ? `process ${x.p} does not hold both locks` : true),
            effect: (d, x) => {
              d.owner[0] = -1;
              d.owner[1] = -1;
              d.pc[x.p] = 3;
            },
          };
      }
    },
    isFinal: (s) => s.pc.every((c) => c === 3),
    formatAction: (a) => `${a.kind}(p=${a.p})`,
    properties: [
      always('mutual exclusion', (s: LocksState) => s.pc.filter((c) => c === 2).length <= 1 || 'two processes hold both locks'),
      sometimes('a process finishes', (s: LocksState) => s.pc.includes(3)),
      atQuiescence('everyone done', (s: LocksState) => s.pc.every((c) => c === 3) || `stuck at pcs ${s.pc.join(',')}`),
    ],
  });
}

/** Options of the mutex fixture. */
export interface MutexOptions {
  /** A planted bug: a process whose counter is at its maximum enters without taking the lock. */
  readonly bug?: boolean;
  /** Declare the symmetry (processes are interchangeable). @defaultValue true */
  readonly symmetric?: boolean;
}

/**
 * N identical processes around one lock (the symmetric fixture). Process i is (pc, count): pc 0
 * idle, 1 waiting, 2 in its critical section; count (0..c) counts its visits, modulo c + 1. Packed
 * as [lock, pc0, count0, pc1, count1, ...]. The processes are interchangeable, so the model
 * declares a symmetry: the canonical form sorts the (pc, count) pairs. Property: mutual exclusion
 * (violated only with the planted bug). Distinct states are pinned in the tests, with and without
 * symmetry.
 */
export function mutexProcesses(n: number, c: number, options: MutexOptions = {}): PackedModel<MutexAction> {
  const w = 1 + 2 * n;
  const actions: MutexAction[] = [];
  for (let i = 0; i < n; i++) for (const kind of ['request', 'enter', 'leave'] as const) actions.push({ kind, p: i });
  const inCritical = (s: Uint8Array) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (s[1 + 2 * i] === 2) k++;
    return k;
  };
  return packedModel<MutexAction>({
    width: w,
    initStates: () => [new Uint8Array(w)],
    actions,
    next(s, ai, out) {
      const a = actions[ai]!;
      const pc = 1 + 2 * a.p;
      switch (a.kind) {
        case 'request':
          if (s[pc] !== 0) return false;
          out.set(s);
          out[pc] = 1;
          return true;
        case 'enter': {
          const sneaks = options.bug === true && s[pc + 1] === c;
          if (s[pc] !== 1 || (s[0] !== 0 && !sneaks)) return false;
          out.set(s);
          out[pc] = 2;
          out[0] = 1;
          return true;
        }
        case 'leave':
          if (s[pc] !== 2) return false;
          out.set(s);
          out[pc] = 0;
          out[pc + 1] = (s[pc + 1]! + 1) % (c + 1);
          out[0] = inCritical(s) > 1 ? 1 : 0;
          return true;
      }
    },
    formatAction: (a) => `${a.kind}(${a.p})`,
    actionKind: (a) => a.kind,
    decode: (s) => ({ lock: s[0], procs: Array.from({ length: n }, (_, i) => ({ pc: s[1 + 2 * i], count: s[2 + 2 * i] })) }),
    properties: [
      always('mutual exclusion', (s: Uint8Array) => inCritical(s) <= 1 || `${inCritical(s)} processes in their critical sections`),
      sometimes('a counter wraps', (s: Uint8Array) => {
        for (let i = 0; i < n; i++) if (s[2 + 2 * i] === c) return true;
        return false;
      }),
    ],
    ...((options.symmetric ?? true) ? { canonicalize: (s: Uint8Array, out: Uint8Array) => sortPairs(s, out, n) } : {}),
    worker: { module: import.meta.url, exportName: 'mutexProcesses', args: [n, c, options] },
  });
}

/** An action of the mutex fixture. */
export interface MutexAction {
  readonly kind: 'request' | 'enter' | 'leave';
  readonly p: number;
}

/** Writes `s` with its n (pc, count) pairs sorted: the canonical form under process permutations. */
function sortPairs(s: Uint8Array, out: Uint8Array, n: number): void {
  out[0] = s[0]!;
  // insertion sort of n small pairs by (pc, count)
  for (let i = 0; i < n; i++) {
    const pc = s[1 + 2 * i]!;
    const cnt = s[2 + 2 * i]!;
    const key = pc * 256 + cnt;
    let j = i;
    while (j > 0 && out[1 + 2 * (j - 1)]! * 256 + out[2 + 2 * (j - 1)]! > key) {
      out[1 + 2 * j] = out[1 + 2 * (j - 1)]!;
      out[2 + 2 * j] = out[2 + 2 * (j - 1)]!;
      j--;
    }
    out[1 + 2 * j] = pc;
    out[2 + 2 * j] = cnt;
  }
}

/** State of the mutex fixture as plain data (the guard+recipe form). */
export interface MutexState {
  readonly lock: number;
  readonly procs: readonly { readonly pc: number; readonly count: number }[];
}

/**
 * The mutex fixture written as guards and immer recipes, with its symmetry declared on the
 * values (`symmetry` returns the state with its processes sorted): the same state spaces as
 * `mutexProcesses`, on the object engine, the immer path and the fast path.
 */
export function mutexObjects(n: number, c: number, options: MutexOptions = {}): GuardedModel<MutexState, MutexAction> {
  const actions: MutexAction[] = [];
  for (let i = 0; i < n; i++) for (const kind of ['request', 'enter', 'leave'] as const) actions.push({ kind, p: i });
  const critical = (s: MutexState) => s.procs.filter((p) => p.pc === 2).length;
  const order = (a: { pc: number; count: number }, b: { pc: number; count: number }) => a.pc - b.pc || a.count - b.count;
  return guardedModel<MutexState, MutexAction>({
    initStates: () => [{ lock: 0, procs: Array.from({ length: n }, () => ({ pc: 0, count: 0 })) }],
    actions: () => actions,
    rule: (a) => {
      switch (a.kind) {
        case 'request':
          return { guard: (s, x) => (s.procs[x.p]!.pc === 0 ? true : 'not idle'), effect: (d, x) => void (d.procs[x.p]!.pc = 1) };
        case 'enter':
          return {
            guard: (s, x) => {
              const p = s.procs[x.p]!;
              if (p.pc !== 1) return 'not waiting';
              return s.lock === 0 || (options.bug === true && p.count === c) ? true : 'the lock is held';
            },
            effect: (d, x) => {
              d.procs[x.p]!.pc = 2;
              d.lock = 1;
            },
          };
        case 'leave':
          return {
            guard: (s, x) => (s.procs[x.p]!.pc === 2 ? true : 'not in its critical section'),
            effect: (d, x) => {
              const others = critical(d) > 1;
              const p = d.procs[x.p]!;
              p.pc = 0;
              p.count = (p.count + 1) % (c + 1);
              d.lock = others ? 1 : 0;
            },
          };
      }
    },
    formatAction: (a) => `${a.kind}(${a.p})`,
    actionKind: (a) => a.kind,
    properties: [
      always('mutual exclusion', (s: MutexState) => critical(s) <= 1 || `${critical(s)} processes in their critical sections`),
      sometimes('a counter wraps', (s: MutexState) => s.procs.some((p) => p.count === c)),
    ],
    ...((options.symmetric ?? true)
      ? {
          symmetry: (s: MutexState) => {
            for (let i = 1; i < s.procs.length; i++) if (order(s.procs[i - 1]!, s.procs[i]!) > 0) return { lock: s.lock, procs: [...s.procs].sort(order) };
            return s;
          },
        }
      : {}),
  });
}
