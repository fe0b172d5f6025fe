/**
 * The grant-mapping model of one design under one configuration, in the explorer's guard+recipe
 * form. Properties are passed in: the model does not know them (the catalog joins the two).
 */
import { guardedModel, ruleFromTable, type GuardedModel, type Property, type Rule, type RuleTable } from '../explorer/index.js';
import { misfit, type AnyLayout } from '../explorer/layout/schema.js';
import { formatAction, type Action } from './action.js';
import { validateConfig, type ModelConfig } from './config.js';
import { validateDesign, type Design } from './design.js';
import type { Ctx } from './internal/ctx.js';
import { KERNEL, type Kernel } from './internal/kernel.js';
import { candidateActions, rules } from './next.js';
import { stateLayout } from './layout.js';
import { initialState, type State } from './state.js';

/** A final state: every process of A has exited (a terminal state with a process left is a deadlock). */
export function isFinal(s: State): boolean {
  return s.procs.every((p) => p.state === 'unused' || p.state === 'dead');
}

/** A ghost variable of a design: its layout (explorer/layout/schema.ts) and its value in the initial state. */
export interface GhostVariable {
  readonly layout: AnyLayout;
  readonly initial: unknown;
}

/**
 * What a user's design adds to the model beyond its variation points (a design file's patch):
 * rules replaced or added by action kind, candidate actions added after the model's own, ghost
 * variables, and kernel internals replaced. Actions of new kinds are plain data like the model's
 * (`{ kind, ...params }`).
 */
export interface ModelExtension {
  /** Rules to use instead of (or besides) the model's, given the model's own table for this context. */
  readonly rules?: (ctx: Ctx, table: RuleTable<State, Action>) => Readonly<Record<string, Rule<State, Action>>>;
  /** Candidate actions added after the model's own, in a fixed order. */
  readonly actions?: (state: State, ctx: Ctx) => readonly Action[];
  /**
   * Ghost variables (state the kernel does not have: counters, history flags for properties), by
   * name: the initial state holds `ghost: { name: initial, ... }`; they are part of the state
   * (fingerprinted) and the layout bounds each.
   */
  readonly ghost?: Readonly<Record<string, GhostVariable>>;
  /** Kernel internals replaced (internal/kernel.ts); every action that calls one uses the replacement. */
  readonly kernel?: Partial<Kernel>;
}

/** The context of a design under a configuration, with its patch: the kernel internals it replaces, and the patch itself. */
export function contextOf(design: Design, config: ModelConfig, extension?: ModelExtension): Ctx {
  const kernel = extension?.kernel ? { ...KERNEL, ...extension.kernel } : KERNEL;
  return extension ? { design, config, kernel, extension } : { design, config, kernel };
}

/** The initial values of a design's ghost variables, or undefined when it declares none. */
export function initialGhost(extension: ModelExtension | undefined): Readonly<Record<string, unknown>> | undefined {
  const g = extension?.ghost;
  if (!g || Object.keys(g).length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(g)) {
    const why = misfit(v.layout, v.initial, `ghost.${name}`);
    if (why) throw new Error(`ghost variable '${name}': its initial value does not fit its layout: ${why}`);
    out[name] = v.initial;
  }
  return out;
}

/** The Next relation of a context, with its patch applied: the rule of each action, and the candidate actions of a state. */
export interface Next {
  readonly rule: (a: Action) => Rule<State, Action>;
  readonly actions: (s: State) => Action[];
}

const nexts = new WeakMap<Ctx, Next>();

/**
 * The rules and candidate actions the model of this context runs: the model's own, with the
 * design's patch (rules replaced or added, actions added). What the wait-for graph (INV-4) reads,
 * so that it judges the patched rules, not the built-in ones.
 */
export function nextOf(ctx: Ctx): Next {
  const known = nexts.get(ctx);
  if (known) return known;
  const table = rules(ctx);
  const ext = ctx.extension;
  const rule = ruleFromTable<State, Action>(ext?.rules ? ({ ...table, ...ext.rules(ctx, table) } as RuleTable<State, Action>) : table);
  const more = ext?.actions;
  const next: Next = {
    rule,
    actions: more ? (s) => [...candidateActions(s, ctx), ...more(s, ctx)] : (s) => candidateActions(s, ctx),
  };
  nexts.set(ctx, next);
  return next;
}

/** Builds the model of `design` under `config`, checking `properties`; `extension` patches its rules, actions, state and internals. */
export function grantModel(
  design: Design,
  config: ModelConfig,
  properties: readonly Property<State, Action>[],
  extension?: ModelExtension,
): GuardedModel<State, Action> {
  validateConfig(config);
  validateDesign(design);
  const ctx = contextOf(design, config, extension);
  const ghost = initialGhost(extension);
  const next = nextOf(ctx);
  return guardedModel<State, Action>({
    initStates: () => [ghost ? { ...initialState(config, { pv: design.pv }), ghost } : initialState(config, { pv: design.pv })],
    actions: next.actions,
    rule: next.rule,
    properties,
    isFinal,
    formatAction,
    actionKind: (a) => a.kind,
    layout: stateLayout(config, extension?.ghost ? Object.fromEntries(Object.entries(extension.ghost).map(([k, v]) => [k, v.layout])) : undefined),
  });
}
