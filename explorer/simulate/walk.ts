/**
 * Random walks as data: a walk is a list of choices (numbers in [0, 2^31)), read from the end.
 * The last choice picks the initial state; the one before it the first action, and so on back to
 * the first element. (Read backwards so that fast-check's array shrinker, which drops leading
 * elements, cuts a walk's tail: its first shrink attempts are the walk's prefixes.)
 *
 * In each state the walker lists the *menu*: the enabled actions (guards decide: `whyDisabled`
 * when the model has it, else `nextState`) that have a positive weight, each with a share of
 * [0, 1). With `choose: 'kind'` (the default, TLC's way: first an action, then its parameters)
 * every enabled kind gets a share proportional to its weight, split evenly among its enabled
 * instances; with `choose: 'action'` every enabled action gets a share proportional to its kind's
 * weight. A choice c picks the action whose share covers c / 2^31; smaller choices pick earlier
 * actions, so shrinking a choice towards 0 moves it towards the first action of the menu.
 */
import { ModelError } from '../errors.js';
import {
  defaultActionKind,
  defaultFormatAction,
  type AlwaysProperty,
  type AtQuiescenceProperty,
  type Model,
  type StepProperty,
  type Verdict,
} from '../model.js';
import { encodePath } from '../path.js';

/** Choices are integers in [0, CHOICES). */
export const CHOICES = 2 ** 31;

/** How a walk spreads its choice over the enabled actions. */
export type ChooseBy = 'kind' | 'action';

/** What the walker needs to know besides the model. */
export interface WalkerSettings {
  readonly weights: Readonly<Record<string, number>>;
  readonly defaultWeight: number;
  readonly choose: ChooseBy;
  readonly checkDeadlock: boolean;
  /** Property names to check; undefined = all. */
  readonly only?: ReadonlySet<string>;
}

/** The actions a walk can take in one state. */
export interface Menu<S, A> {
  /** `model.actions(state)`. */
  readonly actions: readonly A[];
  /** The kind of each candidate action. */
  readonly kinds: readonly string[];
  /** Candidate actions enabled here (weight 0 or not). */
  readonly enabled: number;
  /** The kinds with at least one enabled action, in candidate order. */
  readonly enabledKinds: readonly string[];
  /** Indices (into `actions`) of the pickable actions: enabled with a positive weight. */
  readonly pick: readonly number[];
  /** Their successors when `nextState` had to be called to learn that they are enabled. */
  readonly next: readonly (S | undefined)[];
  /** Cumulative shares of the pickable actions; the last is the total. */
  readonly cumulative: readonly number[];
}

/** A property failure met by a walk. */
export interface Failure {
  readonly property: string;
  readonly kind: 'always' | 'step' | 'atQuiescence' | 'deadlock';
  readonly clause?: string;
}

/** Why a walk ended. */
export type WalkEnd = 'choices' | 'terminal' | 'zero-weight' | 'failure' | 'error';

/** What one walk did. */
export interface WalkOutcome<A> {
  readonly init: number;
  /** Indices into `model.actions(state)`, one per step taken. */
  readonly path: number[];
  /** The actions taken. */
  readonly actions: A[];
  readonly end: WalkEnd;
  readonly failure?: Failure;
  readonly error?: unknown;
}

/** Hooks a recording walk calls (coverage, witnesses). */
export interface WalkObserver<S, A> {
  state(state: S, step: number, init: number, path: readonly number[]): void;
  menu(menu: Menu<S, A>): void;
  fired(kind: string): void;
}

/** How a walk checks properties: every one, only `target` (shrinking), or none. */
export type WalkCheck = { readonly mode: 'all' } | { readonly mode: 'target'; readonly target: string } | { readonly mode: 'none' };

/** Runs walks of a model, and turns action sequences back into choices. */
export class Walker<S, A> {
  /** The model's initial states (read once). */
  readonly inits: readonly S[];
  private readonly always: readonly AlwaysProperty<S>[];
  private readonly steps: readonly StepProperty<S, A>[];
  private readonly quiescent: readonly AtQuiescenceProperty<S>[];
  private readonly kindOf: (a: A) => string;
  /** How actions are compared when a walk is re-encoded: their formatted text (as `pathOfActions`). */
  readonly format: (a: A) => string;

  constructor(
    private readonly model: Model<S, A>,
    private readonly settings: WalkerSettings,
  ) {
    const only = settings.only;
    const selected = model.properties.filter((p) => !only || only.has(p.name));
    this.always = selected.filter((p): p is AlwaysProperty<S> => p.kind === 'always');
    this.steps = selected.filter((p): p is StepProperty<S, A> => p.kind === 'step');
    this.quiescent = selected.filter((p): p is AtQuiescenceProperty<S> => p.kind === 'atQuiescence');
    this.format = model.formatAction ? (a: A) => model.formatAction!(a) : (a: A) => defaultFormatAction(a);
    this.kindOf = model.actionKind ? (a: A) => model.actionKind!(a) : (a: A) => defaultActionKind(a, this.format as (a: unknown) => string);
    this.inits = model.initStates();
    if (this.inits.length === 0) throw new ModelError('model.initStates() returned no state: nothing to simulate');
  }

  /** The menu of `state`. */
  menu(state: S): Menu<S, A> {
    const { model } = this;
    const { weights, defaultWeight } = this.settings;
    const actions = model.actions(state);
    const kinds = actions.map(this.kindOf);
    const pick: number[] = [];
    const next: (S | undefined)[] = [];
    const share: number[] = [];
    const enabledKinds: string[] = [];
    const perKind = new Map<string, number>();
    let enabled = 0;
    for (let ai = 0; ai < actions.length; ai++) {
      const a = actions[ai]!;
      let t: S | undefined;
      if (model.whyDisabled) {
        if (model.whyDisabled(state, a) !== undefined) continue;
      } else if ((t = model.nextState(state, a)) === undefined) {
        continue;
      }
      enabled++;
      const kind = kinds[ai]!;
      const n = perKind.get(kind);
      perKind.set(kind, (n ?? 0) + 1);
      if (n === undefined) enabledKinds.push(kind);
      const w = weights[kind] ?? defaultWeight;
      if (!(w > 0)) continue;
      pick.push(ai);
      next.push(t);
      share.push(w);
    }
    const cumulative: number[] = [];
    let total = 0;
    for (let k = 0; k < pick.length; k++) {
      const w = this.settings.choose === 'kind' ? share[k]! / perKind.get(kinds[pick[k]!]!)! : share[k]!;
      cumulative.push((total += w));
    }
    return { actions, kinds, enabled, enabledKinds, pick, next, cumulative };
  }

  /** The position in `menu.pick` that `choice` selects. */
  static picked(menu: Menu<unknown, unknown>, choice: number): number {
    const c = menu.cumulative;
    const r = (choice / CHOICES) * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r < c[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** A choice that selects position `k` of `menu.pick`: the middle of its share. */
  static choiceFor(menu: Menu<unknown, unknown>, k: number): number {
    const c = menu.cumulative;
    const total = c[c.length - 1]!;
    const lo = k === 0 ? 0 : c[k - 1]!;
    let choice = Math.min(CHOICES - 1, Math.floor(((lo + c[k]!) / 2 / total) * CHOICES));
    // Shares too thin for the middle to land in them (rounding): walk to the share.
    while (choice > 0 && Walker.picked(menu, choice) > k) choice--;
    while (choice < CHOICES - 1 && Walker.picked(menu, choice) < k) choice++;
    return choice;
  }

  /** Which initial state the choices start from. */
  initOf(choices: readonly number[]): number {
    if (choices.length === 0) return 0;
    return Math.min(this.inits.length - 1, Math.floor((choices[choices.length - 1]! / CHOICES) * this.inits.length));
  }

  /** Runs the walk that `choices` describe, checking properties as `check` says. Never throws: model errors end the walk. */
  run(choices: readonly number[], check: WalkCheck, observer?: WalkObserver<S, A>): WalkOutcome<A> {
    const init = this.initOf(choices);
    const path: number[] = [];
    const actions: A[] = [];
    const wants = (name: string): boolean => check.mode === 'all' || (check.mode === 'target' && check.target === name);
    const checking = check.mode !== 'none';
    let failure: Failure | undefined;
    const verdict = (v: Verdict, property: string, kind: Failure['kind']): void => {
      if (v === true || failure !== undefined) return;
      failure = typeof v === 'string' ? { property, kind, clause: v } : { property, kind };
    };
    const inState = (s: S, step: number): void => {
      if (checking) for (const p of this.always) if (wants(p.name)) verdict(p.holds(s), p.name, 'always');
      observer?.state(s, step, init, path);
    };
    let end: WalkEnd = 'choices';
    let state: S = this.inits[init]!;
    try {
      inState(state, 0);
      const steps = Math.max(0, choices.length - 1);
      for (let step = 0; failure === undefined && step < steps; step++) {
        const menu = this.menu(state);
        observer?.menu(menu);
        if (menu.enabled === 0) {
          end = 'terminal';
          if (checking) {
            for (const p of this.quiescent) if (wants(p.name)) verdict(p.holds(state), p.name, 'atQuiescence');
            if (this.settings.checkDeadlock && wants('deadlock') && !(this.model.isFinal?.(state) ?? false)) verdict(false, 'deadlock', 'deadlock');
          }
          break;
        }
        if (menu.pick.length === 0) {
          end = 'zero-weight';
          break;
        }
        const k = Walker.picked(menu, choices[choices.length - 2 - step]!);
        const ai = menu.pick[k]!;
        const action = menu.actions[ai]!;
        const next = menu.next[k] ?? this.model.nextState(state, action);
        if (next === undefined) {
          throw new ModelError(
            `whyDisabled says ${this.format(action)} is enabled but nextState returns undefined (path ${encodePath({ init, actions: [...path, ai] })}); the two must agree`,
          );
        }
        path.push(ai);
        actions.push(action);
        observer?.fired(menu.kinds[ai]!);
        if (checking) for (const p of this.steps) if (wants(p.name)) verdict(p.holds(state, action, next), p.name, 'step');
        state = next;
        inState(state, step + 1);
      }
    } catch (error) {
      return { init, path, actions, end: 'error', error };
    }
    if (failure !== undefined) return { init, path, actions, end: 'failure', failure };
    return { init, path, actions, end };
  }

  /**
   * The choices of a walk that takes `actions` (matched by their formatted text) from initial
   * state `init`, read back by `run`. An action that cannot be picked where it comes is replaced,
   * with `substitute`, by the pickable action of the same kind that differs from it in the fewest
   * parameters (the earliest on a tie: after a step is removed, `mmap(p=2)` may have become
   * `mmap(p=1)`), and is skipped otherwise.
   */
  encode(init: number, actions: readonly A[], options: { readonly substitute?: boolean } = {}): number[] {
    const out: number[] = [];
    let state: S = this.inits[init]!;
    for (const wanted of actions) {
      const want = this.format(wanted);
      const menu = this.menu(state);
      let k = menu.pick.findIndex((ai) => this.format(menu.actions[ai]!) === want);
      if (k < 0 && options.substitute) k = this.closest(menu, wanted);
      if (k < 0) continue;
      out.push(Walker.choiceFor(menu, k));
      const next = menu.next[k] ?? this.model.nextState(state, menu.actions[menu.pick[k]!]!);
      if (next === undefined) break;
      state = next;
    }
    const initChoice = Math.min(CHOICES - 1, Math.floor(((init + 0.5) / this.inits.length) * CHOICES));
    return [...out.reverse(), initChoice];
  }

  /** The position in `menu.pick` of the same-kind action closest to `wanted` (fewest differing parameters), or -1. */
  private closest(menu: Menu<S, A>, wanted: A): number {
    if (wanted === null || typeof wanted !== 'object') return -1;
    const kind = this.kindOf(wanted);
    const params = Object.entries(wanted as Record<string, unknown>);
    let best = -1;
    let bestDiff = params.length;
    for (let k = 0; k < menu.pick.length; k++) {
      const ai = menu.pick[k]!;
      if (menu.kinds[ai] !== kind) continue;
      const a = menu.actions[ai] as Record<string, unknown>;
      let diff = 0;
      for (const [key, v] of params) if (!Object.is(a[key], v) && JSON.stringify(a[key]) !== JSON.stringify(v)) diff++;
      if (diff < bestDiff) {
        best = k;
        bestDiff = diff;
      }
    }
    return best;
  }
}
