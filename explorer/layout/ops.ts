/**
 * The byte engine's view of a guard+recipe model that declares its state's layout: states are kept
 * as fixed-width bytes, and the model's own guards, recipes and properties run on views of them
 * (views.ts). Expanding a state copies its bytes into the read-only set that guards and
 * `actions()` see; each enabled action copies them again into the writable set, runs the recipe
 * there, and writes the successor's bytes into its slot. No decode, no encode of whole states:
 * only what a recipe changes is written. The fingerprint is over the bytes (or over their
 * canonical form under the model's symmetry).
 */
import type { ByteOps } from '../search/expander.js';
import { ModelError } from '../errors.js';
import { Blocked, type GuardedModel } from '../guarded.js';
import { compileLayout, type CompiledLayout } from './compile.js';
import type { AnyLayout } from './schema.js';
import { compileSymmetry } from './symmetry.js';
import { createViewSet } from './views.js';
import { ZobristHash } from './zobrist.js';

/** A guarded model that declares its state's layout. */
export type LaidOutModel<S, A> = GuardedModel<S, A> & { readonly layout: AnyLayout };

/** True when the model declares a layout its search can keep states in. */
export function hasLayout<S, A>(model: GuardedModel<S, A>): model is LaidOutModel<S, A> {
  return (model as { layout?: unknown }).layout !== undefined;
}



/** The byte engine's operations over a laid-out guarded model. */
export function viewOps<S, A>(model: LaidOutModel<S, A>, useSymmetry = true, compiled: CompiledLayout<S> = compileLayout<S>(model.layout)): ByteOps<S, A> {
  const ids = model.idSymmetry;
  const canonicalize = useSymmetry && ids !== undefined && ids.length > 0 ? compileSymmetry(compiled as CompiledLayout<unknown>, ids) : undefined;
  const W = compiled.size;
  const parent = createViewSet(compiled, false);
  const draft = createViewSet(compiled, true);
  const next = createViewSet(compiled, false);
  const P = parent.buf;
  const D = draft.buf;
  const T = next.buf;
  const parentRoot = parent.root;
  const draftRoot = draft.root;
  let staging = new Uint8Array(Math.max(W, 4) * 64);
  let stagingWords = new Int32Array(staging.buffer);
  const parentWords = new Int32Array(P.buffer, P.byteOffset, W >>> 2);
  const hash = new ZobristHash(Math.max(W, 4));
  const parentFp = new Uint32Array(2);
  let fpA = new Int32Array(64);
  let fpB = new Int32Array(64);
  const fpTmp = new Uint32Array(2);
  let inits: readonly S[] = [];
  /** The slot whose bytes `next` holds; -1: none; -2: a record given to `recordValue`. */
  let held = -1;
  const canon = new Uint8Array(W);
  let canonicalized = 0;

  const room = (m: number): void => {
    if ((m + 1) * W <= staging.length) return;
    const b = new Uint8Array(Math.max(staging.length * 2, (m + 1) * W));
    b.set(staging);
    staging = b;
    stagingWords = new Int32Array(staging.buffer);
  };
  const fpRoom = (m: number): void => {
    if (m < fpA.length) return;
    const a = new Int32Array(fpA.length * 2);
    a.set(fpA);
    fpA = a;
    const b = new Int32Array(fpB.length * 2);
    b.set(fpB);
    fpB = b;
  };
  const release = (): void => {
    if (held === -1) return;
    const c = next.changed();
    held = -1;
    if (c !== undefined) throw new ModelError(`a property changed ${c} of the state it was checking (states are read-only)`);
  };

  return {
    name: 'views',
    width: W,
    sparse: true,
    initCount() {
      inits = model.initStates();
      return inits.length;
    },
    initSlot(k, m) {
      release();
      room(m);
      compiled.encode(inits[k]!, staging, m * W);
      fpRoom(m);
      hash.full(staging, m * W, fpTmp);
      fpA[m] = fpTmp[0]! | 0;
      fpB[m] = fpTmp[1]! | 0;
    },
    load(buf, off) {
      P.set(buf.subarray(off, off + W));
      parent.begin();
      hash.full(P, 0, parentFp);
      return parentRoot as S;
    },
    unload() {
      const c = parent.changed();
      if (c !== undefined) throw new ModelError(`a guard, actions() or a property changed ${c} of the state being expanded (states are read-only)`);
    },
    actions: (s) => model.actions(s),
    succ(s, _ai, a, m) {
      const r = model.rule(a);
      if (r.guard(s, a) !== true) return false;
      D.set(P);
      draft.begin();
      try {
        r.effect(draftRoot as never, a);
      } catch (e) {
        // an effect that would block leaves the action disabled here, as on the immer path
        if (e instanceof Blocked) return false;
        throw e;
      }
      if (held === m) release();
      room(m);
      draft.finish(staging, m * W);
      fpRoom(m);
      hash.delta(parentFp[0]! | 0, parentFp[1]! | 0, P, parentWords, staging, stagingWords, (m * W) >>> 2, fpTmp);
      fpA[m] = fpTmp[0]! | 0;
      fpB[m] = fpTmp[1]! | 0;
      return true;
    },
    fpSlot(m, out) {
      if (canonicalize !== undefined && canonicalize(staging, m * W, canon)) {
        canonicalized++;
        hash.full(canon, 0, out);
        return;
      }
      out[0] = fpA[m]!;
      out[1] = fpB[m]!;
    },
    slotBuf: () => staging,
    slotOff: (m) => m * W,
    slotLen: () => W,
    slotValue(m) {
      if (held !== m) {
        release();
        const o = m * W;
        T.set(staging.subarray(o, o + W));
        next.begin();
        held = m;
      }
      return next.root;
    },
    recordValue(buf, off) {
      release();
      T.set(buf.subarray(off, off + W));
      next.begin();
      held = -2;
      return next.root;
    },
    checked() {
      release();
    },
    clearSlots() {
      release();
    },
    canonicalized: () => (canonicalize !== undefined ? canonicalized : undefined),
  };
}
