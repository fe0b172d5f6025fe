/**
 * `check(model, options)`: the one entry point of the explorer. Validates the options, picks how
 * the model's states are stored and expanded (the expander), runs the breadth-first search (the
 * only exhaustive strategy; it gives shortest counterexamples) and builds the result.
 *
 * Expanders (all give the same states, traces and reports; see docs/explorer.md):
 * - packed models (`packedModel`): their own bytes;
 * - guard+recipe models (`guardedModel`) that declare a layout: bytes in the layout, the model's
 *   code on views of them (`recipes: 'codec'` runs the recipes on decoded copies instead,
 *   `recipes: 'immer'` through `produce`);
 * - guard+recipe models without a layout: decoded copies, unless `recipes: 'immer'`;
 * - any other model: its states as JS values.
 * With `workers > 1`, models that say how a worker thread builds them run on worker threads.
 */
import { fastOps, isGuardedModel } from './expand/codecOps.js';
import { hasLayout, viewOps } from './layout/ops.js';
import type { Model } from './model.js';
import { validateOptions, CheckOptionError, type CheckOptions } from './options.js';
import { isPackedModel, packedOps, type PackedModel } from './packed.js';
import { parallelSearch } from './parallel/coordinator.js';
import type { CheckResult } from './result.js';
import { search } from './search/core.js';
import { byteExpander, objectExpander, type Expander } from './search/expander.js';
import { buildResult, selectProperties, type SearchOutcome } from './search/outcome.js';

/** The expander `check` runs `model` with (one thread). */
export function expanderOf<S, A>(model: Model<S, A>, options: CheckOptions): Expander<S, A> {
  const useSymmetry = options.symmetry ?? true;
  const recipes = options.recipes ?? 'fast';
  if (isPackedModel(model)) return byteExpander(packedOps((model as unknown as PackedModel<A>).packed, useSymmetry)) as unknown as Expander<S, A>;
  if (isGuardedModel(model)) {
    if (recipes === 'fast' && hasLayout(model)) return byteExpander(viewOps(model, useSymmetry));
    if (recipes !== 'immer') return byteExpander(fastOps(model, useSymmetry));
    return objectExpander(model, useSymmetry, 'immer');
  }
  return objectExpander(model, useSymmetry);
}

/** Explores every reachable state of `model` within the bounds of `options` and checks its properties. */
export function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> {
  validateOptions(
    options,
    model.properties.map((p) => p.name),
  );
  const sel = selectProperties(model, options);
  const workers = options.workers ?? 1;
  let outcome: SearchOutcome;
  if (workers > 1) {
    if (!isPackedModel(model) && !(isGuardedModel(model) && hasLayout(model) && (options.recipes ?? 'fast') === 'fast')) {
      throw new CheckOptionError('workers > 1 needs a packed model or a guard+recipe model with a declared layout, each saying how a worker thread builds it (worker: { module, exportName, args }); run this model with workers: 1');
    }
    outcome = parallelSearch(model as unknown as PackedModel<A>, sel as never, options);
  } else {
    outcome = search(model, expanderOf(model, options), sel, options);
  }
  return buildResult(model, sel, options, outcome);
}
