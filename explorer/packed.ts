/**
 * Packed models: states are fixed-width byte vectors (`Uint8Array`), the representation SPIN uses.
 * The successor function writes into a scratch buffer the checker owns, the frontier is a byte
 * arena, fingerprints are taken from the bytes: no JS object per state anywhere in the search.
 *
 * `packedModel(spec)` returns a value that is also an ordinary `Model<Uint8Array, A>` (its
 * `nextState` allocates a fresh array), so paths replay, traces print and every tool that takes a
 * `Model` takes it; `check` sees the `packed` field and runs the byte engine instead.
 */
import type { ByteOps } from './search/expander.js';
import { fingerprintRangeInto } from './fingerprint.js';
import type { Model, Property } from './model.js';
import type { WorkerSource } from './parallel/source.js';

/** What a packed model is made of. */
export interface PackedSpec<A> {
  /** Bytes per state. */
  readonly width: number;
  /** The initial states, each `width` bytes. */
  initStates(): readonly Uint8Array[];
  /** Every candidate action, one list for every state (a path indexes into it). */
  readonly actions: readonly A[];
  /**
   * The successor of `state` under `actions[ai]`: when the action is enabled, write the whole
   * successor into `out` (e.g. `out.set(state)`, then the changes) and return true; return false
   * when it is disabled (then `out` is ignored). Never write `state`. Neither array may be kept:
   * both are scratch buffers reused for the next call.
   */
  next(state: Uint8Array, ai: number, out: Uint8Array): boolean;
  /** The properties; the states they see are scratch buffers valid during the call only. */
  readonly properties: readonly Property<Uint8Array, A>[];
  isFinal?(state: Uint8Array): boolean;
  formatAction?(action: A): string;
  actionKind?(action: A): string;
  /** Why `action` is disabled in `state`, for deadlock reports. */
  whyDisabled?(state: Uint8Array, action: A): string | undefined;
  /** A state as plain data, for people (reports, traces printed by tools). */
  decode?(state: Uint8Array): unknown;
  /**
   * Symmetry reduction: write into `out` the canonical representative of `state`'s class
   * (`state` with its interchangeable ids permuted into a fixed order). States with equal
   * canonical forms are explored once. See docs/explorer.md, "Symmetry".
   */
  canonicalize?(state: Uint8Array, out: Uint8Array): void;
  /** How a worker thread builds this same model (parallel search). */
  readonly worker?: WorkerSource;
}

/** A packed model: an ordinary `Model` over byte arrays, plus its packed form for the byte engine. */
export interface PackedModel<A> extends Model<Uint8Array, A> {
  readonly packed: PackedSpec<A>;
}

/** True when `model` carries a packed form. */
export function isPackedModel<S, A>(model: Model<S, A>): boolean {
  const p = (model as { packed?: PackedSpec<A> }).packed;
  return p !== undefined && typeof p === 'object' && typeof p.next === 'function' && Number.isInteger(p.width);
}

/** Builds a packed model from its spec; see `PackedSpec`. */
export function packedModel<A>(spec: PackedSpec<A>): PackedModel<A> {
  if (!(Number.isInteger(spec.width) && spec.width > 0)) throw new RangeError(`packedModel: width must be a whole number ≥ 1, got ${spec.width}`);
  const index = new Map<A, number>();
  spec.actions.forEach((a, i) => {
    if (!index.has(a)) index.set(a, i);
  });
  const w = spec.width;
  const model: PackedModel<A> = {
    packed: spec,
    initStates: () =>
      spec.initStates().map((s, k) => {
        if (s.length !== w) throw new RangeError(`packedModel: initial state ${k} has ${s.length} bytes, width is ${w}`);
        return s.slice();
      }),
    actions: () => spec.actions,
    nextState(state, action) {
      const ai = index.get(action);
      if (ai === undefined) throw new RangeError('packedModel: an action that is not in the model\'s action list');
      const out = new Uint8Array(w);
      return spec.next(state, ai, out) ? out : undefined;
    },
    properties: spec.properties,
  };
  if (spec.isFinal) model.isFinal = (s) => spec.isFinal!(s);
  if (spec.formatAction) model.formatAction = (a) => spec.formatAction!(a);
  if (spec.actionKind) model.actionKind = (a) => spec.actionKind!(a);
  model.whyDisabled = (s, a) => {
    if (spec.whyDisabled) return spec.whyDisabled(s, a);
    return model.nextState(s, a) === undefined ? 'not enabled' : undefined;
  };
  return model;
}

/** The byte engine's view of a packed model: slots are `width`-byte windows of one slab. */
export function packedOps<A>(spec: PackedSpec<A>, useSymmetry: boolean): ByteOps<Uint8Array, A> {
  const w = spec.width;
  const acts = spec.actions;
  const slots = Math.max(1, acts.length);
  const slab = new Uint8Array(slots * w);
  const views: Uint8Array[] = [];
  for (let m = 0; m < slots; m++) views.push(slab.subarray(m * w, (m + 1) * w));
  const cur = new Uint8Array(w);
  const canonBuf = new Uint8Array(w);
  const canonicalize = useSymmetry ? spec.canonicalize : undefined;
  let inits: readonly Uint8Array[] | undefined;
  let canonicalized = 0;
  const next = spec.next;
  return {
    name: 'packed',
    width: w,
    fixedActions: acts.length,
    initCount() {
      inits = spec.initStates();
      return inits.length;
    },
    initSlot(k, m) {
      const s = inits![k]!;
      if (s.length !== w) throw new RangeError(`packedModel: initial state ${k} has ${s.length} bytes, width is ${w}`);
      views[m]!.set(s);
    },
    load(buf, off) {
      for (let i = 0; i < w; i++) cur[i] = buf[off + i]!;
      return cur;
    },
    unload() {},
    actions: () => acts,
    succ: (_s, ai, _a, m) => next(cur, ai, views[m]!),
    fpSlot: canonicalize
      ? (m, out) => {
          const v = views[m]!;
          canonicalize(v, canonBuf);
          let same = true;
          for (let i = 0; i < w; i++) {
            if (canonBuf[i] !== v[i]) {
              same = false;
              break;
            }
          }
          if (!same) canonicalized++;
          fingerprintRangeInto(canonBuf, 0, w, out);
        }
      : (m, out) => fingerprintRangeInto(slab, m * w, w, out),
    slotBuf: () => slab,
    slotOff: (m) => m * w,
    slotLen: () => w,
    slotValue: (m) => views[m]!,
    recordValue: (buf, off) => buf.subarray(off, off + w),
    checked() {},
    clearSlots() {},
    canonicalized: () => (canonicalize ? canonicalized : undefined),
  };
}
