/**
 * `check(model, options)`: the one entry point of the explorer. Validates the options, then runs
 * the breadth-first search (the only exhaustive strategy; it gives shortest counterexamples).
 */
import { bfs } from './bfs.js';
import type { Model } from './model.js';
import { validateOptions, type CheckOptions } from './options.js';
import type { CheckResult } from './result.js';

/** Explores every reachable state of `model` within the bounds of `options` and checks its properties. */
export function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): CheckResult<S, A> {
  validateOptions(
    options,
    model.properties.map((p) => p.name),
  );
  return bfs(model, options);
}
