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
