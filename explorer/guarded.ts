/**
 * The second way to write a model: each action is a guard plus an immer recipe (fast-check's
 * "command = check + run", TLA+'s "guards, then primed updates").
 *
 * - `guard(state, action)` answers `true`, or a short reason why the action is disabled here. The
 *   reasons are what a deadlock report shows for every blocked action.
 * - `effect(draft, action)` mutates a draft of the state and returns nothing.
 *
 * `guardedModel` turns the rules into `nextState` with immer's `produce` (states come out deeply
 * frozen, so an accidental mutation throws): that is the path of replay, tests and debugging. The
 * rules stay data on the model (`rule`), and `check` runs them on its fast path by default
 * (`fastpath.ts`: the same recipes on a decoded mutable copy); `recipes: 'immer'` chooses
 * `produce` for the search too.
 */
import { freeze, produce, type Draft } from 'immer';
import type { AnyLayout } from './layout/schema.js';
import type { IdSymmetry } from './layout/symmetry.js';
import { draftOf } from './layout/views.js';
import type { WorkerSource } from './parallel/source.js';
import type { Model, Property } from './model.js';

/**
 * Thrown by an effect that would block (a wait deep inside a kernel call chain, e.g. a sync unmap
 * waiting for page references): the action is not enabled in that state, and `whyDisabled` gives
 * the reason. `waitsFor` names what it waits for, for wait-for graphs (models define its meaning).
 */
export class Blocked extends Error {
  override readonly name = 'Blocked';
  constructor(
    readonly reason: string,
    readonly waitsFor?: unknown,
  ) {
    super(reason);
  }
}

/** Called inside an effect: the action would block here; it is disabled in this state. */
export function block(reason: string, waitsFor?: unknown): never {
  throw new Blocked(reason, waitsFor);
}

/** One action's semantics: when it is enabled, and what it changes. */
export interface Rule<S, A> {
  /** `true` when enabled in `state`, else a short reason ("map not on priv->maps"). Must not mutate. */
  readonly guard: (state: S, action: A) => true | string;
  /** Mutates the draft; called only when the guard said `true`. Its return value is ignored. */
  readonly effect: (draft: Draft<S>, action: A) => void;
}

/** What a guarded model is made of. */
export interface GuardedSpec<S, A> {
  initStates(): readonly S[];
  actions(state: S): readonly A[];
  /** The rule that gives `action` its meaning. */
  rule(action: A): Rule<S, A>;
  readonly properties: readonly Property<S, A>[];
  isFinal?(state: S): boolean;
  formatAction?(action: A): string;
  actionKind?(action: A): string;
  /** Symmetry reduction: the canonical representative of `state`'s class (see `Model.symmetry`). */
  symmetry?(state: S): S;
  /**
   * The state's declared layout (explorer/layout/schema.ts): with it, `check` keeps states as
   * fixed-width bytes and runs the guards, recipes and properties on views of them.
   */
  readonly layout?: AnyLayout;
  /** How a worker thread builds this same model (parallel search; needs a layout). */
  readonly worker?: WorkerSource;
  /**
   * Symmetry on the declared layout: the kinds of id that are interchangeable (layout/symmetry.ts).
   * Every property must be symmetric under them.
   */
  readonly idSymmetry?: readonly IdSymmetry[];
}

/** A model written as guards and recipes; `rule` exposes them to other execution paths. */
export interface GuardedModel<S, A> extends Model<S, A> {
  /** Marks the guard+recipe form: `check` may run the recipes on its fast path. */
  readonly guarded: true;
  rule(action: A): Rule<S, A>;
  whyDisabled(state: S, action: A): string | undefined;
  /** The state's declared layout, when the model gives one. */
  readonly layout?: AnyLayout;
  /** How a worker thread builds this same model, when the model says. */
  readonly worker?: WorkerSource;
  /** The interchangeable kinds of id, when the model declares them. */
  readonly idSymmetry?: readonly IdSymmetry[];
}

/** Builds a model from guards and immer recipes; `nextState` = guard, then `produce(state, effect)`. */
export function guardedModel<S, A>(spec: GuardedSpec<S, A>): GuardedModel<S, A> {
  const model: GuardedModel<S, A> = {
    guarded: true,
    initStates: () => spec.initStates().map((s) => freeze(s, true)),
    actions: (state) => spec.actions(state),
    rule: (action) => spec.rule(action),
    nextState(state, action) {
      const r = spec.rule(action);
      if (r.guard(state, action) !== true) return undefined;
      try {
        return produce(state, (draft: Draft<S>) => {
          r.effect(draft, action);
        });
      } catch (e) {
        if (e instanceof Blocked) return undefined;
        throw e;
      }
    },
    whyDisabled(state, action) {
      const r = spec.rule(action);
      const g = r.guard(state, action);
      if (g !== true) return g;
      const b = blockedBy(r, state, action);
      return b ? b.reason : undefined;
    },
    properties: spec.properties,
  };
  if (spec.isFinal) model.isFinal = (s) => spec.isFinal!(s);
  if (spec.formatAction) model.formatAction = (a) => spec.formatAction!(a);
  if (spec.actionKind) model.actionKind = (a) => spec.actionKind!(a);
  if (spec.symmetry) model.symmetry = (s) => spec.symmetry!(s);
  return {
    ...model,
    ...(spec.layout !== undefined ? { layout: spec.layout } : {}),
    ...(spec.worker !== undefined ? { worker: spec.worker } : {}),
    ...(spec.idSymmetry !== undefined ? { idSymmetry: spec.idSymmetry } : {}),
  };
}

/** Runs a rule's effect on a throw-away draft: the Blocked it raises, or undefined if it would not block. */
export function blockedBy<S, A>(rule: Rule<S, A>, state: S, action: A): Blocked | undefined {
  try {
    // a state kept as bytes gives a writable copy of itself; immer would freeze the views' arrays
    const copy = draftOf(state);
    if (copy !== undefined) rule.effect(copy as Draft<S>, action);
    else {
      produce(state, (draft: Draft<S>) => {
        rule.effect(draft, action);
      });
    }
    return undefined;
  } catch (e) {
    if (e instanceof Blocked) return e;
    throw e;
  }
}

/** A table of rules, one per action kind, for actions that are tagged unions on `kind`. */
export type RuleTable<S, A extends { readonly kind: string }> = {
  readonly [K in A['kind']]: Rule<S, Extract<A, { readonly kind: K }>>;
};

/** Looks up an action's rule by its `kind` in a rule table. */
export function ruleFromTable<S, A extends { readonly kind: string }>(table: RuleTable<S, A>): (action: A) => Rule<S, A> {
  return (action) => {
    const r = (table as unknown as Record<string, Rule<S, A> | undefined>)[action.kind];
    if (!r) throw new Error(`no rule for action kind '${action.kind}'`);
    return r;
  };
}
