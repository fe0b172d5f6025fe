/**
 * The grant-mapping model of one design under one configuration, in the explorer's guard+recipe
 * form. Properties are passed in: the model does not know them (the catalog joins the two).
 */
import { guardedModel, type GuardedModel, type Property } from '../explorer/index.js';
import { formatAction, type Action } from './action.js';
import { validateConfig, type ModelConfig } from './config.js';
import { validateDesign, type Design } from './design.js';
import type { Ctx } from './internal/ctx.js';
import { candidateActions, ruleOf } from './next.js';
import { initialState, type State } from './state.js';

/** A final state: every process of A has exited (a terminal state with a process left is a deadlock). */
export function isFinal(s: State): boolean {
  return s.procs.every((p) => p.state === 'unused' || p.state === 'dead');
}

/** Builds the model of `design` under `config`, checking `properties`. */
export function grantModel(design: Design, config: ModelConfig, properties: readonly Property<State, Action>[]): GuardedModel<State, Action> {
  validateConfig(config);
  validateDesign(design);
  const ctx: Ctx = { design, config };
  const rule = ruleOf(ctx);
  return guardedModel<State, Action>({
    initStates: () => [initialState(config, { pv: design.pv, dynamicOrder: design.dynamicOrder !== undefined })],
    actions: (s) => candidateActions(s, ctx),
    rule,
    properties,
    isFinal,
    formatAction,
    actionKind: (a) => a.kind,
  });
}
