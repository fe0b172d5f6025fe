/**
 * The grant-mapping model of one design under one configuration, in the explorer's guard+recipe
 * form. Properties are passed in: the model does not know them (the catalog joins the two).
 */
import { guardedModel, ruleFromTable, type GuardedModel, type Property, type Rule, type RuleTable } from '../explorer/index.js';
import { formatAction, type Action } from './action.js';
import { validateConfig, type ModelConfig } from './config.js';
import { validateDesign, type Design } from './design.js';
import type { Ctx } from './internal/ctx.js';
import { candidateActions, ruleOf, rules } from './next.js';
import { initialState, type State } from './state.js';

/** A final state: every process of A has exited (a terminal state with a process left is a deadlock). */
export function isFinal(s: State): boolean {
  return s.procs.every((p) => p.state === 'unused' || p.state === 'dead');
}

/**
 * What a user's design adds to the model beyond its variation points (a design file's patch):
 * rules replaced or added by action kind, and candidate actions added after the model's own.
 * Actions of new kinds are plain data like the model's (`{ kind, ...params }`).
 */
export interface ModelExtension {
  /** Rules to use instead of (or besides) the model's, given the model's own table for this context. */
  readonly rules?: (ctx: Ctx, table: RuleTable<State, Action>) => Readonly<Record<string, Rule<State, Action>>>;
  /** Candidate actions added after the model's own, in a fixed order. */
  readonly actions?: (state: State, ctx: Ctx) => readonly Action[];
}

/** Builds the model of `design` under `config`, checking `properties`; `extension` patches its rules and actions. */
export function grantModel(
  design: Design,
  config: ModelConfig,
  properties: readonly Property<State, Action>[],
  extension?: ModelExtension,
): GuardedModel<State, Action> {
  validateConfig(config);
  validateDesign(design);
  const ctx: Ctx = { design, config };
  let rule = ruleOf(ctx);
  if (extension?.rules) {
    const table = rules(ctx);
    rule = ruleFromTable<State, Action>({ ...table, ...extension.rules(ctx, table) } as RuleTable<State, Action>);
  }
  const more = extension?.actions;
  return guardedModel<State, Action>({
    initStates: () => [initialState(config, { pv: design.pv })],
    actions: more ? (s) => [...candidateActions(s, ctx), ...more(s, ctx)] : (s) => candidateActions(s, ctx),
    rule,
    properties,
    isFinal,
    formatAction,
    actionKind: (a) => a.kind,
  });
}
