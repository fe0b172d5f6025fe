/**
 * The model contract: what a user writes so that the checker can explore it.
 *
 * A model is a value (Stateright's shape): initial states, the candidate actions of a state, and a
 * next-state function that answers `undefined` when an action is not enabled. States are plain
 * readonly data (see `fingerprint.ts` for what identifies a state); actions are plain data too, so
 * that paths can be printed, stored and replayed.
 */

/**
 * A property's answer in one state (or step): `true` when it holds; `false`, or a short string
 * naming the clause that failed, when it is violated.
 */
export type Verdict = boolean | string;

interface PropertyBase {
  /** The property's name, unique within a model (reports, CLI and tests refer to it). */
  readonly name: string;
  /** One sentence: what the property says, in the domain's words. */
  readonly description?: string;
}

/** A state invariant: must hold in every reachable state. */
export interface AlwaysProperty<S> extends PropertyBase {
  readonly kind: 'always';
  readonly holds: (state: S) => Verdict;
}

/** An action property over one transition `(state, action, next)` (TLA+'s `[][A]_v`). */
export interface StepProperty<S, A> extends PropertyBase {
  readonly kind: 'step';
  readonly holds: (state: S, action: A, next: S) => Verdict;
}

/**
 * A reachability witness: some reachable state must satisfy it. An unreached witness makes the
 * properties listed in `witnessFor` suspect of holding vacuously, and the report says so.
 */
export interface SometimesProperty<S> extends PropertyBase {
  readonly kind: 'sometimes';
  readonly reached: (state: S) => boolean;
  /** Names of the properties whose non-vacuity this witness shows. */
  readonly witnessFor: readonly string[];
}

/** Checked only in states where no action is enabled (terminal states, deadlocked or final). */
export interface AtQuiescenceProperty<S> extends PropertyBase {
  readonly kind: 'atQuiescence';
  readonly holds: (state: S) => Verdict;
}

/** Every kind of property a model can declare. */
export type Property<S, A> = AlwaysProperty<S> | StepProperty<S, A> | SometimesProperty<S> | AtQuiescenceProperty<S>;

/** The public shape users write against. */
export interface Model<S, A> {
  /** The initial states, in a deterministic order. */
  initStates(): readonly S[];
  /** Every candidate action in `state`, enabled or not, in a deterministic order (paths are indices into it). */
  actions(state: S): readonly A[];
  /** The successor of `state` under `action`, or `undefined` when the action is not enabled there. */
  nextState(state: S, action: A): S | undefined;
  /** The properties to check, in report order. */
  readonly properties: readonly Property<S, A>[];
  /** A state with no enabled action that is not final is a deadlock. Without `isFinal`, every terminal state is one. */
  isFinal?(state: S): boolean;
  /** How an action is printed in traces (defaults to a compact JSON rendering). */
  formatAction?(action: A): string;
  /** The action's kind, for per-action coverage (defaults to `action.kind` or the formatted action). */
  actionKind?(action: A): string;
  /** Why `action` is disabled in `state` (the guard that failed), or `undefined` when it is enabled. */
  whyDisabled?(state: S, action: A): string | undefined;
  /**
   * Symmetry reduction: the canonical representative of `state`'s class (its interchangeable ids
   * permuted into a fixed order; the state itself when already canonical). The search identifies
   * states by their canonical form but stores and expands the states actually reached, so paths
   * replay on the model as it is. Every property must be symmetric. See docs/explorer.md.
   */
  symmetry?(state: S): S;
}

/** Options shared by the property constructors. */
export interface PropertyMeta {
  readonly description?: string;
}

/** A state invariant, checked in every reachable state. */
export function always<S>(name: string, holds: (state: S) => Verdict, meta: PropertyMeta = {}): AlwaysProperty<S> {
  return { kind: 'always', name, holds, ...meta };
}

/** An action property, checked on every transition `(state, action, next)`. */
export function actionProperty<S, A>(
  name: string,
  holds: (state: S, action: A, next: S) => Verdict,
  meta: PropertyMeta = {},
): StepProperty<S, A> {
  return { kind: 'step', name, holds, ...meta };
}

/** A witness that must be reached; `witnessFor` names the properties it keeps from being vacuous. */
export function sometimes<S>(
  name: string,
  reached: (state: S) => boolean,
  meta: PropertyMeta & { readonly witnessFor?: readonly string[] } = {},
): SometimesProperty<S> {
  const { witnessFor = [], ...rest } = meta;
  return { kind: 'sometimes', name, reached, witnessFor, ...rest };
}

/** A property checked in states where nothing is enabled any more. */
export function atQuiescence<S>(name: string, holds: (state: S) => Verdict, meta: PropertyMeta = {}): AtQuiescenceProperty<S> {
  return { kind: 'atQuiescence', name, holds, ...meta };
}

/** The default printing of an action: its JSON, with `kind` (if any) as a function name. */
export function defaultFormatAction(action: unknown): string {
  if (action !== null && typeof action === 'object' && !Array.isArray(action)) {
    const { kind, ...params } = action as Record<string, unknown>;
    if (typeof kind === 'string') {
      const args = Object.keys(params)
        .map((k) => `${k}=${formatParam(params[k])}`)
        .join(', ');
      return `${kind}(${args})`;
    }
  }
  return formatParam(action);
}

function formatParam(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'undefined';
  return JSON.stringify(v);
}

/** The default kind of an action: `action.kind` when it is a string, else the formatted action. */
export function defaultActionKind(action: unknown, format: (a: unknown) => string = defaultFormatAction): string {
  if (action !== null && typeof action === 'object' && typeof (action as { kind?: unknown }).kind === 'string') {
    return (action as { kind: string }).kind;
  }
  return format(action);
}

/** True when a verdict says "holds". */
export function isHolds(v: Verdict): boolean {
  return v === true;
}

/** The clause text of a failed verdict (`undefined` for a bare `false`). */
export function failedClause(v: Verdict): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
