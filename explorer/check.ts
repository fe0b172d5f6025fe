/**
 * `check(model, options)`: the one entry point of the explorer. Validates the options, picks the
 * engine, runs the breadth-first search (the only exhaustive strategy; it gives shortest
 * counterexamples) and builds the result.
 *
 * Engines (all give the same states, traces and reports; see docs/explorer.md):
 * - packed models (`packedModel`) run on the byte engine, or on worker threads with `workers > 1`;
 * - guard+recipe models (`guardedModel`) run their recipes on the fast path unless
 *   `recipes: 'immer'`;
 * - any other model runs with its states as JS values.
 */
import { bfs } from './bfs.js';
import { byteSearch } from './engine.js';
import { fastOps, isGuardedModel } from './fastpath.js';
import { hasLayout, viewOps } from './layout/ops.js';
import type { Model } from './model.js';
import { validateOptions, CheckOptionError, type CheckOptions } from './options.js';
import { buildResult, selectProperties, type SearchOutcome } from './outcome.js';
import { isPackedModel, packedOps, type PackedModel } from './packed.js';
import { parallelSearch } from './parallel.js';
import type { CheckResult } from './result.js';

/** Explores every reachable state of `model` within the bounds of `options` and checks its properties. */
export function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> {
  validateOptions(
    options,
    model.properties.map((p) => p.name),
  );
  const sel = selectProperties(model, options);
  const useSymmetry = options.symmetry ?? true;
  const workers = options.workers ?? 1;
  let outcome: SearchOutcome;
  if (isPackedModel(model)) {
    const pm = model as unknown as PackedModel<A>;
    if (workers > 1) {
      outcome = parallelSearch(pm, selectProperties(pm, options), options);
    } else {
      outcome = byteSearch(pm, packedOps(pm.packed, useSymmetry), selectProperties(pm, options), options);
    }
  } else if (workers > 1) {
    throw new CheckOptionError(
      'workers > 1 needs a packed model that says how a worker builds it (packedModel({ ..., worker: { module, exportName, args } })); run this model with workers: 1',
    );
  } else if (isGuardedModel(model) && (options.recipes ?? 'fast') === 'fast' && hasLayout(model)) {
    outcome = byteSearch(model, viewOps(model), sel, options);
  } else if (isGuardedModel(model) && (options.recipes === 'codec' || (options.recipes ?? 'fast') === 'fast')) {
    outcome = byteSearch(model, fastOps(model, useSymmetry), sel, options);
  } else {
    outcome = bfs(model, sel, options, isGuardedModel(model) ? 'immer' : 'objects');
  }
  return buildResult(model, sel, options, outcome);
}
