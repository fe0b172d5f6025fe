/**
 * Replay of an ITF trace on a model: the trace's actions are re-executed from the model's initial
 * state, each matched to a candidate action of the current state (by equality of the data, else by
 * its printed text), and each resulting state is compared with the recorded one. The first
 * mismatch is reported with its step, its action and the paths that differ. A trace that replays
 * is then checked against the property it records: does it still fail, and where?
 *
 * Mismatches are results (the model changed; that is an answer). Malformed input throws ItfError.
 */
import { encodePath, type Model, type Step } from '../explorer/index.js';
import { diffStates, formatChange, formatPath, type Change } from './diff.js';
import { actionPrinter } from './dot.js';
import { fromItf, type DecodedMeta, type DecodedTrace, type ItfTrace } from './itf.js';
import { deepEqual, isRecord } from './value.js';

/** Where a property fails along a trace. */
export interface TraceViolation {
  readonly property: string;
  /** The state index (0 = initial) where it fails; for a step property, the step into that state. */
  readonly step: number;
  readonly clause?: string;
}

interface ReplayBase<S, A> {
  /** The trace's `#meta`: design, configuration, model version, property. */
  readonly meta: DecodedMeta;
  /** The steps the model took, up to the mismatch if there is one. */
  readonly steps: readonly Step<S, A>[];
  /** The path of those steps on this model (`0/3/1`): indices can differ from the recorded path when actions were reordered. */
  readonly path: string;
}

/** Every step replayed and matched; the recorded property (if any) fails on the trace. */
export interface ReplayReproduced<S, A> extends ReplayBase<S, A> {
  readonly status: 'reproduced';
  /** Where the recorded property fails (absent when the trace records no property). */
  readonly violation?: TraceViolation;
}

/** Every step replayed and matched, but the recorded property does not fail on the trace (or is not in the model). */
export interface ReplayNotReproduced<S, A> extends ReplayBase<S, A> {
  readonly status: 'not-reproduced';
  /** One line saying why. */
  readonly message: string;
}

/** The trace does not replay: the first step that differs. */
export interface ReplayMismatch<S, A> extends ReplayBase<S, A> {
  readonly status: 'mismatch';
  /** The state index where replay failed (0: the initial state). */
  readonly step: number;
  /** The recorded action of that step, printed. */
  readonly action?: string;
  /**
   * unmappable: the trace cannot be replayed on this model at all (another model's variables, a
   * value or a step a grantcheck state cannot hold: `DecodedTrace.unmappable`); initial-state: no
   * initial state equals the recorded one; no-such-action: the action is not a candidate;
   * not-enabled; state: the successor differs.
   */
  readonly reason: 'unmappable' | 'initial-state' | 'no-such-action' | 'not-enabled' | 'state';
  /** For initial-state and state: how the model's state differs from the recorded one (trace → model). */
  readonly changes: readonly Change[];
  /** One line: the step, the action, what differs. */
  readonly message: string;
  /** The differing paths, one per line (`procs[0].state: exiting → dead`, trace value first). */
  readonly details: readonly string[];
}

/** The outcome of `replayItf`. */
export type ReplayResult<S, A> = ReplayReproduced<S, A> | ReplayNotReproduced<S, A> | ReplayMismatch<S, A>;

/** Options of `replayItf`. */
export interface ReplayOptions {
  /** `check`: every state must equal the recorded one; `ignore`: only the actions are replayed. @defaultValue 'check' */
  readonly states?: 'check' | 'ignore';
}

/** How many differing paths the one-line message names before `...`. */
const NAMED_PATHS = 4;

/** Replays an ITF trace (text, parsed JSON, or decoded) on `model`; throws ItfError when the trace is malformed. */
export function replayItf<S, A>(model: Model<S, A>, itf: string | ItfTrace | DecodedTrace | unknown, options: ReplayOptions = {}): ReplayResult<S, A> {
  const trace = isDecoded(itf) ? itf : fromItf(itf);
  const meta = trace.meta;
  const checkStates = (options.states ?? 'check') === 'check';
  const fmt = actionPrinter({ model }).format;
  const steps: Step<S, A>[] = [];
  const indices: number[] = [];
  const base = () => ({ meta, steps, path: encodePath({ init: indices[0] ?? 0, actions: indices.slice(1) }) });
  const mismatch = (step: number, reason: ReplayMismatch<S, A>['reason'], text: string, changes: readonly Change[], action?: string): ReplayMismatch<S, A> => {
    const details = changes.map((c) => formatChange(c));
    const named = changes.slice(0, NAMED_PATHS).map((c) => formatPath(c.element ? c.path.slice(0, -1) : c.path));
    const paths = changes.length === 0 ? '' : `: ${[...new Set(named)].join(', ')}${changes.length > NAMED_PATHS ? ', ...' : ''}`;
    return { status: 'mismatch', ...base(), step, reason, changes, details, message: `${text}${paths}`, ...(action !== undefined ? { action } : {}) };
  };

  if (trace.unmappable !== undefined) return mismatch(0, 'unmappable', `replay: the trace cannot be replayed on this model: ${trace.unmappable}`, []);
  const inits = model.initStates();
  const recorded0 = trace.steps[0]!.state;
  if (inits.length > 0 && isRecord(inits[0]) && isRecord(recorded0)) {
    const ours = Object.keys(inits[0]);
    const theirs = Object.keys(recorded0);
    const missing = ours.filter((k) => !theirs.includes(k));
    const extra = theirs.filter((k) => !ours.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const list = (ks: readonly string[]) => `${ks.slice(0, 4).join(', ')}${ks.length > 4 ? `, and ${ks.length - 4} more` : ''}`;
      const parts = [...(extra.length > 0 ? [`the trace has ${list(extra)}, which the model does not`] : []), ...(missing.length > 0 ? [`the model has ${list(missing)}, which the trace does not`] : [])];
      return mismatch(0, 'unmappable', `replay: the trace's variables are not the model's: ${parts.join('; ')}`, []);
    }
  }
  const init = checkStates ? inits.findIndex((s) => deepEqual(s, recorded0)) : initIndex(meta.path, inits.length);
  if (init < 0) {
    if (inits.length === 0) return mismatch(0, 'initial-state', 'replay: the model has no initial state', []);
    return mismatch(0, 'initial-state', "replay: no initial state of the model equals the trace's state 0 (trace → model)", diffStates(recorded0, inits[0]), undefined);
  }
  let state: S = inits[init]!;
  steps.push({ state });
  indices.push(init);

  for (let i = 1; i < trace.steps.length; i++) {
    const rec = trace.steps[i]!;
    const cands = model.actions(state);
    let k = cands.findIndex((c) => deepEqual(c, rec.action));
    if (k < 0 && rec.actionText !== undefined) k = cands.findIndex((c) => fmt(c) === rec.actionText);
    const text = rec.actionText ?? fmt(rec.action as A);
    if (k < 0) {
      const enabled = cands.filter((c) => model.nextState(state, c) !== undefined).map(fmt);
      const shown = enabled.length === 0 ? 'nothing is enabled here' : `enabled here: ${enabled.slice(0, 3).join(', ')}${enabled.length > 3 ? `, and ${enabled.length - 3} more` : ''}`;
      return mismatch(i, 'no-such-action', `replay: step ${i}: ${text} is not an action of the model in this state; ${shown}`, [], text);
    }
    const action = cands[k]!;
    const next = model.nextState(state, action);
    if (next === undefined) {
      const why = model.whyDisabled?.(state, action);
      return mismatch(i, 'not-enabled', `replay: step ${i}: ${text} is not enabled${why ? `: ${why}` : ''}`, [], text);
    }
    if (checkStates && !deepEqual(next, rec.state)) {
      const changes = diffStates(rec.state, next);
      return mismatch(i, 'state', `replay: step ${i}: after ${text} the model's state differs from the trace's at ${changes.length} path${changes.length === 1 ? '' : 's'} (trace → model)`, changes, text);
    }
    steps.push({ action, state: next });
    indices.push(k);
    state = next;
  }

  if (meta.property === undefined) return { status: 'reproduced', ...base() };
  try {
    const v = findViolation(model, steps, meta.property);
    if (v) return { status: 'reproduced', ...base(), violation: v };
    return { status: 'not-reproduced', ...base(), message: `replay: every step matches, but ${meta.property} holds along the whole trace now` };
  } catch (e) {
    return { status: 'not-reproduced', ...base(), message: `replay: every step matches, but ${(e as Error).message}` };
  }
}

function isDecoded(x: unknown): x is DecodedTrace {
  return typeof x === 'object' && x !== null && 'steps' in x && 'meta' in x && !('states' in x);
}

/** The initial-state index named by an encoded path (`2/0/1` → 2), 0 without a path. */
function initIndex(path: string | undefined, count: number): number {
  const first = path === undefined ? 0 : Number(path.split('/')[0]);
  return Number.isInteger(first) && first >= 0 && first < count ? first : -1;
}

/**
 * Where `property` first fails along a trace, or undefined when it holds all along. `always`
 * properties are checked in every state, step properties on every step, `atQuiescence` in states
 * where nothing is enabled; `deadlock` (not a declared property) fails in a last state where
 * nothing is enabled and that is not final. Throws for an unknown name or a witness.
 */
export function findViolation<S, A>(model: Model<S, A>, steps: readonly Step<S, A>[], property: string): TraceViolation | undefined {
  const enabled = (s: S) => model.actions(s).some((a) => model.nextState(s, a) !== undefined);
  const p = model.properties.find((x) => x.name === property);
  const fail = (step: number, verdict: boolean | string): TraceViolation | undefined =>
    verdict === true ? undefined : { property, step, ...(typeof verdict === 'string' ? { clause: verdict } : {}) };
  if (!p) {
    if (property === 'deadlock') {
      const last = steps[steps.length - 1]!.state;
      return !enabled(last) && !(model.isFinal?.(last) ?? false) ? { property, step: steps.length - 1 } : undefined;
    }
    throw new Error(`the model has no property '${property}' (it has: ${model.properties.map((x) => x.name).join(', ')})`);
  }
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!.state;
    let v: TraceViolation | undefined;
    switch (p.kind) {
      case 'always':
        v = fail(i, p.holds(s));
        break;
      case 'step':
        v = i === 0 ? undefined : fail(i, p.holds(steps[i - 1]!.state, steps[i]!.action as A, s));
        break;
      case 'atQuiescence':
        v = enabled(s) ? undefined : fail(i, p.holds(s));
        break;
      case 'sometimes':
        throw new Error(`'${property}' is a witness (sometimes): it is reached, not violated`);
    }
    if (v) return v;
  }
  return undefined;
}
