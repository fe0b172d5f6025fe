/**
 * The fast path of guard+recipe models: the same guards and the same recipes, without immer.
 *
 * States are stored encoded (`codec.ts`). To expand a state, the engine decodes it once (the value
 * guards, `actions` and properties see); for each action whose guard holds, it decodes the record
 * again into a fresh mutable copy, runs the recipe (`effect`) on that copy as if it were immer's
 * draft, and encodes the result. The hash of the canonical encoding identifies the state (equal
 * values have equal encodings), so no second walk of the state is needed to fingerprint it.
 *
 * Mutation safety (what immer's frozen states give the other path): no value handed to model code
 * is ever stored, only encodings are, so model code cannot corrupt the store, whatever it writes.
 * Recipes mutate only their own fresh copy. A guard, `actions` or a property that mutates a state
 * it was given (a model bug that would only confuse the rest of that one expansion) is caught: the
 * expanded state is re-encoded after its expansion, and a new state after its properties ran, and
 * a difference raises a ModelError naming the path. The check runs on the first 4096 states and on
 * every 32nd state after them (deterministically: same runs, same checks), which keeps its cost
 * small while still catching a recipe or property that mutates as a habit. (A recipe that assigns a shared constant object and then mutates it through the
 * draft mutates the constant: immer would have thrown, because the constant would be frozen; the
 * fast path cannot see it. The equality tests of the two paths on the grant model guard this.)
 */
import { StateCodec, type ByteWriter } from './codec.js';
import type { ByteOps } from '../search/expander.js';
import { fingerprintRangeInto } from '../fingerprint.js';
import { Blocked, type GuardedModel } from '../guarded.js';
import type { Model } from '../model.js';

/** True for models built by `guardedModel` (their recipes can run on the fast path). */
export function isGuardedModel<S, A>(model: Model<S, A>): model is GuardedModel<S, A> {
  const m = model as Partial<GuardedModel<S, A>>;
  return m.guarded === true && typeof m.rule === 'function';
}

function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false;
  return true;
}

/** The byte engine's view of a guarded model on the fast path. */
export function fastOps<S, A>(model: GuardedModel<S, A>, useSymmetry: boolean): ByteOps<S, A> {
  const codec = new StateCodec();
  const staging: ByteWriter = { buf: new Uint8Array(1 << 14), pos: 0 };
  const scratch: ByteWriter = { buf: new Uint8Array(1 << 12), pos: 0 };
  let slotStart = new Int32Array(64);
  let slotLen = new Int32Array(64);
  const values: (S | undefined)[] = [];
  const symmetry = useSymmetry && model.symmetry ? (s: S) => model.symmetry!(s) : undefined;
  let canonicalized = 0;
  let inits: readonly S[] = [];
  let recBuf: Uint8Array = staging.buf;
  let recOff = 0;
  let recLen = 0;
  let loaded: S | undefined;
  /** Expansions and new states seen: the mutation check samples them. */
  let expansions = 0;
  let newStates = 0;
  const sampled = (n: number): boolean => n < 4096 || (n & 31) === 0;

  const put = (m: number, v: S): void => {
    if (m >= slotStart.length) {
      const a = new Int32Array(slotStart.length * 2);
      a.set(slotStart);
      slotStart = a;
      const b = new Int32Array(slotLen.length * 2);
      b.set(slotLen);
      slotLen = b;
    }
    if (m === 0) staging.pos = 0;
    const start = staging.pos;
    codec.encode(v, staging);
    slotStart[m] = start;
    slotLen[m] = staging.pos - start;
    values[m] = v;
  };

  /** Re-encodes `v` and compares with the bytes it was stored as. */
  const unchanged = (v: S, buf: Uint8Array, off: number, len: number): boolean => {
    scratch.pos = 0;
    codec.encode(v, scratch);
    return scratch.pos === len && sameBytes(scratch.buf, 0, buf, off, len);
  };

  return {
    name: 'fast',
    width: undefined,
    initCount() {
      inits = model.initStates();
      return inits.length;
    },
    initSlot(k, m) {
      put(m, inits[k]!);
    },
    load(buf, off, len) {
      recBuf = buf;
      recOff = off;
      recLen = len;
      loaded = codec.decode(buf, off) as S;
      return loaded;
    },
    unload() {
      if (sampled(expansions++) && !unchanged(loaded!, recBuf, recOff, recLen)) {
        throw new Error('model code mutated the state it was expanding (a guard, actions() or a property wrote to it); states are read-only');
      }
      loaded = undefined;
    },
    actions: (s) => model.actions(s),
    succ(s, _ai, a, m) {
      const r = model.rule(a);
      if (r.guard(s, a) !== true) return false;
      const t = codec.decode(recBuf, recOff) as S;
      try {
        r.effect(t as never, a);
      } catch (e) {
        // an effect that would block (explorer `block`) leaves the action disabled here, as on the immer path
        if (e instanceof Blocked) return false;
        throw e;
      }
      put(m, t);
      return true;
    },
    fpSlot(m, out) {
      if (symmetry) {
        const v = values[m]!;
        const c = symmetry(v);
        if (c !== v) {
          canonicalized++;
          scratch.pos = 0;
          codec.encode(c, scratch);
          fingerprintRangeInto(scratch.buf, 0, scratch.pos, out);
          return;
        }
      }
      fingerprintRangeInto(staging.buf, slotStart[m]!, slotLen[m]!, out);
    },
    slotBuf: () => staging.buf,
    slotOff: (m) => slotStart[m]!,
    slotLen: (m) => slotLen[m]!,
    slotValue: (m) => values[m]!,
    checked(m) {
      if (sampled(newStates++) && !unchanged(values[m]!, staging.buf, slotStart[m]!, slotLen[m]!)) {
        throw new Error('a property mutated the state it was checking (states are read-only)');
      }
    },
    clearSlots(m) {
      for (let k = 0; k < m; k++) values[k] = undefined;
    },
    canonicalized: () => (symmetry ? canonicalized : undefined),
  };
}
