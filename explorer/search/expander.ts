/**
 * How the search sees a model: an expander. The level loop (core.ts), the parallel workers and the
 * family search are written once against it; what differs between kinds of model is only how a
 * state is stored and how its successors are made:
 * - objects (this file): states are JS values, the frontier keeps them as they are (any `Model`;
 *   guard+recipe models through immer's `produce`);
 * - bytes (`ByteOps`, adapted by `byteExpander`): packed models (packed.ts), guard+recipe models on
 *   decoded copies (expand/codecOps.ts) and on their declared layout (layout/ops.ts). The frontier
 *   is a byte arena that spills to disk past its budget (store/queue.ts).
 * Slots hold the successors of the state being expanded, numbered from 0 in action order.
 */
import { fingerprintInto } from '../fingerprint.js';
import type { Model } from '../model.js';
import { ByteQueue, type QueueReader, type SpillBudget } from '../store/queue.js';
import { sparseBound, sparseDecode, sparseEncode } from '../store/sparse.js';

/** A level's states, in the order they were found. */
export interface Frontier {
  readonly length: number;
  dispose(): void;
}

/** The search's view of a model. */
export interface Expander<S, A> {
  /** The engine name reported in stats. */
  readonly name: string;
  /** The number of actions when every state has the same action list (then `actions` ignores its argument). */
  readonly fixedActions?: number;
  /** An empty frontier. */
  newFrontier(budget: SpillBudget): Frontier;
  /** Appends slot `m`'s state to `f`. */
  push(f: Frontier, m: number): void;
  /** Reads `f` in order: each call loads the next state (valid until the next call or `unload`). */
  open(f: Frontier): () => S;
  /** Number of initial states. */
  initCount(): number;
  /** Puts initial state `k` into slot `m`. */
  initSlot(k: number, m: number): void;
  /** The expansion of the loaded state is over (e.g. check that model code did not change it). */
  unload(): void;
  actions(s: S): readonly A[];
  /** The successor of the loaded state `s` under action `ai` into slot `m`; false when disabled. */
  succ(s: S, ai: number, a: A, m: number): boolean;
  /** Fingerprint of slot `m` (of its canonical form under symmetry) into `out`. */
  fpSlot(m: number, out: Uint32Array): void;
  /** Slot `m` as a value, for properties. */
  slotValue(m: number): S;
  /** A new state's value was handed to properties (e.g. check that they did not change it). */
  checked(m: number): void;
  /** The expansion is over: drop what slots `0 .. m-1` hold. */
  clearSlots(m: number): void;
  /** Successors whose canonical form differed from themselves (symmetry), or undefined without symmetry. */
  canonicalized(): number | undefined;
  /** Byte expanders: slot `m`'s bytes are `slotBuf(m)[slotOff(m) .. + slotLen(m))` (the parallel search copies them). */
  readonly bytes?: ByteOps<S, A>;
}

/** A byte expander's own operations: states are byte records. */
export interface ByteOps<S, A> {
  readonly name: string;
  /** Bytes per record when fixed (packed models, laid-out states). */
  readonly width: number | undefined;
  readonly fixedActions?: number;
  initCount(): number;
  initSlot(k: number, m: number): void;
  /** Makes the record `buf[off .. off + len)` the state being expanded; returns its value. */
  load(buf: Uint8Array, off: number, len: number): S;
  unload(): void;
  actions(s: S): readonly A[];
  succ(s: S, ai: number, a: A, m: number): boolean;
  fpSlot(m: number, out: Uint32Array): void;
  slotBuf(m: number): Uint8Array;
  slotOff(m: number): number;
  slotLen(m: number): number;
  slotValue(m: number): S;
  checked(m: number): void;
  clearSlots(m: number): void;
  canonicalized(): number | undefined;
  /** Records are mostly zero bytes: the frontier keeps them compact (store/sparse.ts). */
  readonly sparse?: boolean;
  /** A record as a read-only value for properties, not the loaded one (the parallel search's commit); valid until the next call. */
  recordValue?(buf: Uint8Array, off: number, len: number): S;
}

/**
 * The expander of a byte model: its frontier is a byte arena. The byte operations object itself
 * becomes the expander (its methods are called directly, with no wrapper on the hot path).
 */
export function byteExpander<S, A>(ops: ByteOps<S, A>): Expander<S, A> {
  const width = ops.width;
  const ex = ops as unknown as ByteOps<S, A> & {
    -readonly [K in keyof Expander<S, A>]: Expander<S, A>[K];
  };
  if (ops.sparse === true && width !== undefined) {
    // mostly-zero fixed-width records (laid-out states) wait in the frontier in their compact form
    const packed = new Uint8Array(sparseBound(width));
    const full = new Uint8Array(width);
    ex.newFrontier = (budget) => new ByteQueue(budget);
    ex.push = (f, m) => (f as ByteQueue).push(packed, 0, sparseEncode(ops.slotBuf(m), ops.slotOff(m), width, packed, 0));
    ex.open = (f) => {
      const r: QueueReader = (f as ByteQueue).reader();
      return () => {
        r.next();
        sparseDecode(r.buf, r.off, width, full);
        return ops.load(full, 0, width);
      };
    };
  } else {
    ex.newFrontier = (budget) => new ByteQueue(budget, width);
    ex.push = (f, m) => (f as ByteQueue).push(ops.slotBuf(m), ops.slotOff(m), ops.slotLen(m));
    ex.open = (f) => {
      const r: QueueReader = (f as ByteQueue).reader();
      return () => {
        r.next();
        return ops.load(r.buf, r.off, r.len);
      };
    };
  }
  ex.bytes = ops;
  return ex as Expander<S, A>;
}

/** A frontier of JS values. */
class ValueFrontier<S> implements Frontier {
  values: (S | undefined)[] = [];
  get length(): number {
    return this.values.length;
  }
  dispose(): void {
    this.values = [];
  }
}

/**
 * The expander of a model whose states are JS values (`engine` names the run: `objects`, or
 * `immer` for a guard+recipe model run through `produce`). Identity is the structural fingerprint
 * of the value (fingerprint.ts), of its canonical form under the model's symmetry.
 */
export function objectExpander<S, A>(model: Model<S, A>, useSymmetry: boolean, engine = 'objects'): Expander<S, A> {
  const symmetry = useSymmetry && model.symmetry ? (s: S) => model.symmetry!(s) : undefined;
  let canonicalized = 0;
  let inits: readonly S[] = [];
  let loaded: S | undefined;
  const slots: (S | undefined)[] = [];
  return {
    name: engine,
    newFrontier: () => new ValueFrontier<S>(),
    push: (f, m) => {
      (f as ValueFrontier<S>).values.push(slots[m]);
    },
    open(f) {
      const values = (f as ValueFrontier<S>).values;
      let i = 0;
      return () => {
        loaded = values[i]!;
        // the frontier lets go of what it has handed out
        values[i++] = undefined;
        return loaded;
      };
    },
    initCount() {
      inits = model.initStates();
      return inits.length;
    },
    initSlot(k, m) {
      slots[m] = inits[k]!;
    },
    unload() {
      loaded = undefined;
    },
    actions: (s) => model.actions(s),
    succ(s, _ai, a, m) {
      const t = model.nextState(s, a);
      if (t === undefined) return false;
      slots[m] = t;
      return true;
    },
    fpSlot(m, out) {
      const t = slots[m]!;
      if (symmetry) {
        const c = symmetry(t);
        if (c !== t) canonicalized++;
        fingerprintInto(c, out);
      } else {
        fingerprintInto(t, out);
      }
    },
    slotValue: (m) => slots[m]!,
    checked() {},
    clearSlots(m) {
      for (let k = 0; k < m; k++) slots[k] = undefined;
    },
    canonicalized: () => (symmetry ? canonicalized : undefined),
  };
}
