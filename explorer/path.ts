/**
 * Paths: how a trace is named and rebuilt. A path is an initial-state index followed by action
 * indices, each an index into `model.actions(state)` of the state reached so far. It is written
 * `0/3/1` (initial state 0, then the action at index 3, then the one at index 1) and replays
 * exactly as long as `initStates` and `actions` are deterministic.
 */
import { defaultFormatAction, type Model } from './model.js';

/** One step of a trace: the action taken (absent on the first step) and the state it led to. */
export interface Step<S, A> {
  readonly action?: A;
  readonly state: S;
}

/** A path as indices. */
export interface Path {
  /** Index into `model.initStates()`. */
  readonly init: number;
  /** Indices into `model.actions(state)` along the way. */
  readonly actions: readonly number[];
}

/** Raised when a path is malformed or does not replay on the model. */
export class PathError extends Error {
  override readonly name = 'PathError';
}

/** Writes a path as `init/a1/a2/...`. */
export function encodePath(path: Path): string {
  return [path.init, ...path.actions].join('/');
}

/** Reads `init/a1/a2/...`; throws a PathError naming the bad segment. */
export function decodePath(text: string): Path {
  const parts = text.trim().split('/');
  const nums = parts.map((p, i) => {
    if (!/^\d+$/.test(p)) {
      throw new PathError(`path '${text}': segment ${i + 1} ('${p}') is not a non-negative integer; write a path as init/action/action, e.g. 0/3/1`);
    }
    return Number(p);
  });
  return { init: nums[0]!, actions: nums.slice(1) };
}

/**
 * Re-executes a path on the model and returns its steps. Throws a PathError naming the first step
 * that cannot be taken (index out of range, or the action is disabled there).
 */
export function replayPath<S, A>(model: Model<S, A>, path: Path): Step<S, A>[] {
  const inits = model.initStates();
  const first = inits[path.init];
  if (first === undefined) {
    throw new PathError(`path: initial state ${path.init} does not exist (the model has ${inits.length})`);
  }
  const steps: Step<S, A>[] = [{ state: first }];
  let state = first;
  const fmt = model.formatAction ?? defaultFormatAction;
  path.actions.forEach((ai, i) => {
    const acts = model.actions(state);
    const action = acts[ai];
    if (action === undefined) {
      throw new PathError(
        `path: step ${i + 1} asks for action index ${ai}, but the state has ${acts.length} candidate actions (are actions() deterministic?)`,
      );
    }
    const next = model.nextState(state, action);
    if (next === undefined) {
      const why = model.whyDisabled?.(state, action);
      throw new PathError(`path: step ${i + 1}: ${fmt(action)} is not enabled${why ? `: ${why}` : ''}`);
    }
    steps.push({ action, state: next });
    state = next;
  });
  return steps;
}

/** Finds the path of a sequence of actions, matching each by its formatted text. */
export function pathOfActions<S, A>(model: Model<S, A>, init: number, actions: readonly A[]): Path {
  const fmt = model.formatAction ?? defaultFormatAction;
  const inits = model.initStates();
  let state = inits[init];
  if (state === undefined) throw new PathError(`path: initial state ${init} does not exist`);
  const out: number[] = [];
  actions.forEach((a, i) => {
    const want = fmt(a);
    const acts = model.actions(state!);
    const ai = acts.findIndex((c) => fmt(c) === want);
    if (ai < 0) throw new PathError(`path: step ${i + 1}: ${want} is not a candidate action here`);
    const next = model.nextState(state!, acts[ai]!);
    if (next === undefined) throw new PathError(`path: step ${i + 1}: ${want} is not enabled`);
    out.push(ai);
    state = next;
  });
  return { init, actions: out };
}
